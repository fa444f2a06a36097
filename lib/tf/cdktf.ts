/**
 * The cdktf symbols the library uses, re-exported from one place. Constructs in lib/gcp and lib/k8s
 * import these from '../tf' (never from 'cdktf' directly), so a move to CDK Terrain (cdktn) changes
 * this file and package.json only. Add a name here when a construct needs one more.
 */
export {
  Annotations,
  App,
  Aspects,
  Fn,
  Lazy,
  LocalBackend,
  TerraformElement,
  TerraformIterator,
  TerraformLocal,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
} from 'cdktf';
export type { IAspect, ITerraformDependable, TerraformMetaArguments } from 'cdktf';
