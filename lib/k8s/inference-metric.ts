import { Validator } from '../core/validate';

/** Which custom/external metrics API server answers the HPA. */
export enum MetricsAdapterKind {
  /** Google's Custom Metrics Stackdriver Adapter, reading Cloud Monitoring (Managed Service for Prometheus). */
  STACKDRIVER = 'stackdriver',
  /** prometheus-community `prometheus-adapter`, querying Managed Service for Prometheus through its frontend. */
  PROMETHEUS = 'prometheus',
}

/** HPA metric source type. */
export enum HpaMetricType {
  /** A per-pod metric (`pods`), averaged over the target's pods by the HPA. */
  PODS = 'Pods',
  /** A metric not tied to a Kubernetes object (`external`), selected by labels. */
  EXTERNAL = 'External',
}

/** One `rules.external` entry of prometheus-adapter. */
export interface PrometheusAdapterRule {
  /** Series discovery query. */
  readonly seriesQuery: string;
  /** How series labels map to Kubernetes resources. */
  readonly resources: { readonly template?: string; readonly overrides?: Record<string, { readonly resource: string }> };
  /** Name the metric is served as (`as`), and the series name pattern (`matches`). */
  readonly name: { readonly matches: string; readonly as: string };
  /** PromQL the adapter runs. */
  readonly metricsQuery: string;
}

/** An `autoscaling/v2` metric spec, as the manifest holds it. */
export interface HpaMetricSpec {
  /** `Pods` or `External`. */
  readonly type: HpaMetricType;
  /** For `Pods`. */
  readonly pods?: { readonly metric: { readonly name: string }; readonly target: HpaMetricTarget };
  /** For `External`. */
  readonly external?: {
    readonly metric: { readonly name: string; readonly selector?: { readonly matchLabels: Record<string, string> } };
    readonly target: HpaMetricTarget;
  };
}

/** An `autoscaling/v2` metric target. */
export interface HpaMetricTarget {
  /** `AverageValue` (divided by the replica count) or `Value`. */
  readonly type: 'AverageValue' | 'Value';
  /** Per-replica target (a Kubernetes quantity). */
  readonly averageValue?: string;
  /** Whole-metric target (a Kubernetes quantity). */
  readonly value?: string;
}

/** Where a metric is rendered: the adapter and the workload it scales. */
export interface MetricRenderContext {
  /** The adapter answering the HPA. */
  readonly adapter: MetricsAdapterKind;
  /** With the Stackdriver adapter: `Pods` or `External` metrics. */
  readonly stackdriverMetricType: HpaMetricType;
  /** Cluster name (the `cluster` label Managed Service for Prometheus puts on every series). */
  readonly clusterName: string;
  /** Namespace of the scaled workload. */
  readonly namespace: string;
  /** Construct path, for errors. */
  readonly path: string;
}

/** A metric rendered for one adapter: the HPA entry, and the adapter rule that serves it (prometheus-adapter). */
export interface RenderedMetric {
  /** The HPA `metrics[]` entry. */
  readonly spec: HpaMetricSpec;
  /** The prometheus-adapter rule that serves it (prometheus-adapter only). */
  readonly rule?: PrometheusAdapterRule;
}

/** Options of {@link InferenceMetric.custom}. */
export interface CustomMetricOptions {
  /** Prometheus gauge exported by the pods, e.g. `vllm:num_requests_running`. */
  readonly metric: string;
  /** Per-replica target (a positive number). */
  readonly averageValue: number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Renders a number as a Kubernetes quantity: integers as-is, fractions in milli-units. */
export function quantity(value: number): string {
  return Number.isInteger(value) ? String(value) : `${Math.round(value * 1000)}m`;
}

/**
 * A scaling metric of an inference server, rendered in the metric-name format of the chosen adapter:
 * Stackdriver `prometheus.googleapis.com|<metric>|gauge` (type `Pods`, or `External` with cluster and
 * namespace selectors); prometheus-adapter the rule's `as` name (type `External`, PromQL filtered by cluster
 * and namespace). GKE's guidance: scale on queue size (start the target at 3-5) for throughput and cost, on
 * batch size or slots used for latency.
 */
export class InferenceMetric {
  /** JetStream `jetstream_prefill_backlog_size` (requests waiting for prefill), per replica. @param target default 5 */
  public static jetstreamPrefillBacklog(target: number = 5): InferenceMetric {
    return InferenceMetric.gauge('InferenceMetric.jetstreamPrefillBacklog', 'jetstream_prefill_backlog_size', target, 10_000, true);
  }

  /** JetStream `jetstream_slots_used_percentage` (a 0-1 gauge of decode slots in use), per replica. @param percent default 90 */
  public static jetstreamSlotsUsed(percent: number = 90): InferenceMetric {
    return InferenceMetric.fraction('InferenceMetric.jetstreamSlotsUsed', 'jetstream_slots_used_percentage', percent);
  }

  /** vLLM `vllm:num_requests_waiting` (queue size), per replica. @param target default 5 */
  public static vllmRequestsWaiting(target: number = 5): InferenceMetric {
    return InferenceMetric.gauge('InferenceMetric.vllmRequestsWaiting', 'vllm:num_requests_waiting', target, 10_000, true);
  }

  /** vLLM `vllm:kv_cache_usage_perc` (a 0-1 gauge; `vllm:gpu_cache_usage_perc` on older servers), per replica. */
  public static vllmKvCacheUsage(percent: number, metric: string = 'vllm:kv_cache_usage_perc'): InferenceMetric {
    return InferenceMetric.fraction('InferenceMetric.vllmKvCacheUsage', metric, percent);
  }

  /**
   * Accelerator memory used across the cluster's accelerator nodes, in percent (GKE system metrics
   * `kubernetes_io:node_accelerator_memory_used` / `..._total`). prometheus-adapter only: the ratio is PromQL;
   * with the Stackdriver adapter use `custom()` on a per-pod gauge instead.
   */
  public static acceleratorMemoryUsed(percent: number): InferenceMetric {
    const v = new Validator('InferenceMetric.acceleratorMemoryUsed');
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'percent', percent, 1, 100);
    return new InferenceMetric('kubernetes_io:node_accelerator_memory_used', quantity(percent / 100), 'node-ratio');
  }

  /**
   * NVIDIA DCGM `DCGM_FI_DEV_GPU_UTIL` (GPU duty cycle, 0-100) of the cluster's GPUs, per replica: the sum over
   * the cluster's GPUs divided by the replica count (an `External` metric), so it assumes the GPUs the
   * metric sees serve the scaled workload. GKE's guidance: duty cycle maps poorly to LLM latency; prefer
   * queue size ({@link InferenceMetric.vllmRequestsWaiting}) or batch size.
   * @param percent target per replica, 1-100
   * @param labels series labels that narrow the GPUs counted (e.g. the workload-pod labels your DCGM exporter
   * attaches), as `metric.labels.<name>` selectors (Stackdriver) or PromQL matchers (prometheus-adapter);
   * default: every GPU of the cluster
   */
  public static dcgmGpuUtilization(percent: number, labels?: Record<string, string>): InferenceMetric {
    return InferenceMetric.node('InferenceMetric.dcgmGpuUtilization', 'DCGM_FI_DEV_GPU_UTIL', 'percent', percent, 1, 100, labels);
  }

  /** NVIDIA DCGM `DCGM_FI_DEV_MEM_COPY_UTIL` (memory bandwidth utilization, 0-100), per replica (see {@link dcgmGpuUtilization}). */
  public static dcgmMemoryCopyUtilization(percent: number, labels?: Record<string, string>): InferenceMetric {
    return InferenceMetric.node('InferenceMetric.dcgmMemoryCopyUtilization', 'DCGM_FI_DEV_MEM_COPY_UTIL', 'percent', percent, 1, 100, labels);
  }

  /**
   * NVIDIA DCGM `DCGM_FI_DEV_FB_USED` (framebuffer memory used, MiB), per replica (see {@link dcgmGpuUtilization}).
   * vLLM preallocates its KV cache, so framebuffer use stays high while idle: prefer `vllmKvCacheUsage`.
   * @param mebibytes target per replica, 1-1,048,576 MiB
   */
  public static dcgmFramebufferUsed(mebibytes: number, labels?: Record<string, string>): InferenceMetric {
    return InferenceMetric.node('InferenceMetric.dcgmFramebufferUsed', 'DCGM_FI_DEV_FB_USED', 'mebibytes', mebibytes, 1, 1_048_576, labels);
  }

  /**
   * Requests per second per replica, from a Prometheus counter the server pods export (a rate: the Stackdriver
   * adapter reads the `counter` series as a rate, prometheus-adapter runs `rate(...[1m])`).
   * @param perSecond target per replica, 0.001-100,000
   * @param metric the counter @default 'vllm:request_success_total'
   */
  public static requestRate(perSecond: number, metric: string = 'vllm:request_success_total'): InferenceMetric {
    const v = new Validator('InferenceMetric.requestRate');
    v.matches('METRIC_NAME_INVALID', 'metric', metric, METRIC_NAME, 'a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'perSecond', perSecond, 0.001, 100_000);
    return new InferenceMetric(metric, quantity(Math.round(perSecond * 1000) / 1000), 'pod-counter');
  }

  /** Any Prometheus gauge the server pods export, averaged per replica. */
  public static custom(options: CustomMetricOptions): InferenceMetric {
    return InferenceMetric.gauge('InferenceMetric.custom', options.metric, options.averageValue, 1_000_000);
  }

  private static gauge(path: string, metric: string, target: number, max: number, queue = false): InferenceMetric {
    const v = new Validator(path);
    v.matches('METRIC_NAME_INVALID', 'metric', metric, METRIC_NAME, 'a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'target', target, 0.001, max);
    return new InferenceMetric(metric, quantity(Math.round(target * 1000) / 1000), 'pod-gauge', queue ? target : undefined);
  }

  private static node(path: string, metric: string, property: string, target: number, min: number, max: number,
    labels?: Record<string, string>): InferenceMetric {
    const v = new Validator(path);
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', property, target, min, max);
    for (const [k, val] of Object.entries(labels ?? {})) {
      v.matches('METRIC_LABEL_INVALID', `labels.${k}`, k, /^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name');
      v.matches('METRIC_LABEL_INVALID', `labels.${k}`, val, /^[^"\\\n]+$/, 'a non-empty value without quotes, backslashes or newlines');
    }
    return new InferenceMetric(metric, quantity(Math.round(target * 1000) / 1000), 'node-gauge', undefined, labels);
  }

  private static fraction(path: string, metric: string, percent: number): InferenceMetric {
    const v = new Validator(path);
    v.matches('METRIC_NAME_INVALID', 'metric', metric, METRIC_NAME, 'a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'percent', percent, 1, 100);
    return new InferenceMetric(metric, quantity(Math.round(percent * 10) / 1000), 'pod-gauge');
  }

  /**
   * @param metric the Prometheus metric name the server exports
   * @param target the target as a Kubernetes quantity
   * @param shape `pod-gauge` (a per-pod gauge, averaged per replica), `pod-counter` (a per-pod counter, as a
   * rate per replica), `node-gauge` (a gauge of the cluster's nodes/GPUs, summed and divided by the replicas)
   * or `node-ratio` (a cluster-wide ratio)
   * @param queueTarget the per-replica target of a queue-size metric
   */
  private constructor(
    /** The Prometheus metric name. */
    public readonly metric: string,
    /** The target, as a Kubernetes quantity. */
    public readonly target: string,
    private readonly shape: 'pod-gauge' | 'pod-counter' | 'node-gauge' | 'node-ratio',
    /** For a queue-size metric, its per-replica target (GKE's guidance: start at 3-5). */
    public readonly queueTarget?: number,
    /** Series labels that narrow a node gauge (DCGM). */
    public readonly labels?: Readonly<Record<string, string>>,
  ) {}

  /** The name prometheus-adapter serves the metric as (colons are not allowed in API paths). */
  public get adapterName(): string {
    return this.shape === 'node-ratio' ? 'accelerator_memory_used_ratio' : this.metric.replace(/:/g, '_');
  }

  private matchers(): string {
    return Object.entries(this.labels ?? {}).map(([k, val]) => `,${k}="${val}"`).join('');
  }

  /** Renders the HPA entry (and the prometheus-adapter rule) for one adapter. */
  public render(ctx: MetricRenderContext): RenderedMetric {
    if (ctx.adapter === MetricsAdapterKind.STACKDRIVER) {
      if (this.shape === 'node-ratio') {
        new Validator(ctx.path).fail('METRIC_NOT_SUPPORTED', 'metric', this.metric, 'a per-pod gauge with the Stackdriver adapter',
          'a memory ratio needs PromQL: use MetricsAdapter.prometheus(), or InferenceMetric.custom() on a per-pod gauge');
      }
      const name = `prometheus.googleapis.com|${this.metric}|${this.shape === 'pod-counter' ? 'counter' : 'gauge'}`;
      const target: HpaMetricTarget = { type: 'AverageValue', averageValue: this.target };
      if (this.shape === 'node-gauge') {
        // DCGM series belong to the exporter, not to the workload's pods: an External metric over the cluster.
        return {
          spec: {
            type: HpaMetricType.EXTERNAL,
            external: {
              metric: {
                name,
                selector: {
                  matchLabels: {
                    'resource.labels.cluster': ctx.clusterName,
                    ...Object.fromEntries(Object.entries(this.labels ?? {}).map(([k, val]) => [`metric.labels.${k}`, val])),
                  },
                },
              },
              target,
            },
          },
        };
      }
      if (ctx.stackdriverMetricType === HpaMetricType.PODS) {
        return { spec: { type: HpaMetricType.PODS, pods: { metric: { name }, target } } };
      }
      return {
        spec: {
          type: HpaMetricType.EXTERNAL,
          external: {
            metric: {
              name,
              selector: { matchLabels: { 'resource.labels.cluster': ctx.clusterName, 'resource.labels.namespace': ctx.namespace } },
            },
            target,
          },
        },
      };
    }
    const as = this.adapterName;
    const cluster = `cluster="${ctx.clusterName}"`;
    const rule: PrometheusAdapterRule = this.shape === 'node-gauge'
      ? {
        seriesQuery: `${this.metric}{${cluster}${this.matchers()}}`,
        resources: { template: '<<.Resource>>' },
        name: { matches: `^${this.metric}$`, as },
        metricsQuery: `sum(${this.metric}{${cluster}${this.matchers()}})`,
      }
      : this.shape === 'pod-counter' ? {
        seriesQuery: `${this.metric}{${cluster},namespace="${ctx.namespace}"}`,
        resources: { template: '<<.Resource>>' },
        name: { matches: `^${this.metric}$`, as },
        metricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>,${cluster},namespace="${ctx.namespace}"}[1m]))`,
      }
      : this.shape === 'node-ratio' ? {
        seriesQuery: `kubernetes_io:node_accelerator_memory_used{cluster_name="${ctx.clusterName}"}`,
        resources: { template: '<<.Resource>>' },
        name: { matches: '^kubernetes_io:node_accelerator_memory_used$', as },
        metricsQuery: `avg(kubernetes_io:node_accelerator_memory_used{cluster_name="${ctx.clusterName}"}) / ` +
          `avg(kubernetes_io:node_accelerator_memory_total{cluster_name="${ctx.clusterName}"})`,
      }
      : {
        seriesQuery: `${this.metric}{${cluster},namespace="${ctx.namespace}"}`,
        resources: { template: '<<.Resource>>' },
        name: { matches: `^${this.metric}$`, as },
        metricsQuery: `sum(<<.Series>>{<<.LabelMatchers>>,${cluster},namespace="${ctx.namespace}"})`,
      };
    const target: HpaMetricTarget = this.shape === 'node-ratio'
      ? { type: 'Value', value: this.target }
      : { type: 'AverageValue', averageValue: this.target };
    return { spec: { type: HpaMetricType.EXTERNAL, external: { metric: { name: as }, target } }, rule };
  }
}
