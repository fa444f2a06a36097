import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { Annotations } from '../tf';
import { InferenceHpa, ScalingPolicy } from './inference-hpa';
import { InferenceMetric } from './inference-metric';
import { InferenceServer } from './inference-server';
import { IManifestSource, KubernetesManifest } from './manifest';
import { ClusterMetricsAdapter } from './metrics-adapter';

/** Annotation the HPA object carries: GPU duty cycle is a weak signal for LLM latency. */
export const GPU_SIGNAL_ADVICE_ANNOTATION = 'cdk-gpu-inference.io/scaling-signal-advice';

const ADVICE = 'GPU duty cycle (DCGM_FI_DEV_GPU_UTIL) is a weak signal for LLM latency: a GPU can be busy at a small ' +
  'batch or idle while requests queue. Prefer queue size (vllm:num_requests_waiting, jetstream_prefill_backlog_size) ' +
  'for throughput and cost, or batch size / KV-cache use for latency (GKE best practices for autoscaling LLM inference).';

/** Props of {@link GpuUtilizationHpa}. */
export interface GpuUtilizationHpaProps {
  /** The server to scale. */
  readonly target: InferenceServer;
  /** The cluster's metrics adapter. */
  readonly adapter: ClusterMetricsAdapter;
  /** `DCGM_FI_DEV_GPU_UTIL` target per replica, percent (1-100). @default 80 */
  readonly gpuUtilizationPercent?: number;
  /** `DCGM_FI_DEV_MEM_COPY_UTIL` target per replica, percent (1-100). @default - not used */
  readonly memoryCopyUtilizationPercent?: number;
  /** `DCGM_FI_DEV_FB_USED` target per replica, MiB. @default - not used */
  readonly framebufferUsedMiB?: number;
  /**
   * Series labels that narrow the DCGM metrics to the target's GPUs (e.g. the workload-pod labels your DCGM
   * exporter attaches). Without them every GPU of the cluster counts: run the target alone on its GPUs.
   * @default - every GPU of the cluster
   */
  readonly dcgmLabels?: Record<string, string>;
  /** Requests per second per replica (`InferenceMetric.requestRate`). @default - not used */
  readonly requestsPerSecond?: number;
  /** Counter the request rate is computed from. @default 'vllm:request_success_total' */
  readonly requestCounter?: string;
  /** Minimum replicas (1-1000). @default - the spec's minReplicas (at least 1) */
  readonly minReplicas?: number;
  /** Maximum replicas (1-1000). @default - the spec's maxReplicas */
  readonly maxReplicas?: number;
  /** Scale-up stabilization window, seconds (0-3600). @default 60 */
  readonly scaleUpStabilizationSeconds?: number;
  /** Scale-down stabilization window, seconds (0-3600). @default 300 */
  readonly scaleDownStabilizationSeconds?: number;
  /** Scale-up policies. @default - 100 % per 60 s */
  readonly scaleUpPolicies?: ScalingPolicy[];
  /** Scale-down policies. @default - 25 % per 120 s */
  readonly scaleDownPolicies?: ScalingPolicy[];
  /** HPA name. @default - the target's name */
  readonly name?: string;
}

/**
 * An HPA on NVIDIA DCGM GPU metrics (duty cycle, and optionally memory-copy utilization and framebuffer
 * used) plus, optionally, the request rate, built on {@link InferenceHpa}. Default behaviour: scale up after
 * a 60 s window by at most 100 % per 60 s, scale down after 300 s by at most 25 % per 120 s.
 *
 * GPU duty cycle maps poorly to LLM latency: the HPA object carries the annotation
 * {@link GPU_SIGNAL_ADVICE_ANNOTATION} and synth emits a warning pointing to queue-based metrics.
 */
export class GpuUtilizationHpa extends Construct implements IManifestSource {
  /** The HPA. */
  public readonly hpa: InferenceHpa;
  /** The metrics the HPA scales on. */
  public readonly metrics: readonly InferenceMetric[];

  constructor(scope: Construct, id: string, props: GpuUtilizationHpaProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'gpuUtilizationPercent', props.gpuUtilizationPercent, 1, 100);
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'memoryCopyUtilizationPercent', props.memoryCopyUtilizationPercent, 1, 100);
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'framebufferUsedMiB', props.framebufferUsedMiB, 1, 1_048_576);
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'requestsPerSecond', props.requestsPerSecond, 0.001, 100_000);
    const labels = props.dcgmLabels;
    const metrics = [InferenceMetric.dcgmGpuUtilization(props.gpuUtilizationPercent ?? 80, labels)];
    if (props.memoryCopyUtilizationPercent !== undefined) metrics.push(InferenceMetric.dcgmMemoryCopyUtilization(props.memoryCopyUtilizationPercent, labels));
    if (props.framebufferUsedMiB !== undefined) metrics.push(InferenceMetric.dcgmFramebufferUsed(props.framebufferUsedMiB, labels));
    if (props.requestsPerSecond !== undefined) metrics.push(InferenceMetric.requestRate(props.requestsPerSecond, props.requestCounter));
    this.metrics = metrics;
    this.hpa = new InferenceHpa(this, 'Hpa', {
      target: props.target,
      adapter: props.adapter,
      metrics,
      minReplicas: props.minReplicas,
      maxReplicas: props.maxReplicas,
      name: props.name,
      annotations: { [GPU_SIGNAL_ADVICE_ANNOTATION]: ADVICE },
      behavior: {
        scaleUpStabilizationSeconds: props.scaleUpStabilizationSeconds ?? 60,
        scaleDownStabilizationSeconds: props.scaleDownStabilizationSeconds ?? 300,
        scaleUpPolicies: props.scaleUpPolicies ?? [{ type: 'Percent', value: 100, periodSeconds: 60 }],
        scaleDownPolicies: props.scaleDownPolicies ?? [{ type: 'Percent', value: 25, periodSeconds: 120 }],
      },
    });
    Annotations.of(this).addWarning(ADVICE);
  }

  /** The HPA, as a plain manifest (one element). */
  public get manifests(): readonly KubernetesManifest[] {
    return this.hpa.manifests;
  }
}
