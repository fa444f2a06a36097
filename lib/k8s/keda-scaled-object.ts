import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { InferenceHpa, InferenceHpaBehavior, ScalingPolicy } from './inference-hpa';
import { InferenceServer } from './inference-server';
import { KedaTrigger } from './keda-trigger';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';
import { registerDeliverySchemas } from './validation/crds';

registerDeliverySchemas();

/** The workload a ScaledObject (or HPA) scales: an {@link InferenceServer} or any object with a `/scale` subresource. */
export interface ScaleTarget {
  /** Object name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** Kind. @default 'Deployment' */
  readonly kind?: string;
  /** API version. @default 'apps/v1' */
  readonly apiVersion?: string;
}

/** KEDA `fallback`: the replica count to hold while a scaler keeps failing. */
export interface KedaFallback {
  /** Consecutive scaler failures before the fallback applies (1-100). */
  readonly failureThreshold: number;
  /** Replicas to hold (1 to maxReplicas). */
  readonly replicas: number;
}

/** Props of {@link KedaScaledObject}. */
export interface KedaScaledObjectProps {
  /** The workload to scale (same namespace as the ScaledObject). */
  readonly target: ScaleTarget;
  /** Triggers; KEDA scales to the largest replica count any of them asks for. */
  readonly triggers: KedaTrigger[];
  /** ScaledObject name. @default - the target's name */
  readonly name?: string;
  /** `minReplicaCount` (0-1000; 0 = scale to zero, which cpu/memory triggers alone cannot do). @default 1 */
  readonly minReplicas?: number;
  /** `maxReplicaCount` (1-1000). @default - the InferenceServer's maxReplicas, else 100 */
  readonly maxReplicas?: number;
  /** `idleReplicaCount`: replicas while no trigger is active; only 0 is supported, below minReplicas. @default - not set */
  readonly idleReplicas?: number;
  /** `pollingInterval`, seconds (1-3600). @default 30 */
  readonly pollingIntervalSeconds?: number;
  /** `cooldownPeriod` before scaling to zero/idle, seconds (0-86400). @default 300 */
  readonly cooldownSeconds?: number;
  /** Fallback while scalers fail (not with cpu/memory triggers). @default - none */
  readonly fallback?: KedaFallback;
  /** HPA behaviour of the HPA KEDA creates. @default - Kubernetes' defaults */
  readonly behavior?: InferenceHpaBehavior;
}

/**
 * A KEDA `ScaledObject`: event-driven scaling of a workload on Prometheus queries, Kafka lag, CPU or memory,
 * with min/max/idle replicas, polling interval, cooldown, fallback and HPA behaviour. KEDA owns the HPA of
 * its target: a target already scaled by an `InferenceHpa` of the same app fails with `AUTOSCALER_CONFLICT`.
 * The TriggerAuthentications of its triggers are applied first.
 *
 * Ranges and rules: KEDA ScaledObject specification (keda.sh/docs/2.17/reference/scaledobject-spec):
 * `idleReplicaCount` must be less than `minReplicaCount` and only 0 is supported; cpu/memory scalers cannot
 * scale to zero and do not support `fallback`.
 */
export class KedaScaledObject extends Construct implements IManifestSource {
  /** The ScaledObject. */
  public readonly object: KubernetesObject;
  /** Minimum replicas. */
  public readonly minReplicas: number;
  /** Maximum replicas. */
  public readonly maxReplicas: number;

  constructor(scope: Construct, id: string, props: KedaScaledObjectProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    const t = props.target;
    this.minReplicas = props.minReplicas ?? 1;
    this.maxReplicas = props.maxReplicas ?? (t instanceof InferenceServer ? t.spec.maxReplicas : 100);
    v.integerInRange('REPLICAS_OUT_OF_RANGE', 'minReplicas', this.minReplicas, 0, 1000);
    v.integerInRange('REPLICAS_OUT_OF_RANGE', 'maxReplicas', this.maxReplicas, 1, 1000);
    v.ordered('MIN_GREATER_THAN_MAX', 'minReplicas', this.minReplicas, 'maxReplicas', this.maxReplicas);
    if (props.idleReplicas !== undefined) {
      v.integerInRange('IDLE_REPLICAS_INVALID', 'idleReplicas', props.idleReplicas, 0, 0, 'KEDA supports only idleReplicaCount 0');
      if (props.idleReplicas >= this.minReplicas) {
        v.fail('IDLE_REPLICAS_INVALID', 'idleReplicas', props.idleReplicas, `less than minReplicas (${this.minReplicas})`);
      }
    }
    v.integerInRange('POLLING_INTERVAL_OUT_OF_RANGE', 'pollingIntervalSeconds', props.pollingIntervalSeconds, 1, 3600);
    v.integerInRange('COOLDOWN_OUT_OF_RANGE', 'cooldownSeconds', props.cooldownSeconds, 0, 86_400);
    if (props.triggers.length === 0) v.fail('TRIGGERS_MISSING', 'triggers', props.triggers, 'at least one trigger');
    const names = props.triggers.map((x) => x.spec.name).filter((n): n is string => n !== undefined);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) v.fail('TRIGGER_INVALID', 'triggers', dup, 'unique trigger names');
    names.forEach((n) => v.matches('TRIGGER_INVALID', 'triggers[].name', n, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label'));
    const onlyResource = props.triggers.every((x) => x.isResourceMetric);
    if (onlyResource && (this.minReplicas === 0 || props.idleReplicas === 0)) {
      v.fail('SCALE_TO_ZERO_NOT_SUPPORTED', 'minReplicas', this.minReplicas, 'at least 1 with only cpu/memory triggers',
        'add an event trigger (prometheus, kafka) to scale to zero');
    }
    if (props.fallback) {
      v.integerInRange('FALLBACK_INVALID', 'fallback.failureThreshold', props.fallback.failureThreshold, 1, 100);
      v.integerInRange('FALLBACK_INVALID', 'fallback.replicas', props.fallback.replicas, 1, this.maxReplicas);
      const res = props.triggers.find((x) => x.isResourceMetric);
      if (res) v.fail('FALLBACK_INVALID', 'fallback', res.spec.type, 'triggers other than cpu/memory', 'KEDA does not support fallback with cpu/memory scalers');
    }
    for (const auth of props.triggers.map((x) => x.authentication)) {
      if (auth && auth.namespace !== t.namespace) {
        v.fail('TRIGGER_INVALID', 'triggers[].authentication', auth.namespace, `namespace ${t.namespace}`, 'a TriggerAuthentication is namespaced: use the ScaledObject\'s namespace');
      }
    }
    const kind = t.kind ?? 'Deployment';
    const hpa = this.node.root.node.findAll().find((c): c is InferenceHpa => c instanceof InferenceHpa &&
      (c.manifest.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef.name === t.name &&
      (c.manifest.spec as { scaleTargetRef: { kind: string } }).scaleTargetRef.kind === kind && c.manifest.metadata.namespace === t.namespace);
    if (hpa) {
      v.fail('AUTOSCALER_CONFLICT', 'target', `${t.namespace}/${t.name}`, 'a workload no other HPA scales',
        `${hpa.node.path} already scales it; KEDA creates its own HPA and the two would fight`);
    }
    const behavior = props.behavior ? renderBehavior(v, props.behavior) : undefined;
    const auths = [...new Set(props.triggers.map((x) => x.authentication).filter((a) => a !== undefined))];
    const labels = t instanceof InferenceServer ? t.labels : undefined;
    this.object = new KubernetesObject(this, 'Resource', {
      manifest: {
        apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject',
        metadata: { name: props.name ?? t.name, namespace: t.namespace, ...(labels ? { labels } : {}) },
        spec: {
          scaleTargetRef: { apiVersion: t.apiVersion ?? 'apps/v1', kind, name: t.name },
          pollingInterval: props.pollingIntervalSeconds ?? 30,
          cooldownPeriod: props.cooldownSeconds ?? 300,
          ...(props.idleReplicas !== undefined ? { idleReplicaCount: props.idleReplicas } : {}),
          minReplicaCount: this.minReplicas,
          maxReplicaCount: this.maxReplicas,
          ...(props.fallback ? { fallback: { failureThreshold: props.fallback.failureThreshold, replicas: props.fallback.replicas } } : {}),
          ...(behavior ? { advanced: { horizontalPodAutoscalerConfig: { behavior } } } : {}),
          triggers: props.triggers.map((x) => x.render()),
        },
      },
      dependsOn: [
        ...auths.map((a) => a.dependable),
        ...(t instanceof InferenceServer ? [t.deployment] : []),
      ],
    });
  }

  /** The ScaledObject, as a plain manifest (one element). */
  public get manifests(): readonly KubernetesManifest[] {
    return this.object.manifests;
  }
}

function renderBehavior(v: Validator, b: InferenceHpaBehavior): Record<string, unknown> {
  v.integerInRange('STABILIZATION_OUT_OF_RANGE', 'behavior.scaleUpStabilizationSeconds', b.scaleUpStabilizationSeconds, 0, 3600);
  v.integerInRange('STABILIZATION_OUT_OF_RANGE', 'behavior.scaleDownStabilizationSeconds', b.scaleDownStabilizationSeconds, 0, 3600);
  const rule = (prop: string, window: number | undefined, policies: ScalingPolicy[] | undefined) => {
    policies?.forEach((p, i) => {
      v.oneOf('SCALING_POLICY_INVALID', `${prop}[${i}].type`, p.type, ['Pods', 'Percent']);
      v.integerInRange('SCALING_POLICY_INVALID', `${prop}[${i}].value`, p.value, 1, 100_000);
      v.integerInRange('SCALING_POLICY_INVALID', `${prop}[${i}].periodSeconds`, p.periodSeconds, 1, 1800);
    });
    if (policies && policies.length === 0) v.fail('SCALING_POLICY_INVALID', prop, policies, 'at least one policy (or leave it unset)');
    const out: Record<string, unknown> = {};
    if (window !== undefined) out.stabilizationWindowSeconds = window;
    if (policies) out.policies = policies.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds }));
    return Object.keys(out).length ? out : undefined;
  };
  const up = rule('behavior.scaleUpPolicies', b.scaleUpStabilizationSeconds, b.scaleUpPolicies);
  const down = rule('behavior.scaleDownPolicies', b.scaleDownStabilizationSeconds, b.scaleDownPolicies);
  return { ...(up ? { scaleUp: up } : {}), ...(down ? { scaleDown: down } : {}) };
}
