import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { TerraformMetaArguments } from '../tf';
import { Balancing } from './balancing';
import { GCP_INFERENCE_POOL_IMPORT } from './cross-regional-gateway';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';

/** The longest backend timeout GKE's inference gateway guide allows, seconds. */
export const MAX_BACKEND_TIMEOUT_SEC = 3600;

/**
 * The backend timeout for an expected p99 latency: `timeoutSec` when given, else `ceil(2 x p99)`.
 * Validates (with `v`) that p99 leaves room within 3600 s and that the timeout is between 2 x p99 and 3600.
 */
export function backendTimeoutSec(v: Validator, expectedP99Seconds: number, timeoutSec?: number): number {
  v.numberInRange('LATENCY_OUT_OF_RANGE', 'expectedP99Seconds', expectedP99Seconds, 0.001, MAX_BACKEND_TIMEOUT_SEC / 2,
    'the timeout (at least 2 x p99) must stay within 3600 s');
  const minTimeout = Math.ceil(2 * expectedP99Seconds);
  const timeout = timeoutSec ?? minTimeout;
  v.integerInRange('TIMEOUT_OUT_OF_RANGE', 'timeoutSec', timeout, minTimeout, MAX_BACKEND_TIMEOUT_SEC,
    `at least 2 x expectedP99Seconds (${expectedP99Seconds} s), at most 3600`);
  return timeout;
}

/** Props of {@link InferenceImportPolicies}. */
export interface InferenceImportPoliciesProps {
  /** Name of the exported pool (= its `GCPInferencePoolImport`). */
  readonly poolName: string;
  /** Namespace. @default 'default' */
  readonly namespace?: string;
  /** Balancing: `Balancing.customMetric(...)` or `Balancing.inFlight(...)`. */
  readonly balancing: Balancing;
  /** Expected p99 latency of one request, seconds (1-1800): the backend timeout is at least twice it. */
  readonly expectedP99Seconds: number;
  /** Backend timeout, seconds (at least 2 x p99, at most 3600). @default - 2 x expectedP99Seconds, rounded up */
  readonly timeoutSec?: number;
  /** Port the health check probes on the model servers. */
  readonly healthCheckPort: number;
  /** Health-check path of the model servers. @default '/health' */
  readonly healthCheckPath?: string;
  /** The `kubernetes` provider of the config cluster. @default - the stack's default provider */
  readonly provider?: TerraformMetaArguments['provider'];
}

/**
 * The load-balancer policies of an exported InferencePool, applied on the config cluster with the
 * `GCPInferencePoolImport` as `targetRef`: a `HealthCheckPolicy` (HTTP on the server's health path) and a
 * `GCPBackendPolicy` with `balancingMode` (custom metric or in-flight, never both), `trafficDuration: LONG`
 * and `timeoutSec` (at least 2 x the expected p99, at most 3600).
 *
 * Field-name pitfall: a translated copy of GKE's guide writes `maxUtilization: 60`; GKE's own pages write
 * `maxUtilizationPercent`, and GKE rejects unknown fields at apply. This construct emits
 * `maxUtilizationPercent`, and the strict GCPBackendPolicy schema rejects `maxUtilization`.
 */
export class InferenceImportPolicies extends Construct implements IManifestSource {
  /** The HealthCheckPolicy. */
  public readonly healthCheckPolicy: KubernetesObject;
  /** The GCPBackendPolicy. */
  public readonly backendPolicy: KubernetesObject;
  /** The backend timeout, seconds. */
  public readonly timeoutSec: number;

  constructor(scope: Construct, id: string, props: InferenceImportPoliciesProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    this.timeoutSec = backendTimeoutSec(v, props.expectedP99Seconds, props.timeoutSec);
    v.integerInRange('PORT_OUT_OF_RANGE', 'healthCheckPort', props.healthCheckPort, 1, 65535);
    const balancing = props.balancing.policyFields(this.node.path);
    const namespace = props.namespace ?? 'default';
    const targetRef = { ...GCP_INFERENCE_POOL_IMPORT, name: props.poolName };

    this.healthCheckPolicy = new KubernetesObject(this, 'HealthCheckPolicy', {
      manifest: {
        apiVersion: 'networking.gke.io/v1', kind: 'HealthCheckPolicy', metadata: { name: props.poolName, namespace },
        spec: {
          targetRef,
          default: {
            timeoutSec: 2, checkIntervalSec: 2,
            config: { type: 'HTTP', httpHealthCheck: { requestPath: props.healthCheckPath ?? '/health', port: props.healthCheckPort } },
          },
        },
      },
      provider: props.provider,
    });
    this.backendPolicy = new KubernetesObject(this, 'BackendPolicy', {
      manifest: {
        apiVersion: 'networking.gke.io/v1', kind: 'GCPBackendPolicy', metadata: { name: props.poolName, namespace },
        spec: { targetRef, default: { timeoutSec: this.timeoutSec, trafficDuration: 'LONG', ...balancing } },
      },
      provider: props.provider,
    });
  }

  /** The HealthCheckPolicy and GCPBackendPolicy, as plain manifests. */
  public get manifests(): readonly KubernetesManifest[] {
    return [this.healthCheckPolicy.manifest, this.backendPolicy.manifest];
  }
}
