import { HorizontalPodAutoscalerV2, HorizontalPodAutoscalerV2SpecMetric } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { Construct } from 'constructs';
import { ServerKind } from '../core/serving';
import { Validator } from '../core/validate';
import { Annotations } from '../tf';
import { HpaMetricSpec, InferenceMetric } from './inference-metric';
import { InferenceServer } from './inference-server';
import { IManifestSource, KubernetesManifest, validateManifest } from './manifest';
import { ClusterMetricsAdapter } from './metrics-adapter';

/** One HPA scaling policy. */
export interface ScalingPolicy {
  /** `Pods` (add/remove this many pods) or `Percent` (of the current replicas). */
  readonly type: 'Pods' | 'Percent';
  /** How many pods, or what percentage. */
  readonly value: number;
  /** Period the policy applies over, seconds (1-1800). */
  readonly periodSeconds: number;
}

/** Scale-up and scale-down behaviour. Defaults suit LLM servers (GKE guidance: react fast, shrink slowly). */
export interface InferenceHpaBehavior {
  /** Scale-up stabilization window, seconds (0-3600). @default 0 */
  readonly scaleUpStabilizationSeconds?: number;
  /** Scale-down stabilization window, seconds (0-3600). @default 300 */
  readonly scaleDownStabilizationSeconds?: number;
  /** Scale-up policies. @default - 100 % or 4 pods per 15 s, whichever is more (the Kubernetes default) */
  readonly scaleUpPolicies?: ScalingPolicy[];
  /** Scale-down policies. @default - 100 % per 15 s (the Kubernetes default) */
  readonly scaleDownPolicies?: ScalingPolicy[];
}

/** Props of {@link InferenceHpa}. */
export interface InferenceHpaProps {
  /** The server to scale. */
  readonly target: InferenceServer;
  /** The cluster's metrics adapter: it decides the metric names and types. */
  readonly adapter: ClusterMetricsAdapter;
  /**
   * Metrics; the HPA scales to the largest replica count any of them asks for.
   * @default - JetStream: [InferenceMetric.jetstreamPrefillBacklog(5)]; vLLM: [InferenceMetric.vllmRequestsWaiting(5)]
   */
  readonly metrics?: InferenceMetric[];
  /** Minimum replicas (1-1000). @default - the spec's minReplicas (at least 1) */
  readonly minReplicas?: number;
  /** Maximum replicas (1-1000). @default - the spec's maxReplicas */
  readonly maxReplicas?: number;
  /** Scaling behaviour. @default - scale up without stabilization, scale down after 5 minutes */
  readonly behavior?: InferenceHpaBehavior;
  /** HPA name. @default - the target's name */
  readonly name?: string;
  /** Annotations of the HPA object. @default - none */
  readonly annotations?: Record<string, string>;
}

const DEFAULT_UP: ScalingPolicy[] = [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }];
const DEFAULT_DOWN: ScalingPolicy[] = [{ type: 'Percent', value: 100, periodSeconds: 15 }];

/**
 * An `autoscaling/v2` HorizontalPodAutoscaler on inference-server metrics, served by the cluster's metrics
 * adapter (Stackdriver `Pods`/`External`, or prometheus-adapter `External`). When the target runs on a node
 * pool, replica bounds are checked against it: `acceleratorsPerReplica x maxReplicas` must fit the pool's
 * maximum (per zone, so the check is conservative for regional pools).
 */
export class InferenceHpa extends Construct implements IManifestSource {
  /** The `kubernetes_horizontal_pod_autoscaler_v2`. */
  public readonly resource: HorizontalPodAutoscalerV2;
  /** The HPA, as a plain manifest. */
  public readonly manifest: KubernetesManifest;
  /** Minimum replicas. */
  public readonly minReplicas: number;
  /** Maximum replicas. */
  public readonly maxReplicas: number;

  constructor(scope: Construct, id: string, props: InferenceHpaProps) {
    super(scope, id);
    const v: Validator = new Validator(this.node.path);
    const target = props.target;
    const spec = target.spec;
    this.minReplicas = props.minReplicas ?? Math.max(1, spec.minReplicas);
    this.maxReplicas = props.maxReplicas ?? spec.maxReplicas;
    v.integerInRange('REPLICAS_OUT_OF_RANGE', 'minReplicas', this.minReplicas, 1, 1000,
      'an HPA keeps at least one replica; scale to zero needs KEDA');
    v.integerInRange('REPLICAS_OUT_OF_RANGE', 'maxReplicas', this.maxReplicas, 1, 1000);
    v.ordered('MIN_GREATER_THAN_MAX', 'minReplicas', this.minReplicas, 'maxReplicas', this.maxReplicas);
    const pool = target.nodePool;
    if (pool) {
      const need = spec.acceleratorsPerReplica * this.maxReplicas;
      if (need > pool.maxAccelerators) {
        v.fail('POOL_CAPACITY_EXCEEDED', 'maxReplicas', this.maxReplicas,
          `at most ${Math.floor(pool.maxAccelerators / spec.acceleratorsPerReplica)} (${pool.maxAccelerators} accelerators in the pool / ${spec.acceleratorsPerReplica} per replica)`,
          `${this.maxReplicas} replicas x ${spec.acceleratorsPerReplica} accelerators = ${need}; raise the pool's maxNodes or lower maxReplicas`);
      }
    }
    const b = props.behavior ?? {};
    v.integerInRange('STABILIZATION_OUT_OF_RANGE', 'behavior.scaleUpStabilizationSeconds', b.scaleUpStabilizationSeconds, 0, 3600);
    v.integerInRange('STABILIZATION_OUT_OF_RANGE', 'behavior.scaleDownStabilizationSeconds', b.scaleDownStabilizationSeconds, 0, 3600);
    const upPolicies = b.scaleUpPolicies ?? DEFAULT_UP;
    const downPolicies = b.scaleDownPolicies ?? DEFAULT_DOWN;
    for (const [prop, list] of [['behavior.scaleUpPolicies', upPolicies], ['behavior.scaleDownPolicies', downPolicies]] as const) {
      if (list.length === 0) v.fail('SCALING_POLICY_INVALID', prop, list, 'at least one policy');
      list.forEach((p, i) => {
        v.oneOf('SCALING_POLICY_INVALID', `${prop}[${i}].type`, p.type, ['Pods', 'Percent']);
        v.integerInRange('SCALING_POLICY_INVALID', `${prop}[${i}].value`, p.value, 1, 100_000);
        v.integerInRange('SCALING_POLICY_INVALID', `${prop}[${i}].periodSeconds`, p.periodSeconds, 1, 1800);
      });
    }

    const metrics = props.metrics ?? [spec.server.kind === ServerKind.JETSTREAM
      ? InferenceMetric.jetstreamPrefillBacklog(5) : InferenceMetric.vllmRequestsWaiting(5)];
    if (metrics.length === 0) v.fail('METRICS_MISSING', 'metrics', metrics, 'at least one metric');
    const names = metrics.map((m) => m.metric);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) v.fail('METRICS_DUPLICATED', 'metrics', dup, 'each metric once');
    for (const m of metrics) {
      if (m.queueTarget !== undefined && (m.queueTarget < 3 || m.queueTarget > 10)) {
        Annotations.of(this).addWarning(`${m.metric} target ${m.queueTarget} per replica: GKE's guidance is to start a ` +
          'queue-size target between 3 and 5 and raise it until latency reaches its limit (above 10, tune the scale-up policies)');
      }
    }
    const rendered = metrics.map((m) => props.adapter.renderMetric(m, target.namespace, this.node.path).spec);
    const name = props.name ?? target.name;
    this.manifest = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace: target.namespace, labels: target.labels, ...(props.annotations ? { annotations: props.annotations } : {}) },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target.name },
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics: rendered,
        behavior: {
          scaleUp: { stabilizationWindowSeconds: b.scaleUpStabilizationSeconds ?? 0, selectPolicy: 'Max', policies: upPolicies },
          scaleDown: { stabilizationWindowSeconds: b.scaleDownStabilizationSeconds ?? 300, selectPolicy: 'Max', policies: downPolicies },
        },
      },
    };
    validateManifest(this.manifest, this.node.path);

    this.resource = new HorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name, namespace: target.namespace, labels: target.labels, annotations: props.annotations },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target.name },
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metric: rendered.map(toProviderMetric),
        behavior: {
          scaleUp: [{ stabilizationWindowSeconds: b.scaleUpStabilizationSeconds ?? 0, selectPolicy: 'Max', policy: upPolicies.map((p) => ({ ...p })) }],
          scaleDown: [{ stabilizationWindowSeconds: b.scaleDownStabilizationSeconds ?? 300, selectPolicy: 'Max', policy: downPolicies.map((p) => ({ ...p })) }],
        },
      },
      dependsOn: [target.deployment],
    });
  }

  /** The HPA, as a plain manifest (one element). */
  public get manifests(): readonly KubernetesManifest[] {
    return [this.manifest];
  }
}

/** An HPA metric in provider-kubernetes shape (`selector` is a list, targets as strings). */
function toProviderMetric(m: HpaMetricSpec): HorizontalPodAutoscalerV2SpecMetric {
  if (m.pods) {
    return { type: m.type, pods: { metric: { name: m.pods.metric.name }, target: { ...m.pods.target } } };
  }
  const e = m.external!;
  return {
    type: m.type,
    external: {
      metric: { name: e.metric.name, selector: e.metric.selector ? [{ matchLabels: e.metric.selector.matchLabels }] : undefined },
      target: { ...e.target },
    },
  };
}
