import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { TerraformMetaArguments } from '../tf';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';

/** GatewayClass of GKE's cross-regional internal Application Load Balancer for fleets. */
export const CROSS_REGIONAL_INTERNAL_GATEWAY_CLASS = 'gke-l7-cross-regional-internal-managed-mc';

/** Group and kind of the import GKE creates on the config cluster for an exported InferencePool. */
export const GCP_INFERENCE_POOL_IMPORT = { group: 'networking.gke.io', kind: 'GCPInferencePoolImport' } as const;

/** Props of {@link CrossRegionalInferenceGateway}. */
export interface CrossRegionalInferenceGatewayProps {
  /** Gateway name. @default 'inference-gateway' */
  readonly name?: string;
  /** Namespace (the exported pools' namespace). @default 'default' */
  readonly namespace?: string;
  /** Regions that get an internal ephemeral IPv4 address (one each, no duplicates). */
  readonly regions: readonly string[];
  /** Name of the exported InferencePool (= the `GCPInferencePoolImport`). */
  readonly poolName: string;
  /** Port of the pool's model servers. */
  readonly poolPort: number;
  /** HTTP listener port. @default 80 */
  readonly listenerPort?: number;
  /** The `kubernetes` provider of the config cluster. @default - the stack's default provider */
  readonly provider?: TerraformMetaArguments['provider'];
}

/**
 * The config cluster's entry point of a multi-cluster inference gateway: a `Gateway` of class
 * `gke-l7-cross-regional-internal-managed-mc` with one ephemeral internal address per region
 * (`networking.gke.io/ephemeral-ipv4-address/<region>`) and an `HTTPRoute` whose backend is the
 * `GCPInferencePoolImport` GKE creates for the exported pool. Apply it on the config cluster only.
 */
export class CrossRegionalInferenceGateway extends Construct implements IManifestSource {
  /** The Gateway. */
  public readonly gateway: KubernetesObject;
  /** The HTTPRoute. */
  public readonly route: KubernetesObject;
  /** Gateway name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: CrossRegionalInferenceGatewayProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    this.name = props.name ?? 'inference-gateway';
    const namespace = props.namespace ?? 'default';
    v.matches('NAME_INVALID', 'name', this.name, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label');
    v.integerInRange('REGION_COUNT_OUT_OF_RANGE', 'regions.length', props.regions.length, 1, 16);
    if (new Set(props.regions).size !== props.regions.length) {
      v.fail('REGION_DUPLICATE', 'regions', props.regions, 'distinct regions (one address per region)');
    }
    for (const r of props.regions) v.matches('REGION_INVALID', 'regions', r, /^[a-z]+-[a-z]+[0-9]+$/, 'a region such as us-east4');
    v.integerInRange('PORT_OUT_OF_RANGE', 'poolPort', props.poolPort, 1, 65535);
    v.integerInRange('PORT_OUT_OF_RANGE', 'listenerPort', props.listenerPort, 1, 65535);

    this.gateway = new KubernetesObject(this, 'Gateway', {
      manifest: {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: this.name, namespace },
        spec: {
          gatewayClassName: CROSS_REGIONAL_INTERNAL_GATEWAY_CLASS,
          addresses: props.regions.map((r) => ({ type: `networking.gke.io/ephemeral-ipv4-address/${r}`, value: r })),
          listeners: [{ name: 'http', protocol: 'HTTP', port: props.listenerPort ?? 80 }],
        },
      },
      provider: props.provider,
    });
    this.route = new KubernetesObject(this, 'Route', {
      manifest: {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: props.poolName, namespace },
        spec: {
          parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: this.name }],
          rules: [{
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ ...GCP_INFERENCE_POOL_IMPORT, name: props.poolName, port: props.poolPort }],
          }],
        },
      },
      provider: props.provider,
      dependsOn: [this.gateway.resource],
    });
  }

  /** The Gateway and HTTPRoute, as plain manifests. */
  public get manifests(): readonly KubernetesManifest[] {
    return [this.gateway.manifest, this.route.manifest];
  }
}
