import { Accelerator, AcceleratorKind } from './accelerator';
import { ValidationError } from './errors';
import { Model, Precision } from './model';
import { Validator } from './validate';

/** Which inference server runs the model. */
export enum ServerKind {
  /** Ollama (llama.cpp), serving quantized library tags. */
  OLLAMA = 'ollama',
  /** vLLM, serving Hugging Face weights. */
  VLLM = 'vllm',
  /** JetStream (MaxText engine), serving on TPUs or GPUs. */
  JETSTREAM = 'jetstream',
}

/** Describes an inference server. */
export interface ModelServerProps {
  /** Server kind. */
  readonly kind: ServerKind;
  /** Container image. */
  readonly image: string;
  /** Port the server listens on. */
  readonly port: number;
  /** Path that answers 200 when the server is ready. */
  readonly healthPath: string;
  /** Path serving Prometheus metrics, if the server exposes them. */
  readonly metricsPath?: string;
  /** Port serving Prometheus metrics, when it differs from `port`. */
  readonly metricsPort?: number;
  /** Precision the server loads weights at by default. */
  readonly defaultPrecision: Precision;
  /** Accelerator kinds the server runs on. */
  readonly acceleratorKinds: AcceleratorKind[];
}

/** Options common to every server factory. */
export interface ModelServerOptions {
  /** Container image. @default - the server's official image at the version the library tests */
  readonly image?: string;
  /** Port. @default - the server's conventional port (Ollama 8080 on Cloud Run, vLLM 8000, JetStream 8000) */
  readonly port?: number;
}

/** An inference server: Ollama, vLLM or JetStream. */
export class ModelServer {
  /**
   * Ollama. Listens on 8080 (set through `OLLAMA_HOST=0.0.0.0:8080`), as Cloud Run expects; it has no
   * Prometheus endpoint, so it scales on request concurrency.
   */
  public static ollama(options: ModelServerOptions = {}): ModelServer {
    return new ModelServer({
      kind: ServerKind.OLLAMA, image: options.image ?? 'ollama/ollama:0.12.6', port: options.port ?? 8080,
      healthPath: '/', defaultPrecision: Precision.OLLAMA_DEFAULT, acceleratorKinds: [AcceleratorKind.GPU],
    });
  }

  /** vLLM's OpenAI-compatible server: `/health`, Prometheus metrics on `/metrics` (`vllm:*`). */
  public static vllm(options: ModelServerOptions = {}): ModelServer {
    const port = options.port ?? 8000;
    return new ModelServer({
      kind: ServerKind.VLLM, image: options.image ?? 'vllm/vllm-openai:v0.11.0', port, healthPath: '/health',
      metricsPath: '/metrics', metricsPort: port, defaultPrecision: Precision.BF16,
      acceleratorKinds: [AcceleratorKind.GPU, AcceleratorKind.TPU],
    });
  }

  /**
   * JetStream with the MaxText engine behind the JetStream HTTP server (port 8000, `/healthcheck`);
   * Prometheus metrics (`jetstream_*`) on 9100.
   */
  public static jetstream(options: ModelServerOptions = {}): ModelServer {
    return new ModelServer({
      kind: ServerKind.JETSTREAM, image: options.image ?? 'us-docker.pkg.dev/cloud-tpu-images/inference/maxengine-server:v0.2.2',
      port: options.port ?? 8000, healthPath: '/healthcheck', metricsPath: '/', metricsPort: 9100,
      defaultPrecision: Precision.BF16, acceleratorKinds: [AcceleratorKind.TPU, AcceleratorKind.GPU],
    });
  }

  /** Server kind. */
  public readonly kind: ServerKind;
  /** Container image. */
  public readonly image: string;
  /** Serving port. */
  public readonly port: number;
  /** Readiness path. */
  public readonly healthPath: string;
  /** Prometheus metrics path, if any. */
  public readonly metricsPath?: string;
  /** Prometheus metrics port, if any. */
  public readonly metricsPort?: number;
  /** Default precision. */
  public readonly defaultPrecision: Precision;
  /** Accelerator kinds supported. */
  public readonly acceleratorKinds: readonly AcceleratorKind[];

  private constructor(props: ModelServerProps) {
    this.kind = props.kind;
    this.image = props.image;
    this.port = props.port;
    this.healthPath = props.healthPath;
    this.metricsPath = props.metricsPath;
    this.metricsPort = props.metricsPort;
    this.defaultPrecision = props.defaultPrecision;
    this.acceleratorKinds = props.acceleratorKinds;
  }
}

/** What a scaling signal measures. */
export enum ScalingSignalKind {
  /** Requests in flight per replica (Cloud Run, Lambda, Knative). */
  CONCURRENCY = 'concurrency',
  /** A server queue-size gauge, per replica (throughput/cost). */
  QUEUE_DEPTH = 'queue-depth',
  /** A server batch-size gauge, per replica (latency). */
  BATCH_SIZE = 'batch-size',
  /** Accelerator KV-cache utilization, percent. */
  KV_CACHE_UTILIZATION = 'kv-cache-utilization',
  /** Accelerator duty cycle, percent: a weak signal for LLM latency. */
  ACCELERATOR_UTILIZATION = 'accelerator-utilization',
}

/** Describes a scaling signal. */
export interface ScalingSignalProps {
  /** What it measures. */
  readonly kind: ScalingSignalKind;
  /** Server metric name, when the signal reads one (e.g. `vllm:num_requests_waiting`). */
  readonly metric?: string;
  /** Target value per replica (a count, or a percentage for utilization signals). */
  readonly target?: number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * The signal that drives autoscaling. GKE's guidance for LLM servers: scale on queue size for
 * throughput and cost, on batch size for latency; accelerator duty cycle maps poorly to latency.
 */
export class ScalingSignal {
  /**
   * Requests in flight per replica; the target is the spec's per-replica concurrency. The signal every
   * request-driven platform (Cloud Run, Lambda, Knative) scales on.
   */
  public static concurrency(): ScalingSignal {
    return new ScalingSignal({ kind: ScalingSignalKind.CONCURRENCY });
  }

  /**
   * A queue-size gauge, e.g. `jetstream_prefill_backlog_size` or `vllm:num_requests_waiting`. GKE's
   * guidance: start the target between 3 and 5 and raise it until latency reaches its limit.
   */
  public static queueDepth(metric: string, target: number): ScalingSignal {
    ScalingSignal.check('ScalingSignal.queueDepth', metric, target, 1, 100_000);
    return new ScalingSignal({ kind: ScalingSignalKind.QUEUE_DEPTH, metric, target });
  }

  /** A batch-size gauge, e.g. `vllm:num_requests_running`: target slightly below the observed peak. */
  public static batchSize(metric: string, target: number): ScalingSignal {
    ScalingSignal.check('ScalingSignal.batchSize', metric, target, 1, 100_000);
    return new ScalingSignal({ kind: ScalingSignalKind.BATCH_SIZE, metric, target });
  }

  /** KV-cache utilization in percent (vLLM `vllm:kv_cache_usage_perc`, a 0-1 gauge scaled to percent). */
  public static kvCacheUtilization(percent: number, metric: string = 'vllm:kv_cache_usage_perc'): ScalingSignal {
    ScalingSignal.check('ScalingSignal.kvCacheUtilization', metric, percent, 1, 100);
    return new ScalingSignal({ kind: ScalingSignalKind.KV_CACHE_UTILIZATION, metric, target: percent });
  }

  /** Accelerator duty cycle in percent (DCGM `DCGM_FI_DEV_GPU_UTIL`). A weak signal for LLM latency. */
  public static acceleratorUtilization(percent: number, metric: string = 'DCGM_FI_DEV_GPU_UTIL'): ScalingSignal {
    ScalingSignal.check('ScalingSignal.acceleratorUtilization', metric, percent, 1, 100);
    return new ScalingSignal({ kind: ScalingSignalKind.ACCELERATOR_UTILIZATION, metric, target: percent });
  }

  private static check(path: string, metric: string, target: number, min: number, max: number): void {
    const v = new Validator(path);
    v.matches('METRIC_NAME_INVALID', 'metric', metric, METRIC_NAME, 'a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'target', target, min, max);
    if (target <= 0) v.fail('SCALING_TARGET_OUT_OF_RANGE', 'target', target, `greater than 0, at most ${max}`);
  }

  /** What it measures. */
  public readonly kind: ScalingSignalKind;
  /** Server metric, if any. */
  public readonly metric?: string;
  /** Target per replica, if fixed by the signal (concurrency takes the spec's concurrency). */
  public readonly target?: number;

  private constructor(props: ScalingSignalProps) {
    this.kind = props.kind;
    this.metric = props.metric;
    this.target = props.target;
  }
}

/** Limits the spec enforces. */
export const SERVING_LIMITS = {
  /** Per-replica concurrency range. */
  concurrency: { min: 1, max: 1000 },
  /** Replica range (0 allows scale to zero where the platform supports it). */
  replicas: { min: 0, max: 1000 },
  /** Accelerators per replica. */
  acceleratorsPerReplica: { min: 1, max: 256 },
} as const;

/** Describes one model-serving workload, independent of any cloud. */
export interface ModelServingSpecProps {
  /** Name of the workload, used in resource names. @default - the model's name, e.g. `gemma3-270m` */
  readonly name?: string;
  /** The model. */
  readonly model: Model;
  /** The inference server. @default ModelServer.ollama() */
  readonly server?: ModelServer;
  /** The accelerator each replica uses. */
  readonly accelerator: Accelerator;
  /**
   * Accelerator devices per replica (tensor parallelism across GPUs, or the chips of a TPU slice).
   * @default - the accelerator's devicesPerReplica (1 for a GPU, chips in the topology for a TPU slice)
   */
  readonly acceleratorsPerReplica?: number;
  /** Precision the weights are served at. @default - the server's default precision */
  readonly precision?: Precision;
  /** Requests one replica serves at once (1-1000). @default 4 */
  readonly concurrency?: number;
  /** Minimum replicas (0-1000). @default 1 */
  readonly minReplicas?: number;
  /** Maximum replicas (1-1000, at least minReplicas). @default 3 */
  readonly maxReplicas?: number;
  /** What drives autoscaling. @default ScalingSignal.concurrency() */
  readonly scaling?: ScalingSignal;
}

/**
 * The cloud-neutral description of a model-serving workload: model + server + accelerator +
 * concurrency + replica bounds + scaling signal. It validates itself on construction (only
 * {@link ValidationError} is ever thrown) and derives the numbers every adapter needs.
 */
export class ModelServingSpec {
  /** Workload name. */
  public readonly name: string;
  /** The model. */
  public readonly model: Model;
  /** The inference server. */
  public readonly server: ModelServer;
  /** Accelerator per replica. */
  public readonly accelerator: Accelerator;
  /** Accelerator devices per replica. */
  public readonly acceleratorsPerReplica: number;
  /** Serving precision. */
  public readonly precision: Precision;
  /** Requests one replica serves at once. */
  public readonly concurrency: number;
  /** Minimum replicas. */
  public readonly minReplicas: number;
  /** Maximum replicas. */
  public readonly maxReplicas: number;
  /** Scaling signal. */
  public readonly scaling: ScalingSignal;

  constructor(props: ModelServingSpecProps) {
    this.model = props.model;
    this.server = props.server ?? ModelServer.ollama();
    this.accelerator = props.accelerator;
    this.name = props.name ?? props.model.name;
    this.acceleratorsPerReplica = props.acceleratorsPerReplica ?? props.accelerator.devicesPerReplica;
    this.precision = props.precision ?? this.server.defaultPrecision;
    this.concurrency = props.concurrency ?? 4;
    this.minReplicas = props.minReplicas ?? 1;
    this.maxReplicas = props.maxReplicas ?? Math.max(3, this.minReplicas);
    this.scaling = props.scaling ?? ScalingSignal.concurrency();
    this.validate();
  }

  /** Ollama's `OLLAMA_NUM_PARALLEL`: equal to the per-replica concurrency, so no request queues unseen. */
  public get ollamaNumParallel(): number {
    return this.concurrency;
  }

  /** The most accelerator devices the workload can hold at once: `maxReplicas x acceleratorsPerReplica`. */
  public get maxAccelerators(): number {
    return this.maxReplicas * this.acceleratorsPerReplica;
  }

  /** Estimated accelerator memory one replica needs, in bytes. */
  public get requiredAcceleratorMemoryBytes(): number {
    return this.model.requiredAcceleratorMemoryBytes(this.precision);
  }

  /** Accelerator memory one replica has, in bytes. */
  public get availableAcceleratorMemoryBytes(): number {
    return this.accelerator.memoryBytes * this.acceleratorsPerReplica;
  }

  /** The per-replica scaling target: the signal's own target, or the concurrency for `concurrency()`. */
  public get scalingTarget(): number {
    return this.scaling.target ?? this.concurrency;
  }

  /**
   * Environment an Ollama container needs for this spec: listen address, parallelism equal to the
   * concurrency, and the model kept loaded.
   */
  public ollamaEnvironment(): Record<string, string> {
    return {
      OLLAMA_HOST: `0.0.0.0:${this.server.port}`,
      OLLAMA_NUM_PARALLEL: String(this.ollamaNumParallel),
      OLLAMA_KEEP_ALIVE: '-1',
    };
  }

  private validate(): void {
    const v = new Validator(`ModelServingSpec(${this.name})`);
    v.integerInRange('CONCURRENCY_OUT_OF_RANGE', 'concurrency', this.concurrency,
      SERVING_LIMITS.concurrency.min, SERVING_LIMITS.concurrency.max);
    v.integerInRange('REPLICAS_OUT_OF_RANGE', 'minReplicas', this.minReplicas,
      SERVING_LIMITS.replicas.min, SERVING_LIMITS.replicas.max);
    v.integerInRange('REPLICAS_OUT_OF_RANGE', 'maxReplicas', this.maxReplicas,
      Math.max(1, SERVING_LIMITS.replicas.min), SERVING_LIMITS.replicas.max);
    v.ordered('MIN_GREATER_THAN_MAX', 'minReplicas', this.minReplicas, 'maxReplicas', this.maxReplicas);
    v.integerInRange('ACCELERATOR_COUNT_OUT_OF_RANGE', 'acceleratorsPerReplica', this.acceleratorsPerReplica,
      SERVING_LIMITS.acceleratorsPerReplica.min, SERVING_LIMITS.acceleratorsPerReplica.max);
    if (!this.server.acceleratorKinds.includes(this.accelerator.kind)) {
      v.fail('SERVER_NOT_SUPPORTED', 'accelerator', this.accelerator.name,
        `an accelerator of kind ${this.server.acceleratorKinds.join(' or ')}`,
        `${this.server.kind} does not run on ${this.accelerator.kind.toUpperCase()}s`);
    }
    if (this.server.kind === ServerKind.OLLAMA && this.precision !== Precision.OLLAMA_DEFAULT) {
      v.fail('SERVER_NOT_SUPPORTED', 'precision', this.precision, Precision.OLLAMA_DEFAULT,
        'Ollama serves the quantization of its library tag');
    }
    if (this.server.kind === ServerKind.OLLAMA && !this.model.ollamaTag) {
      v.fail('SERVER_NOT_SUPPORTED', 'model', this.model.huggingFaceId, 'a model with an Ollama tag');
    }
    if (this.server.kind !== ServerKind.OLLAMA && this.precision === Precision.OLLAMA_DEFAULT) {
      v.fail('SERVER_NOT_SUPPORTED', 'precision', this.precision,
        `${Precision.BF16}, ${Precision.FP8} or ${Precision.INT4}`, `${this.server.kind} loads Hugging Face weights`);
    }
    const need = this.requiredAcceleratorMemoryBytes;
    const have = this.availableAcceleratorMemoryBytes;
    if (need > have) {
      throw new ValidationError({
        code: 'MODEL_DOES_NOT_FIT', path: v.path, property: 'model', value: `${this.model.name}@${this.precision}`,
        allowed: `a model needing at most ${gb(have)} GB (${this.acceleratorsPerReplica} x ${this.accelerator.name})`,
        hint: `needs about ${gb(need)} GB; use a larger accelerator, more accelerators per replica or a lower precision`,
      });
    }
  }
}

function gb(bytes: number): string {
  return (bytes / 1e9).toFixed(1);
}
