import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { IAcceleratorPool } from './cluster';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';
import { registerDeliverySchemas } from './validation/crds';

registerDeliverySchemas();

/** KServe deployment mode (annotation `serving.kserve.io/deploymentMode`). */
export enum KServeDeploymentMode {
  /** Knative Serving revisions: scale to zero, canary traffic split (`canaryTrafficPercent`). */
  SERVERLESS = 'Serverless',
  /** Plain Deployment + HPA or KEDA ("Standard" in KServe 0.16+): no scale to zero, no canary split. */
  RAW_DEPLOYMENT = 'RawDeployment',
}

/** Which autoscaler scales the predictor. */
export enum KServeAutoscalerClass {
  /** Knative Pod Autoscaler (Serverless mode only; `autoscaling.knative.dev/class: kpa.autoscaling.knative.dev`). */
  KPA = 'kpa',
  /** Kubernetes HPA (Serverless: `autoscaling.knative.dev/class: hpa.autoscaling.knative.dev`; RawDeployment: `serving.kserve.io/autoscalerClass: hpa`). */
  HPA = 'hpa',
  /** KEDA ScaledObject created by KServe (`serving.kserve.io/autoscalerClass: keda`, RawDeployment mode only). */
  KEDA = 'keda',
}

/** KServe `scaleMetric` (enum of the v0.15.2 CRD). */
export enum KServeScaleMetric {
  /** In-flight requests per replica (KPA). */
  CONCURRENCY = 'concurrency',
  /** Requests per second per replica (KPA). */
  RPS = 'rps',
  /** CPU utilization percent. */
  CPU = 'cpu',
  /** Memory utilization percent. */
  MEMORY = 'memory',
}

/** Props of {@link KServeInferenceService}. */
export interface KServeInferenceServiceProps {
  /** InferenceService name (a DNS-1123 label; KServe derives hostnames from it). */
  readonly name: string;
  /** Namespace. @default 'default' */
  readonly namespace?: string;
  /** Model format the serving runtime is picked by, e.g. `huggingface` (KServe's vLLM-backed runtime). */
  readonly modelFormat: string;
  /** Model format version. @default - none */
  readonly modelFormatVersion?: string;
  /** Serving runtime name. @default - the runtime KServe picks for the format */
  readonly runtime?: string;
  /** `storageUri` of the model, e.g. `hf://google/gemma-3-1b-it` or `gs://bucket/model`. @default - none (the runtime fetches it from args) */
  readonly storageUri?: string;
  /** Extra runtime arguments. @default - none */
  readonly args?: string[];
  /** Secret (key `hf_api_token`, as `InferenceServer` reads it) with a Hugging Face token for gated models, passed as `HF_TOKEN`. @default - none */
  readonly huggingFaceTokenSecret?: string;
  /** GPUs per replica (0-16). @default 1 */
  readonly gpus?: number;
  /** CPU request. @default '4' */
  readonly cpu?: string;
  /** Memory request and limit. @default '16Gi' */
  readonly memory?: string;
  /** The node pool (node selector, tolerations, GPU resource name). @default - no node selector; GPUs as `nvidia.com/gpu` */
  readonly nodePool?: IAcceleratorPool;
  /** Deployment mode. @default KServeDeploymentMode.SERVERLESS */
  readonly deploymentMode?: KServeDeploymentMode;
  /** Autoscaler. @default - KPA in Serverless mode, HPA in RawDeployment mode */
  readonly autoscalerClass?: KServeAutoscalerClass;
  /** Minimum replicas (0-1000; 0 = scale to zero, Serverless with KPA only). @default 1 */
  readonly minReplicas?: number;
  /** Maximum replicas (1-1000). @default 1 */
  readonly maxReplicas?: number;
  /** Scale metric. @default - KServe's default (concurrency with KPA, cpu with HPA) */
  readonly scaleMetric?: KServeScaleMetric;
  /** Scale target per replica (integer >= 1; percent for cpu/memory, at most 100). @default - KServe's default */
  readonly scaleTarget?: number;
  /** Percent of traffic sent to the latest revision, the rest to the previous ready one (0-100; Serverless only). @default - none (all to latest) */
  readonly canaryTrafficPercent?: number;
  /** Request timeout, seconds (1-3600). @default - KServe's default */
  readonly timeoutSeconds?: number;
}

const NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/**
 * A KServe `InferenceService` (serving.kserve.io/v1beta1) with one predictor: model format, storage URI,
 * resources with GPUs, min/max replicas (0 = scale to zero), scale metric and target, the autoscaler class and
 * deployment mode via the annotations KServe reads, and canary rollouts via `canaryTrafficPercent`.
 *
 * Rules (KServe docs, "Autoscaling with Kubernetes HPA", "Autoscaling with KEDA", "Canary rollout"):
 * canary traffic splitting and scale to zero need Serverless mode (Knative, KPA); KEDA runs in RawDeployment
 * mode only; `concurrency` and `rps` metrics are KPA's, RawDeployment scales on `cpu` or `memory`.
 */
export class KServeInferenceService extends Construct implements IManifestSource {
  /** The InferenceService. */
  public readonly object: KubernetesObject;
  /** Name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;
  /** Deployment mode. */
  public readonly deploymentMode: KServeDeploymentMode;
  /** Autoscaler class. */
  public readonly autoscalerClass: KServeAutoscalerClass;

  constructor(scope: Construct, id: string, props: KServeInferenceServiceProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    this.name = props.name;
    this.namespace = props.namespace ?? 'default';
    v.matches('NAME_INVALID', 'name', this.name, NAME, 'a DNS-1123 label starting with a letter (at most 63)');
    v.matches('NAME_INVALID', 'namespace', this.namespace, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label');
    const mode = props.deploymentMode ?? KServeDeploymentMode.SERVERLESS;
    v.oneOf('DEPLOYMENT_MODE_INVALID', 'deploymentMode', mode, Object.values(KServeDeploymentMode));
    const serverless = mode === KServeDeploymentMode.SERVERLESS;
    const cls = props.autoscalerClass ?? (serverless ? KServeAutoscalerClass.KPA : KServeAutoscalerClass.HPA);
    v.oneOf('AUTOSCALER_CLASS_INVALID', 'autoscalerClass', cls, Object.values(KServeAutoscalerClass));
    if (cls === KServeAutoscalerClass.KPA && !serverless) {
      v.fail('AUTOSCALER_CLASS_INVALID', 'autoscalerClass', cls, 'hpa or keda in RawDeployment mode', 'the Knative Pod Autoscaler needs Serverless mode');
    }
    if (cls === KServeAutoscalerClass.KEDA && serverless) {
      v.fail('AUTOSCALER_CLASS_INVALID', 'autoscalerClass', cls, 'kpa or hpa in Serverless mode', 'KServe runs KEDA in RawDeployment mode only');
    }
    this.deploymentMode = mode;
    this.autoscalerClass = cls;
    const min = props.minReplicas ?? 1;
    const max = props.maxReplicas ?? Math.max(1, min);
    v.integerInRange('REPLICAS_OUT_OF_RANGE', 'minReplicas', min, 0, 1000);
    v.integerInRange('REPLICAS_OUT_OF_RANGE', 'maxReplicas', max, 1, 1000);
    v.ordered('MIN_GREATER_THAN_MAX', 'minReplicas', min, 'maxReplicas', max);
    if (min === 0 && cls !== KServeAutoscalerClass.KPA) {
      v.fail('SCALE_TO_ZERO_NOT_SUPPORTED', 'minReplicas', min, `at least 1 with the ${cls} autoscaler`,
        'scale to zero needs Serverless mode with the Knative Pod Autoscaler (KPA)');
    }
    if (props.canaryTrafficPercent !== undefined) {
      if (!serverless) {
        v.fail('CANARY_NOT_SUPPORTED', 'canaryTrafficPercent', props.canaryTrafficPercent, 'unset in RawDeployment mode',
          'KServe splits canary traffic between Knative revisions: use Serverless mode');
      }
      v.integerInRange('CANARY_PERCENT_OUT_OF_RANGE', 'canaryTrafficPercent', props.canaryTrafficPercent, 0, 100);
    }
    const metric = props.scaleMetric;
    v.oneOf('SCALE_METRIC_INVALID', 'scaleMetric', metric, Object.values(KServeScaleMetric));
    if (metric && cls !== KServeAutoscalerClass.KPA && (metric === KServeScaleMetric.CONCURRENCY || metric === KServeScaleMetric.RPS)) {
      v.fail('SCALE_METRIC_INVALID', 'scaleMetric', metric, `cpu or memory with the ${cls} autoscaler`, 'concurrency and rps are Knative Pod Autoscaler metrics');
    }
    if (metric && cls === KServeAutoscalerClass.KEDA) {
      v.fail('SCALE_METRIC_INVALID', 'scaleMetric', metric, 'unset with the keda autoscaler', 'KServe configures KEDA through spec.predictor.autoScaling; use a KedaScaledObject for custom triggers');
    }
    const pct = metric === KServeScaleMetric.CPU || metric === KServeScaleMetric.MEMORY;
    v.integerInRange('SCALING_TARGET_OUT_OF_RANGE', 'scaleTarget', props.scaleTarget, 1, pct ? 100 : 100_000);
    v.integerInRange('TIMEOUT_OUT_OF_RANGE', 'timeoutSeconds', props.timeoutSeconds, 1, 3600);
    const gpus = props.gpus ?? 1;
    v.integerInRange('ACCELERATOR_COUNT_OUT_OF_RANGE', 'gpus', gpus, 0, 16);
    if (props.nodePool) {
      v.integerInRange('ACCELERATOR_COUNT_OUT_OF_RANGE', 'gpus', gpus, 0, props.nodePool.acceleratorsPerNode, 'a replica must fit on one node of the pool');
    }
    v.matches('QUANTITY_INVALID', 'cpu', props.cpu, QUANTITY, 'a Kubernetes quantity, e.g. 4 or 500m');
    v.matches('QUANTITY_INVALID', 'memory', props.memory, QUANTITY, 'a Kubernetes quantity, e.g. 16Gi');
    v.matches('NAME_INVALID', 'huggingFaceTokenSecret', props.huggingFaceTokenSecret, /^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$/, 'a Secret name');

    const gpuResource = props.nodePool?.resourceName ?? 'nvidia.com/gpu';
    const cpu = props.cpu ?? '4';
    const memory = props.memory ?? '16Gi';
    const accel = gpus > 0 ? { [gpuResource]: String(gpus) } : {};
    const annotations: Record<string, string> = { 'serving.kserve.io/deploymentMode': mode };
    // Serverless: Knative reads its own class annotation (kpa or hpa); RawDeployment: KServe's (hpa or keda).
    if (serverless) annotations['autoscaling.knative.dev/class'] = `${cls}.autoscaling.knative.dev`;
    else annotations['serving.kserve.io/autoscalerClass'] = cls;
    const predictor: Record<string, unknown> = {
      minReplicas: min,
      maxReplicas: max,
      ...(metric ? { scaleMetric: metric } : {}),
      ...(props.scaleTarget !== undefined ? { scaleTarget: props.scaleTarget } : {}),
      ...(props.canaryTrafficPercent !== undefined ? { canaryTrafficPercent: props.canaryTrafficPercent } : {}),
      ...(props.timeoutSeconds !== undefined ? { timeout: props.timeoutSeconds } : {}),
      ...(props.nodePool ? { nodeSelector: props.nodePool.nodeSelector } : {}),
      ...(props.nodePool?.tolerations.length ? { tolerations: props.nodePool.tolerations.map((t) => ({ ...t })) } : {}),
      model: {
        modelFormat: { name: props.modelFormat, ...(props.modelFormatVersion ? { version: props.modelFormatVersion } : {}) },
        ...(props.runtime ? { runtime: props.runtime } : {}),
        ...(props.storageUri ? { storageUri: props.storageUri } : {}),
        ...(props.args?.length ? { args: props.args } : {}),
        ...(props.huggingFaceTokenSecret
          ? { env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: props.huggingFaceTokenSecret, key: 'hf_api_token' } } }] }
          : {}),
        resources: { requests: { cpu, memory, ...accel }, limits: { memory, ...accel } },
      },
    };
    this.object = new KubernetesObject(this, 'Resource', {
      manifest: {
        apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService',
        metadata: { name: this.name, namespace: this.namespace, annotations },
        spec: { predictor },
      },
    });
  }

  /** The InferenceService, as a plain manifest (one element). */
  public get manifests(): readonly KubernetesManifest[] {
    return this.object.manifests;
  }
}
