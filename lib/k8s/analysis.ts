import { isUnresolved, Validator } from '../core/validate';

/** Options every Prometheus analysis takes. */
export interface AnalysisOptions {
  /** Prometheus HTTP API base URL, e.g. `http://prometheus.istio-system:9090`. */
  readonly prometheusAddress: string;
  /** AnalysisTemplate (and metric) name, a DNS-1123 label. @default - per factory: 'success-rate', 'latency-p99' */
  readonly name?: string;
  /** Seconds between measurements (10-3600). @default 60 */
  readonly intervalSeconds?: number;
  /** Measurements taken (1-100). @default 5 */
  readonly count?: number;
  /** Failed measurements tolerated before the analysis fails (0 to count - 1). @default 1 */
  readonly failureLimit?: number;
}

/** Options of {@link Analysis.successRate}. */
export interface SuccessRateOptions extends AnalysisOptions {
  /** Minimum fraction of non-5xx responses (greater than 0, at most 1). @default 0.99 */
  readonly minSuccessRate?: number;
}

/** Options of {@link Analysis.latencyP99}. */
export interface LatencyP99Options extends AnalysisOptions {
  /** Maximum p99 request duration, milliseconds (1-3,600,000). LLM responses are long: size it to the completion length. */
  readonly maxMilliseconds: number;
}

/** Options of {@link Analysis.prometheus}. */
export interface PrometheusAnalysisOptions extends AnalysisOptions {
  /** AnalysisTemplate (and metric) name, a DNS-1123 label. */
  readonly name: string;
  /** PromQL; `{{args.service-name}}` and `{{args.namespace}}` are the canary Service and its namespace. */
  readonly query: string;
  /** Argo expression on `result`, e.g. `result[0] <= 5`. */
  readonly successCondition: string;
}

/** An Argo Rollouts analysis metric, as an AnalysisTemplate holds it. */
export interface AnalysisMetricSpec {
  /** Metric name. */
  readonly name: string;
  /** Interval between measurements (a duration string). */
  readonly interval: string;
  /** Measurements taken. */
  readonly count: number;
  /** Failed measurements tolerated. */
  readonly failureLimit: number;
  /** Success condition. */
  readonly successCondition: string;
  /** Prometheus provider. */
  readonly provider: { readonly prometheus: { readonly address: string; readonly query: string } };
}

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const URL = /^https?:\/\/[^\s/@]+(:[0-9]{1,5})?(\/[^\s]*)?$/;
/** Istio standard-metric selector of the canary Service (filled by the Rollout's analysis args). */
const ISTIO_SELECTOR = 'reporter="source",destination_service_name="{{args.service-name}}",destination_service_namespace="{{args.namespace}}"';

/**
 * An analysis the canary must pass: an Argo Rollouts `AnalysisTemplate` with one Prometheus metric.
 * `successRate` and `latencyP99` query Istio's standard metrics (`istio_requests_total`,
 * `istio_request_duration_milliseconds_bucket`) of the canary Service; no traffic (NaN) counts as passing.
 */
export class Analysis {
  /** Fraction of non-5xx responses of the canary Service, at least `minSuccessRate` (default 0.99). */
  public static successRate(options: SuccessRateOptions): Analysis {
    const v = new Validator('Analysis.successRate');
    const min = options.minSuccessRate ?? 0.99;
    v.numberInRange('ANALYSIS_THRESHOLD_OUT_OF_RANGE', 'minSuccessRate', min, 0.0001, 1, 'a fraction, e.g. 0.99');
    const total = `sum(irate(istio_requests_total{${ISTIO_SELECTOR}}[1m]))`;
    const ok = `sum(irate(istio_requests_total{${ISTIO_SELECTOR},response_code!~"5.*"}[1m]))`;
    return Analysis.make(v, options, options.name ?? 'success-rate', `${ok} / ${total}`, `isNaN(result[0]) || result[0] >= ${min}`);
  }

  /** p99 request duration of the canary Service, at most `maxMilliseconds`. */
  public static latencyP99(options: LatencyP99Options): Analysis {
    const v = new Validator('Analysis.latencyP99');
    v.numberInRange('ANALYSIS_THRESHOLD_OUT_OF_RANGE', 'maxMilliseconds', options.maxMilliseconds, 1, 3_600_000);
    const query = `histogram_quantile(0.99, sum(irate(istio_request_duration_milliseconds_bucket{${ISTIO_SELECTOR}}[1m])) by (le))`;
    return Analysis.make(v, options, options.name ?? 'latency-p99', query, `isNaN(result[0]) || result[0] <= ${options.maxMilliseconds}`);
  }

  /** Any Prometheus query with an Argo success condition. */
  public static prometheus(options: PrometheusAnalysisOptions): Analysis {
    const v = new Validator('Analysis.prometheus');
    for (const [prop, val] of [['query', options.query], ['successCondition', options.successCondition]] as const) {
      if (!isUnresolved(val) && (typeof val !== 'string' || val.trim() === '')) v.fail('ANALYSIS_INVALID', prop, val, 'a non-empty string');
    }
    return Analysis.make(v, options, options.name, options.query, options.successCondition);
  }

  private static make(v: Validator, o: AnalysisOptions, name: string, query: string, successCondition: string): Analysis {
    v.matches('NAME_INVALID', 'name', name, LABEL, 'a DNS-1123 label');
    v.matches('ANALYSIS_INVALID', 'prometheusAddress', o.prometheusAddress, URL, 'an http(s) URL without credentials');
    const interval = o.intervalSeconds ?? 60;
    const count = o.count ?? 5;
    const failureLimit = o.failureLimit ?? 1;
    v.integerInRange('ANALYSIS_INVALID', 'intervalSeconds', interval, 10, 3600);
    v.integerInRange('ANALYSIS_INVALID', 'count', count, 1, 100);
    v.integerInRange('ANALYSIS_THRESHOLD_OUT_OF_RANGE', 'failureLimit', failureLimit, 0, Math.max(0, count - 1),
      'a failure limit of count or more never fails the analysis');
    return new Analysis(name, {
      name, interval: `${interval}s`, count, failureLimit, successCondition,
      provider: { prometheus: { address: o.prometheusAddress, query } },
    });
  }

  private constructor(
    /** AnalysisTemplate name. */
    public readonly name: string,
    /** The metric. */
    public readonly metric: AnalysisMetricSpec,
  ) {}

  /** The AnalysisTemplate of this analysis in `namespace` (args `service-name` and `namespace`). */
  public template(namespace: string): Record<string, unknown> {
    return {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate',
      metadata: { name: this.name, namespace },
      spec: { args: [{ name: 'service-name' }, { name: 'namespace' }], metrics: [{ ...this.metric, provider: { prometheus: { ...this.metric.provider.prometheus } } }] },
    };
  }
}

/** One step of a canary: set the weight, pause, or run analyses. */
export class CanaryStep {
  /** Sends `percent` (0-100) of the traffic to the canary. */
  public static setWeight(percent: number): CanaryStep {
    new Validator('CanaryStep.setWeight').integerInRange('CANARY_STEPS_INVALID', 'percent', percent, 0, 100);
    return new CanaryStep('setWeight', percent);
  }

  /** Pauses for `seconds` (1-86400), or until promoted (`kubectl argo rollouts promote`) when omitted. */
  public static pause(seconds?: number): CanaryStep {
    new Validator('CanaryStep.pause').integerInRange('CANARY_STEPS_INVALID', 'seconds', seconds, 1, 86_400);
    return new CanaryStep('pause', seconds);
  }

  /** Runs the analyses (inline: the step waits for them) against the canary Service. */
  public static analysis(...analyses: Analysis[]): CanaryStep {
    if (analyses.length === 0) new Validator('CanaryStep.analysis').fail('CANARY_STEPS_INVALID', 'analyses', analyses, 'at least one analysis');
    return new CanaryStep('analysis', undefined, analyses);
  }

  private constructor(
    /** Step kind. */
    public readonly kind: 'setWeight' | 'pause' | 'analysis',
    /** Weight (setWeight) or seconds (pause). */
    public readonly value?: number,
    /** Analyses (analysis). */
    public readonly analyses: readonly Analysis[] = [],
  ) {}

  /** The step as the Rollout holds it; analysis args name the canary Service and namespace. */
  public render(canaryService: string, namespace: string): Record<string, unknown> {
    if (this.kind === 'setWeight') return { setWeight: this.value };
    if (this.kind === 'pause') return { pause: this.value === undefined ? {} : { duration: `${this.value}s` } };
    return {
      analysis: {
        templates: this.analyses.map((a) => ({ templateName: a.name })),
        args: [{ name: 'service-name', value: canaryService }, { name: 'namespace', value: namespace }],
      },
    };
  }
}
