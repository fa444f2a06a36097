import { DataGoogleSecretManagerSecretVersion } from '@cdktf/provider-google/lib/data-google-secret-manager-secret-version';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { Fn, TerraformMetaArguments } from '../tf';

/** Props of {@link SecretManagerKubernetesSecret}. */
export interface SecretManagerKubernetesSecretProps {
  /** Secret Manager secret id (or full name `projects/<p>/secrets/<id>`). */
  readonly secretId: string;
  /** Project of the secret. @default - the google provider's project */
  readonly project?: string;
  /** Secret version. @default 'latest' */
  readonly version?: string;
  /** Kubernetes Secret name. */
  readonly name: string;
  /** Namespace. @default 'default' */
  readonly namespace?: string;
  /** Key of the value in the Kubernetes Secret. @default 'hf_api_token' (what InferenceServer's vLLM reads) */
  readonly key?: string;
  /** The `kubernetes` provider of the cluster. @default - the stack's default provider */
  readonly provider?: TerraformMetaArguments['provider'];
}

/**
 * A Kubernetes Secret (e.g. a Hugging Face token) whose value Terraform reads from Secret Manager at apply time
 * (`google_secret_manager_secret_version` data source): the value is never written in code or in an output.
 * The Secret takes it through the write-only `data_wo` argument (Terraform >= 1.11), so the
 * `kubernetes_secret_v1` state holds no copy; a new secret version changes `data_wo_revision` and rewrites it.
 *
 * The data source itself is stored in the Terraform state with the value: keep the state in a bucket with
 * uniform access, encryption and versioning, readable only by the deployers.
 */
export class SecretManagerKubernetesSecret extends Construct {
  /** The Secret Manager version read at apply time. */
  public readonly version: DataGoogleSecretManagerSecretVersion;
  /** The Kubernetes Secret. */
  public readonly secret: SecretV1;
  /** Kubernetes Secret name. */
  public readonly name: string;
  /** Key of the value. */
  public readonly key: string;

  constructor(scope: Construct, id: string, props: SecretManagerKubernetesSecretProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    v.matches('NAME_INVALID', 'name', props.name, /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'a DNS-1123 subdomain');
    v.matches('NAME_INVALID', 'key', props.key, /^[-._a-zA-Z0-9]{1,253}$/, 'letters, digits, "-", "_" or "."');
    v.matches('NAME_INVALID', 'secretId', props.secretId, /^(projects\/[^/]+\/secrets\/)?[a-zA-Z0-9_-]{1,255}$/,
      'a Secret Manager secret id');
    this.name = props.name;
    this.key = props.key ?? 'hf_api_token';
    this.version = new DataGoogleSecretManagerSecretVersion(this, 'Version', {
      secret: props.secretId, project: props.project, version: props.version ?? 'latest',
    });
    this.secret = new SecretV1(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace ?? 'default', labels: { 'app.kubernetes.io/managed-by': 'cdk-gpu-inference' } },
      type: 'Opaque',
      dataWo: { [this.key]: this.version.secretData },
      dataWoRevision: Fn.tonumber(this.version.version),
      provider: props.provider,
    });
  }
}
