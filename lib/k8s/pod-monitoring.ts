import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { ITerraformDependable } from '../tf';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';

/** Scrape interval limits, seconds: GKE supports server-metric scrapes as frequent as 5 s; HPAs need fresh data. */
export const SCRAPE_INTERVAL_LIMITS = { min: 5, max: 15 } as const;

/** Props of {@link PodMonitoring}. */
export interface PodMonitoringProps {
  /** Object name. @default - derived from the construct id */
  readonly name?: string;
  /** Namespace of the pods to scrape. @default 'default' */
  readonly namespace?: string;
  /** Labels that select the pods. */
  readonly matchLabels: Record<string, string>;
  /** Metrics port (number or container port name). */
  readonly port: number | string;
  /** Metrics path. @default '/metrics' */
  readonly path?: string;
  /** Scrape interval in seconds (5-15). @default 15 */
  readonly intervalSeconds?: number;
  /** Resources that must exist first. @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A Managed Service for Prometheus `PodMonitoring` (`monitoring.googleapis.com/v1`): scrapes the selected
 * pods every 5-15 seconds, so HPAs see server metrics within seconds. The `monitoring.googleapis.com` CRDs
 * come with managed collection (on by default in `GkeInferenceCluster`).
 */
export class PodMonitoring extends Construct implements IManifestSource {
  /** PodMonitoring of the TPU device plugin's system metrics (port 2112 in `kube-system`), as GKE's TPU tutorial sets up. */
  public static forTpuSystemMetrics(scope: Construct, id: string, intervalSeconds: number = 15): PodMonitoring {
    return new PodMonitoring(scope, id, {
      name: 'tpu-metrics-exporter', namespace: 'kube-system', matchLabels: { 'k8s-app': 'tpu-device-plugin' },
      port: 2112, path: '/metrics', intervalSeconds,
    });
  }

  /**
   * PodMonitoring of a self-managed NVIDIA DCGM exporter (port 9400). Clusters with GKE's managed DCGM
   * (`GkeInferenceCluster`, `dcgmMetrics: true`) do not need it.
   */
  public static forDcgmExporter(scope: Construct, id: string, namespace: string = 'gpu-operator', intervalSeconds: number = 15): PodMonitoring {
    return new PodMonitoring(scope, id, {
      name: 'dcgm-exporter', namespace, matchLabels: { app: 'nvidia-dcgm-exporter' }, port: 9400, path: '/metrics', intervalSeconds,
    });
  }

  /** The object. */
  public readonly object: KubernetesObject;

  constructor(scope: Construct, id: string, props: PodMonitoringProps) {
    super(scope, id);
    const v: Validator = new Validator(this.node.path);
    const interval = props.intervalSeconds ?? 15;
    v.integerInRange('SCRAPE_INTERVAL_OUT_OF_RANGE', 'intervalSeconds', interval, SCRAPE_INTERVAL_LIMITS.min, SCRAPE_INTERVAL_LIMITS.max,
      'HPAs on server metrics need scrapes every 5-15 s');
    this.object = new KubernetesObject(this, 'Resource', {
      manifest: {
        apiVersion: 'monitoring.googleapis.com/v1',
        kind: 'PodMonitoring',
        metadata: { name: props.name ?? id.toLowerCase(), namespace: props.namespace ?? 'default' },
        spec: {
          selector: { matchLabels: props.matchLabels },
          endpoints: [{ port: props.port, path: props.path ?? '/metrics', interval: `${interval}s` }],
        },
      },
      dependsOn: props.dependsOn,
    });
  }

  /** The PodMonitoring, as a plain manifest. */
  public get manifests(): readonly KubernetesManifest[] {
    return [this.object.manifest];
  }
}
