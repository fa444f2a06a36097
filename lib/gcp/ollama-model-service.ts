import { Construct } from 'constructs';
import { ModelServingSpec, ServerKind, Validator } from '../core';
import { Annotations } from '../tf';
import { cloudRunCpuForMemory } from './cloud-run-limits';
import { CloudRunGpuService, CloudRunGpuServiceOptions } from './cloud-run-gpu-service';

const GIB = 1024 ** 3;

/** Props of {@link OllamaModelService}. */
export interface OllamaModelServiceProps extends CloudRunGpuServiceOptions {
  /**
   * What to serve: an Ollama spec (`ModelServer.ollama()`) on an accelerator Cloud Run offers. Its
   * concurrency becomes both `maxInstanceRequestConcurrency` and `OLLAMA_NUM_PARALLEL`; its replica
   * bounds become the instance bounds.
   */
  readonly spec: ModelServingSpec;
  /**
   * Container image. It should hold the model (the Ollama backend Dockerfile of apps/gemma-agent
   * pulls it at build time): the stock image starts empty and answers 404 until the model is pulled.
   * @default - the spec's server image (`ModelServer.ollama()`'s official image)
   */
  readonly image?: string;
  /**
   * Overrides the spec's concurrency for Cloud Run only. Keep it equal to `OLLAMA_NUM_PARALLEL`:
   * requests above it queue inside Ollama, where Cloud Run's autoscaler cannot see them (a warning
   * says so). To change both, change the spec. @default - the spec's concurrency
   */
  readonly concurrency?: number;
  /**
   * vCPUs per instance. @default - the fewest Cloud Run allows with `memoryGiB`, at least the
   * accelerator's minimum (4 for a small model on an L4, 6 for gemma3:27b's 24 GiB)
   */
  readonly cpu?: number;
  /**
   * Memory per instance in GiB, at least the accelerator's minimum and {@link OllamaModelService.requiredMemoryGiB}.
   * @default - the larger of the two
   */
  readonly memoryGiB?: number;
  /** Minimum instances. @default - the spec's minReplicas */
  readonly minInstances?: number;
  /** Maximum instances. @default - the spec's maxReplicas */
  readonly maxInstances?: number;
  /** Request timeout in seconds (1-3600): LLM answers are slow. @default 600 */
  readonly timeoutSeconds?: number;
}

/**
 * An Ollama model backend on Cloud Run GPU, built from a core {@link ModelServingSpec}:
 *
 * - `OLLAMA_NUM_PARALLEL` equals the per-instance concurrency, so no request waits unseen inside
 *   Ollama (a warning fires when one of the two is overridden without the other);
 * - `OLLAMA_KEEP_ALIVE=-1` keeps the model loaded, `OLLAMA_HOST=0.0.0.0:8080`, `OLLAMA_MODEL` names the tag;
 * - memory defaults to the larger of the accelerator's minimum and what the model needs (a smaller
 *   value fails synth), CPU to the fewest vCPUs Cloud Run allows with that memory; the startup probe
 *   waits for the model to load.
 *
 * The service is private: let callers in with {@link allowInvokeFrom}.
 */
export class OllamaModelService extends CloudRunGpuService {
  /**
   * Instance memory (GiB) an Ollama instance needs for `spec`: the model's accelerator estimate
   * (weights x 1.2 + 1 GiB, which Ollama also maps in host memory) plus 4 GiB for the server and the
   * in-memory file system, rounded up.
   */
  public static requiredMemoryGiB(spec: ModelServingSpec): number {
    return Math.ceil(spec.requiredAcceleratorMemoryBytes / GIB) + 4;
  }

  /**
   * Seconds to wait before the first startup probe: about 10 s per GB of weights (read from the image
   * and copied to the GPU), at most 240 s (Cloud Run's limit).
   */
  public static modelLoadSeconds(spec: ModelServingSpec): number {
    return Math.min(240, Math.ceil(spec.model.weightBytes(spec.precision) / 1e9 * 10));
  }

  /** The serving spec. */
  public readonly spec: ModelServingSpec;
  /** The Ollama model tag the service serves, e.g. `gemma3:270m`. */
  public readonly modelTag: string;

  constructor(scope: Construct, id: string, props: OllamaModelServiceProps) {
    const spec = props.spec;
    const v = new Validator(scope.node.path ? `${scope.node.path}/${id}` : id);
    if (spec.server.kind !== ServerKind.OLLAMA) {
      v.fail('SERVER_NOT_SUPPORTED', 'spec.server', spec.server.kind, ServerKind.OLLAMA,
        'OllamaModelService serves Ollama; use CloudRunGpuService for another server');
    }
    if (spec.acceleratorsPerReplica !== 1) {
      v.fail('ACCELERATOR_COUNT_OUT_OF_RANGE', 'spec.acceleratorsPerReplica', spec.acceleratorsPerReplica, '1',
        'Cloud Run attaches one GPU per instance');
    }
    const required = OllamaModelService.requiredMemoryGiB(spec);
    const minMemory = Math.max(spec.accelerator.cloudRun?.minMemoryGiB ?? 0, required);
    if (props.memoryGiB !== undefined && props.memoryGiB < required) {
      v.fail('MEMORY_OUT_OF_RANGE', 'memoryGiB', props.memoryGiB, `at least ${required} GiB`,
        `${spec.model.name} needs about ${required} GiB of instance memory besides the GPU`);
    }
    const memoryGiB = props.memoryGiB ?? minMemory;
    const concurrency = props.concurrency ?? spec.concurrency;
    const derived = { ...spec.ollamaEnvironment(), OLLAMA_MODEL: spec.model.ollamaTag! };
    super(scope, id, {
      ...props,
      image: props.image ?? spec.server.image,
      accelerator: spec.accelerator,
      concurrency,
      minInstances: props.minInstances ?? spec.minReplicas,
      maxInstances: props.maxInstances ?? spec.maxReplicas,
      timeoutSeconds: props.timeoutSeconds ?? 600,
      memoryGiB,
      cpu: props.cpu ?? cloudRunCpuForMemory(memoryGiB, spec.accelerator.cloudRun?.minCpu ?? 1),
      containerPort: props.containerPort ?? spec.server.port,
      environment: { ...derived, ...props.environment },
      startupProbe: {
        httpPath: spec.server.healthPath,
        initialDelaySeconds: OllamaModelService.modelLoadSeconds(spec),
        ...props.startupProbe,
      },
    });
    this.spec = spec;
    this.modelTag = spec.model.ollamaTag!;

    const numParallelOverride = props.environment?.OLLAMA_NUM_PARALLEL;
    const numParallel = Number(this.environment.OLLAMA_NUM_PARALLEL);
    if (numParallelOverride !== undefined && props.concurrency === undefined && numParallel !== concurrency) {
      Annotations.of(this).addWarning(`OLLAMA_NUM_PARALLEL=${numParallelOverride} overrides the spec without ` +
        `setting concurrency (${concurrency}): Cloud Run will send ${concurrency} requests per instance while ` +
        'Ollama serves ' + numParallelOverride + ' at once. Change the spec\'s concurrency to change both.');
    }
    if (props.concurrency !== undefined && numParallelOverride === undefined && numParallel !== concurrency) {
      Annotations.of(this).addWarning(`concurrency=${concurrency} overrides the spec without OLLAMA_NUM_PARALLEL ` +
        `(${numParallel}): ${concurrency > numParallel ? 'requests above it queue inside Ollama, unseen by ' +
          'Cloud Run\'s autoscaler (and answer 503 when the queue is full)' : 'Ollama capacity goes unused'}. ` +
        'Change the spec\'s concurrency to change both.');
    }
  }
}
