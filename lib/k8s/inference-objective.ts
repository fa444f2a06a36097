import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { TerraformMetaArguments } from '../tf';
import { InferencePool } from './inference-pool';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';

/** The InferenceObjective CRD of gateway-api-inference-extension v1.1.0 (GKE does not install this alpha CRD). */
export const INFERENCE_OBJECTIVE_CRD_URL =
  'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api-inference-extension/v1.1.0/config/crd/bases/inference.networking.x-k8s.io_inferenceobjectives.yaml';

/** Props of {@link InferenceObjective}. */
export interface InferenceObjectiveProps {
  /** Objective name; clients select it with the `x-gateway-inference-objective` header. */
  readonly name: string;
  /** The pool it applies to. */
  readonly pool: InferencePool;
  /** Priority: higher is served first when the pool is saturated (-1000 to 1000). @default - none (the pool's default) */
  readonly priority?: number;
  /** The `kubernetes` provider of the cluster. @default - the pool's provider */
  readonly provider?: TerraformMetaArguments['provider'];
}

/**
 * An `InferenceObjective` (`inference.networking.x-k8s.io/v1alpha2`): a named priority for requests to a pool.
 * Its CRD must be installed first (see {@link INFERENCE_OBJECTIVE_CRD_URL}).
 */
export class InferenceObjective extends Construct implements IManifestSource {
  /** The object. */
  public readonly object: KubernetesObject;
  /** Priority, if set. */
  public readonly priority?: number;

  constructor(scope: Construct, id: string, props: InferenceObjectiveProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    v.matches('NAME_INVALID', 'name', props.name, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label');
    v.integerInRange('PRIORITY_OUT_OF_RANGE', 'priority', props.priority, -1000, 1000);
    this.priority = props.priority;
    this.object = new KubernetesObject(this, 'Resource', {
      manifest: {
        apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceObjective',
        metadata: { name: props.name, namespace: props.pool.namespace },
        spec: {
          poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: props.pool.name },
          ...(props.priority !== undefined ? { priority: props.priority } : {}),
        },
      },
      provider: props.provider ?? props.pool.pool.resource.provider,
      dependsOn: [props.pool.pool.resource],
    });
  }

  /** The InferenceObjective, as a plain manifest. */
  public get manifests(): readonly KubernetesManifest[] {
    return [this.object.manifest];
  }
}
