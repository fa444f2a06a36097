import { Construct } from 'constructs';
import { isUnresolved, Validator } from '../core/validate';
import { Annotations } from '../tf';
import { IAcceleratorPool } from './cluster';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';
import { registerDeliverySchemas } from './validation/crds';

registerDeliverySchemas();

/** Knative autoscaler class (`autoscaling.knative.dev/class`). */
export enum KnativeAutoscalerClass {
  /** Knative Pod Autoscaler: concurrency or rps, scale to zero. */
  KPA = 'kpa.autoscaling.knative.dev',
  /** Kubernetes HPA: cpu or memory, no scale to zero. */
  HPA = 'hpa.autoscaling.knative.dev',
}

/** Knative autoscaling metric (`autoscaling.knative.dev/metric`). */
export enum KnativeMetric {
  /** In-flight requests per replica (KPA). */
  CONCURRENCY = 'concurrency',
  /** Requests per second per replica (KPA). */
  RPS = 'rps',
  /** CPU, millicores (HPA). */
  CPU = 'cpu',
  /** Memory, MiB (HPA). */
  MEMORY = 'memory',
}

/** Scale-to-zero and autoscaling settings, written as the annotations Knative reads on the revision template. */
export interface KnativeScaling {
  /** `autoscaling.knative.dev/class`. @default KnativeAutoscalerClass.KPA */
  readonly autoscalerClass?: KnativeAutoscalerClass;
  /** `autoscaling.knative.dev/metric`. @default - concurrency with KPA, cpu with HPA */
  readonly metric?: KnativeMetric;
  /** `autoscaling.knative.dev/min-scale` (0-1000; 0 = scale to zero, KPA only). @default 0 */
  readonly minScale?: number;
  /** `autoscaling.knative.dev/max-scale` (1-1000). @default 1 */
  readonly maxScale?: number;
  /** `autoscaling.knative.dev/initial-scale` (1-1000, at most maxScale). @default - Knative's default, 1 */
  readonly initialScale?: number;
  /** `autoscaling.knative.dev/target`: soft per-replica target of the metric (0.01-100000). @default - Knative's default (100 concurrent requests) */
  readonly target?: number;
  /** `autoscaling.knative.dev/scale-down-delay`, seconds (0-3600). @default - Knative's default, 0 */
  readonly scaleDownDelaySeconds?: number;
  /** `autoscaling.knative.dev/scale-to-zero-pod-retention-period`, seconds (0-3600; KPA only). @default - Knative's default, 0 */
  readonly scaleToZeroPodRetentionSeconds?: number;
}

/** Props of {@link KnativeService}. */
export interface KnativeServiceProps {
  /** Service name (a DNS-1123 label, at most 63 characters; Knative derives revision and host names from it). */
  readonly name: string;
  /** Namespace. @default 'default' */
  readonly namespace?: string;
  /** Container image. */
  readonly image: string;
  /** Container command. @default - the image's entrypoint */
  readonly command?: string[];
  /** Container arguments. @default - none */
  readonly args?: string[];
  /** Port the server listens on (1-65535; Knative routes to it). @default 8080 */
  readonly port?: number;
  /** Path of the readiness probe. @default '/health' */
  readonly healthPath?: string;
  /** Environment variables read from Secrets: variable → `{ secretName, key }`. @default - none */
  readonly secretEnv?: Record<string, { readonly secretName: string; readonly key: string }>;
  /** GPUs per replica (0-16). @default 1 */
  readonly gpus?: number;
  /** CPU request. @default '4' */
  readonly cpu?: string;
  /** Memory request and limit. @default '16Gi' */
  readonly memory?: string;
  /** Node pool (node selector and tolerations; needs Knative's `kubernetes.podspec-nodeselector` and `-tolerations` features). @default - none */
  readonly nodePool?: IAcceleratorPool;
  /** `containerConcurrency`: hard limit of in-flight requests per replica (0 = unlimited, up to 1000). @default 0 */
  readonly containerConcurrency?: number;
  /** Request timeout, seconds (1-3600; Knative's `max-revision-timeout-seconds` caps it, 600 by default). @default 600 */
  readonly timeoutSeconds?: number;
  /** Autoscaling. @default - KPA on concurrency, scale to zero, at most 1 replica */
  readonly scaling?: KnativeScaling;
}

const LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** The Knative autoscaling annotation keys this library writes (knative.dev/docs/serving/autoscaling/). */
export const KNATIVE_AUTOSCALING_ANNOTATIONS = [
  'autoscaling.knative.dev/class', 'autoscaling.knative.dev/metric', 'autoscaling.knative.dev/min-scale',
  'autoscaling.knative.dev/max-scale', 'autoscaling.knative.dev/initial-scale', 'autoscaling.knative.dev/target',
  'autoscaling.knative.dev/scale-down-delay', 'autoscaling.knative.dev/scale-to-zero-pod-retention-period',
] as const;

/**
 * A Knative Serving `Service` (serving.knative.dev/v1) running a GPU model server that scales to zero. The
 * autoscaling settings become the revision-template annotations Knative reads, validated against the
 * documented ranges (knative.dev/docs/serving/autoscaling/: scale-bounds, scale-to-zero, autoscaling-metrics,
 * concurrency): min-scale/max-scale integers, scale-down-delay 0s-1h, scale to zero and the pod retention
 * period only with the KPA class, concurrency/rps metrics with KPA and cpu/memory with HPA.
 */
export class KnativeService extends Construct implements IManifestSource {
  /** The Knative Service. */
  public readonly object: KubernetesObject;
  /** The revision-template annotations. */
  public readonly annotations: Readonly<Record<string, string>>;
  /** Name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: KnativeServiceProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    this.name = props.name;
    this.namespace = props.namespace ?? 'default';
    v.matches('NAME_INVALID', 'name', this.name, LABEL, 'a DNS-1123 label starting with a letter (at most 63)');
    v.matches('NAME_INVALID', 'namespace', this.namespace, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label');
    if (!isUnresolved(props.image) && (typeof props.image !== 'string' || props.image.trim() === '')) v.fail('IMAGE_INVALID', 'image', props.image, 'a container image reference');
    const port = props.port ?? 8080;
    v.integerInRange('PORT_OUT_OF_RANGE', 'port', port, 1, 65535);
    const gpus = props.gpus ?? 1;
    v.integerInRange('ACCELERATOR_COUNT_OUT_OF_RANGE', 'gpus', gpus, 0, props.nodePool?.acceleratorsPerNode ?? 16);
    v.matches('QUANTITY_INVALID', 'cpu', props.cpu, QUANTITY, 'a Kubernetes quantity, e.g. 4 or 500m');
    v.matches('QUANTITY_INVALID', 'memory', props.memory, QUANTITY, 'a Kubernetes quantity, e.g. 16Gi');
    v.integerInRange('CONCURRENCY_OUT_OF_RANGE', 'containerConcurrency', props.containerConcurrency, 0, 1000);
    v.integerInRange('TIMEOUT_OUT_OF_RANGE', 'timeoutSeconds', props.timeoutSeconds, 1, 3600);
    this.annotations = knativeAnnotations(v, props.scaling ?? {});
    const target = props.scaling?.target;
    const cc = props.containerConcurrency ?? 0;
    if (target !== undefined && cc > 0 && target > cc && (props.scaling?.metric ?? KnativeMetric.CONCURRENCY) === KnativeMetric.CONCURRENCY) {
      Annotations.of(this).addWarning(`autoscaling target ${target} exceeds containerConcurrency ${cc}: Knative uses the smaller of the soft and hard limits`);
    }

    const gpuResource = props.nodePool?.resourceName ?? 'nvidia.com/gpu';
    const memory = props.memory ?? '16Gi';
    const accel = gpus > 0 ? { [gpuResource]: String(gpus) } : {};
    const env = Object.entries(props.secretEnv ?? {}).map(([name, ref]) => {
      v.matches('ENV_INVALID', `secretEnv.${name}`, name, /^[-._a-zA-Z][-._a-zA-Z0-9]*$/, 'an environment variable name');
      return { name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } };
    });
    const container: Record<string, unknown> = {
      image: props.image,
      ...(props.command ? { command: props.command } : {}),
      ...(props.args?.length ? { args: props.args } : {}),
      ports: [{ name: 'http1', containerPort: port }],
      ...(env.length ? { env } : {}),
      readinessProbe: { httpGet: { path: props.healthPath ?? '/health' }, periodSeconds: 10 },
      resources: { requests: { cpu: props.cpu ?? '4', memory, ...accel }, limits: { memory, ...accel } },
    };
    this.object = new KubernetesObject(this, 'Resource', {
      manifest: {
        apiVersion: 'serving.knative.dev/v1', kind: 'Service',
        metadata: { name: this.name, namespace: this.namespace },
        spec: {
          template: {
            metadata: { annotations: { ...this.annotations } },
            spec: {
              containerConcurrency: props.containerConcurrency ?? 0,
              timeoutSeconds: props.timeoutSeconds ?? 600,
              ...(props.nodePool ? { nodeSelector: props.nodePool.nodeSelector } : {}),
              ...(props.nodePool?.tolerations.length ? { tolerations: props.nodePool.tolerations.map((t) => ({ ...t })) } : {}),
              containers: [container],
            },
          },
        },
      },
    });
  }

  /** The Knative Service, as a plain manifest (one element). */
  public get manifests(): readonly KubernetesManifest[] {
    return this.object.manifests;
  }
}

/** Validates `s` and renders the Knative autoscaling annotations. */
function knativeAnnotations(v: Validator, s: KnativeScaling): Record<string, string> {
  const cls = s.autoscalerClass ?? KnativeAutoscalerClass.KPA;
  v.oneOf('AUTOSCALER_CLASS_INVALID', 'scaling.autoscalerClass', cls, Object.values(KnativeAutoscalerClass));
  const kpa = cls === KnativeAutoscalerClass.KPA;
  const metric = s.metric ?? (kpa ? KnativeMetric.CONCURRENCY : KnativeMetric.CPU);
  v.oneOf('SCALE_METRIC_INVALID', 'scaling.metric', metric, kpa ? [KnativeMetric.CONCURRENCY, KnativeMetric.RPS] : [KnativeMetric.CPU, KnativeMetric.MEMORY],
    kpa ? 'the KPA scales on concurrency or rps' : 'the HPA class scales on cpu or memory');
  const min = s.minScale ?? (kpa ? 0 : 1);
  const max = s.maxScale ?? Math.max(1, min);
  v.integerInRange('REPLICAS_OUT_OF_RANGE', 'scaling.minScale', min, 0, 1000);
  v.integerInRange('REPLICAS_OUT_OF_RANGE', 'scaling.maxScale', max, 1, 1000);
  v.ordered('MIN_GREATER_THAN_MAX', 'scaling.minScale', min, 'scaling.maxScale', max);
  if (min === 0 && !kpa) {
    v.fail('SCALE_TO_ZERO_NOT_SUPPORTED', 'scaling.minScale', min, 'at least 1 with the HPA class', 'scale to zero needs the Knative Pod Autoscaler (KPA)');
  }
  v.integerInRange('REPLICAS_OUT_OF_RANGE', 'scaling.initialScale', s.initialScale, 1, max);
  v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'scaling.target', s.target, 0.01, 100_000);
  v.integerInRange('SCALE_DOWN_DELAY_OUT_OF_RANGE', 'scaling.scaleDownDelaySeconds', s.scaleDownDelaySeconds, 0, 3600, 'Knative accepts 0s to 1h');
  v.integerInRange('RETENTION_PERIOD_OUT_OF_RANGE', 'scaling.scaleToZeroPodRetentionSeconds', s.scaleToZeroPodRetentionSeconds, 0, 3600);
  if (s.scaleToZeroPodRetentionSeconds !== undefined && !kpa) {
    v.fail('SCALE_TO_ZERO_NOT_SUPPORTED', 'scaling.scaleToZeroPodRetentionSeconds', s.scaleToZeroPodRetentionSeconds, 'unset with the HPA class', 'scale to zero is a KPA feature');
  }
  const a: Record<string, string> = {
    'autoscaling.knative.dev/class': cls,
    'autoscaling.knative.dev/metric': metric,
    'autoscaling.knative.dev/min-scale': String(min),
    'autoscaling.knative.dev/max-scale': String(max),
  };
  if (s.initialScale !== undefined) a['autoscaling.knative.dev/initial-scale'] = String(s.initialScale);
  if (s.target !== undefined) a['autoscaling.knative.dev/target'] = String(Math.round(s.target * 100) / 100);
  if (s.scaleDownDelaySeconds !== undefined) a['autoscaling.knative.dev/scale-down-delay'] = `${s.scaleDownDelaySeconds}s`;
  if (s.scaleToZeroPodRetentionSeconds !== undefined) {
    a['autoscaling.knative.dev/scale-to-zero-pod-retention-period'] = `${s.scaleToZeroPodRetentionSeconds}s`;
  }
  return a;
}
