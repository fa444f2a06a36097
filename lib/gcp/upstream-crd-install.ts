import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { TerraformData } from '../tf';
import type { GkeInferenceCluster } from './gke-inference-cluster';

/** Props of {@link UpstreamCrdInstall}. */
export interface UpstreamCrdInstallProps {
  /** The cluster. */
  readonly cluster: GkeInferenceCluster;
  /** Pinned URL of the upstream CRD (a tag, never a branch), e.g. `INFERENCE_OBJECTIVE_CRD_URL`. */
  readonly url: string;
}

/**
 * Installs an upstream CRD into a cluster at apply time (`kubectl apply --server-side -f <pinned URL>` from a
 * `terraform_data` local-exec, with a throw-away kubeconfig from `gcloud container clusters get-credentials`).
 * CRDs are not copied into this library, and `kubernetes_manifest` needs the CRD at plan time: put this in the
 * cluster's stack, applied before the stack of the custom resources. The deploying machine needs `gcloud`,
 * `kubectl` and network access to the URL. Re-runs when the URL or the cluster changes.
 */
export class UpstreamCrdInstall extends Construct {
  /** The `terraform_data` resource. */
  public readonly resource: TerraformData;

  constructor(scope: Construct, id: string, props: UpstreamCrdInstallProps) {
    super(scope, id);
    new Validator(this.node.path).matches('URL_INVALID', 'url', props.url,
      /^https:\/\/[^\s'"]+\/(v?\d+\.\d+\.\d+[^/\s'"]*)\/[^\s'"]+\.ya?ml$/, 'an https URL of a YAML file pinned to a release tag (.../vX.Y.Z/...)');
    const c = props.cluster;
    this.resource = new TerraformData(this, 'Resource', {
      triggersReplace: { url: props.url, cluster: c.resource.id },
      dependsOn: [c.systemPool],
      provisioners: [{
        type: 'local-exec',
        interpreter: ['/bin/bash', '-c'],
        command: [
          'set -euo pipefail',
          'export KUBECONFIG="$(mktemp)"',
          'trap \'rm -f "$KUBECONFIG"\' EXIT',
          `gcloud container clusters get-credentials ${c.clusterName} --location ${c.location} --project ${c.project}`,
          `kubectl apply --server-side -f '${props.url}'`,
        ].join('\n'),
      }],
    });
  }
}
