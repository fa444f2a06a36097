import { Validator } from '../core/validate';

/** The vLLM KV-cache gauge (0-1) of current servers. */
export const VLLM_KV_CACHE_USAGE = 'vllm:kv_cache_usage_perc';
/** The same gauge under its older name (vLLM before the rename). */
export const VLLM_GPU_CACHE_USAGE_LEGACY = 'vllm:gpu_cache_usage_perc';

/** One server metric exported to the load balancer by an `AutoscalingMetric`. */
export interface ExportedMetric {
  /** Prometheus gauge name on the server's metrics endpoint, e.g. `vllm:kv_cache_usage_perc`. */
  readonly name: string;
  /** Export name: the load balancer reads it as `gke.named_metrics.<exportName>`. */
  readonly exportName: string;
}

/**
 * A server gauge (values 0-1) the load balancer balances on, exported by an `AutoscalingMetric`.
 * {@link LoadBalancingMetric.kvCacheUsage} exports both the current and the older vLLM KV-cache name.
 */
export class LoadBalancingMetric {
  /**
   * vLLM KV-cache utilization: exports `vllm:kv_cache_usage_perc` as `kv-cache` and the older
   * `vllm:gpu_cache_usage_perc` as `kv-cache-legacy`; the load balancer reads `kv-cache` (or
   * `kv-cache-legacy` with `legacy: true`, for servers that only publish the old name).
   */
  public static kvCacheUsage(options: { readonly legacy?: boolean } = {}): LoadBalancingMetric {
    return new LoadBalancingMetric(
      [{ name: VLLM_KV_CACHE_USAGE, exportName: 'kv-cache' }, { name: VLLM_GPU_CACHE_USAGE_LEGACY, exportName: 'kv-cache-legacy' }],
      options.legacy ? 'kv-cache-legacy' : 'kv-cache');
  }

  /** Any gauge of the server (values 0-1), exported under `exportName`. */
  public static custom(name: string, exportName: string): LoadBalancingMetric {
    return new LoadBalancingMetric([{ name, exportName }], exportName);
  }

  private constructor(
    /** Every gauge the `AutoscalingMetric` exports. */
    public readonly exports: readonly ExportedMetric[],
    /** The export the load balancer balances on. */
    public readonly exportName: string,
  ) {}

  /** The name a GCPBackendPolicy uses: `gke.named_metrics.<exportName>`. */
  public get loadBalancerName(): string {
    return `gke.named_metrics.${this.exportName}`;
  }
}

/** GCPBackendPolicy `balancingMode` of the multi-cluster inference gateway. */
export enum BalancingMode {
  /** Balance on an exported server gauge against `maxUtilizationPercent`. */
  CUSTOM_METRICS = 'CUSTOM_METRICS',
  /** Balance on the requests in flight per endpoint. */
  IN_FLIGHT = 'IN_FLIGHT',
}

/** Options of {@link Balancing.customMetric}. */
export interface CustomMetricBalancingOptions {
  /** The gauge, e.g. `LoadBalancingMetric.kvCacheUsage()`. */
  readonly metric: LoadBalancingMetric;
  /** Target utilization of the gauge, percent (1-100). GKE's guide starts at 60. @default 60 */
  readonly maxUtilizationPercent?: number;
  /** Report the decisions without acting on them. @default false */
  readonly dryRun?: boolean;
}

/** Options of {@link Balancing.inFlight}. */
export interface InFlightBalancingOptions {
  /** Requests in flight per endpoint at full capacity (1-1,000,000); GKE's example uses 1000. */
  readonly maxPerEndpoint: number;
  /** Report the decisions without acting on them. @default false */
  readonly dryRun?: boolean;
}

/**
 * How the cross-regional load balancer spreads requests over the clusters' endpoints: on an exported server
 * gauge (KV-cache utilization) or on requests in flight. GKE says "configure only one": each instance is one
 * or the other, so the two are mutually exclusive by construction.
 */
export class Balancing {
  /** Balance on a server gauge exported by an `AutoscalingMetric` (`balancingMode: CUSTOM_METRICS`). */
  public static customMetric(options: CustomMetricBalancingOptions): Balancing {
    return new Balancing(BalancingMode.CUSTOM_METRICS, options.metric, options.maxUtilizationPercent ?? 60, undefined, options.dryRun);
  }

  /** Balance on requests in flight per endpoint (`balancingMode: IN_FLIGHT`). */
  public static inFlight(options: InFlightBalancingOptions): Balancing {
    return new Balancing(BalancingMode.IN_FLIGHT, undefined, undefined, options.maxPerEndpoint, options.dryRun);
  }

  private constructor(
    /** The balancing mode. */
    public readonly mode: BalancingMode,
    /** The gauge (custom-metric balancing only). */
    public readonly metric: LoadBalancingMetric | undefined,
    /** Target utilization, percent (custom-metric balancing only). */
    public readonly maxUtilizationPercent: number | undefined,
    /** Requests in flight per endpoint (in-flight balancing only). */
    public readonly maxInFlightPerEndpoint: number | undefined,
    /** Dry run. */
    public readonly dryRun: boolean | undefined,
  ) {}

  /** Validates the numbers (errors name `path`) and returns the GCPBackendPolicy `spec.default` balancing fields. */
  public policyFields(path: string): Record<string, unknown> {
    const v = new Validator(path);
    if (this.mode === BalancingMode.CUSTOM_METRICS) {
      v.integerInRange('UTILIZATION_OUT_OF_RANGE', 'balancing.maxUtilizationPercent', this.maxUtilizationPercent, 1, 100,
        'GKE\'s guide starts at 60');
      return {
        balancingMode: this.mode,
        customMetrics: [{ name: this.metric!.loadBalancerName, dryRun: this.dryRun ?? false, maxUtilizationPercent: this.maxUtilizationPercent }],
      };
    }
    v.integerInRange('IN_FLIGHT_OUT_OF_RANGE', 'balancing.maxPerEndpoint', this.maxInFlightPerEndpoint, 1, 1_000_000);
    return {
      balancingMode: this.mode,
      maxInFlightRequestsPerEndpoint: this.maxInFlightPerEndpoint,
      ...(this.dryRun !== undefined ? { dryRun: this.dryRun } : {}),
    };
  }
}
