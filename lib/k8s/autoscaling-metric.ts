import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { ITerraformDependable, TerraformMetaArguments } from '../tf';
import { ExportedMetric } from './balancing';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';

/** GKE allows at most 10 exported metrics per cluster. */
export const MAX_EXPORTED_METRICS = 10;

/** Props of {@link AutoscalingMetric}. */
export interface AutoscalingMetricProps {
  /** Object name. @default - derived from the construct id */
  readonly name?: string;
  /** Namespace of the pods. @default 'default' */
  readonly namespace?: string;
  /** Labels of the model-server pods. */
  readonly matchLabels: Record<string, string>;
  /** Metrics port of the pods. */
  readonly port: number;
  /** Metrics path. @default '/metrics' */
  readonly path?: string;
  /** The gauges to export (1-10; values 0-1). */
  readonly metrics: readonly ExportedMetric[];
  /** The `kubernetes` provider of the cluster. @default - the stack's default provider */
  readonly provider?: TerraformMetaArguments['provider'];
  /** Resources that must exist first. @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * GKE's `AutoscalingMetric` (`autoscaling.gke.io/v1beta1`, Preview): exports gauges of the selected pods to the
 * load balancer (as `gke.named_metrics.<exportName>`) and to the autoscaler. No public CRD exists; the object is
 * validated against a strict schema written from GKE's documentation.
 */
export class AutoscalingMetric extends Construct implements IManifestSource {
  /** The object. */
  public readonly object: KubernetesObject;

  constructor(scope: Construct, id: string, props: AutoscalingMetricProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    v.integerInRange('METRIC_COUNT_OUT_OF_RANGE', 'metrics.length', props.metrics.length, 1, MAX_EXPORTED_METRICS,
      'GKE exports at most 10 metrics per cluster');
    v.integerInRange('PORT_OUT_OF_RANGE', 'port', props.port, 1, 65535);
    const names = new Set<string>();
    for (const m of props.metrics) {
      v.matches('METRIC_NAME_INVALID', 'metrics.name', m.name, /^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name');
      v.matches('METRIC_NAME_INVALID', 'metrics.exportName', m.exportName, /^[a-z0-9]([-a-z0-9_]{0,61}[a-z0-9])?$/,
        'lowercase letters, digits, hyphens or underscores (at most 63)');
      if (names.has(m.exportName)) v.fail('METRIC_NAME_INVALID', 'metrics.exportName', m.exportName, 'unique export names');
      names.add(m.exportName);
    }
    this.object = new KubernetesObject(this, 'Resource', {
      manifest: {
        apiVersion: 'autoscaling.gke.io/v1beta1',
        kind: 'AutoscalingMetric',
        metadata: { name: props.name ?? id.toLowerCase(), namespace: props.namespace ?? 'default' },
        spec: {
          selector: { matchLabels: props.matchLabels },
          endpoints: [{
            port: props.port, path: props.path ?? '/metrics',
            metrics: props.metrics.map((m) => ({ name: m.name, exportName: m.exportName })),
          }],
        },
      },
      provider: props.provider,
      dependsOn: props.dependsOn,
    });
  }

  /** The AutoscalingMetric, as a plain manifest. */
  public get manifests(): readonly KubernetesManifest[] {
    return [this.object.manifest];
  }
}
