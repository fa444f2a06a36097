/**
 * `cdk-gpu-inference/gcp`: cdktf constructs on `@cdktf/provider-google` (Cloud Run GPU, GKE, fleets,
 * the multi-cluster inference gateway). Provider classes are imported by deep path only.
 */
export { TfTemplate, objectLike } from '../tf';
export type { TfJson, TfResource } from '../tf';
export * from './gke-inference-cluster';
export * from './accelerator-node-pool';
export * from './gke-providers';
