import { Accelerator, Model, ModelServer, ModelServingSpec, ModelServingSpecProps, Precision, ScalingSignal,
  ScalingSignalKind, ServerKind, ValidationError } from '../../lib';

const base: ModelServingSpecProps = { model: Model.gemma3('270m'), accelerator: Accelerator.nvidiaL4() };

function codeOf(fn: () => unknown): string {
  try { fn(); } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).code;
  }
  throw new Error('expected a ValidationError');
}

describe('ModelServingSpec defaults and derived numbers', () => {
  const spec = new ModelServingSpec(base);

  test('defaults: Ollama, concurrency 4, 1..3 replicas, concurrency scaling', () => {
    expect(spec.name).toBe('gemma3-270m');
    expect(spec.server.kind).toBe(ServerKind.OLLAMA);
    expect(spec.precision).toBe(Precision.OLLAMA_DEFAULT);
    expect([spec.concurrency, spec.minReplicas, spec.maxReplicas]).toEqual([4, 1, 3]);
    expect(spec.scaling.kind).toBe(ScalingSignalKind.CONCURRENCY);
    expect(spec.acceleratorsPerReplica).toBe(1);
  });

  test('OLLAMA_NUM_PARALLEL equals the concurrency; the model stays loaded', () => {
    const s = new ModelServingSpec({ ...base, concurrency: 7 });
    expect(s.ollamaNumParallel).toBe(7);
    expect(s.ollamaEnvironment()).toEqual({ OLLAMA_HOST: '0.0.0.0:8080', OLLAMA_NUM_PARALLEL: '7', OLLAMA_KEEP_ALIVE: '-1' });
  });

  test('maxAccelerators = maxReplicas x accelerators per replica', () => {
    expect(spec.maxAccelerators).toBe(3);
    const tp = new ModelServingSpec({ model: Model.gemma3('27b'), server: ModelServer.vllm(),
      accelerator: Accelerator.nvidiaL4(), acceleratorsPerReplica: 4, maxReplicas: 5 });
    expect(tp.maxAccelerators).toBe(20);
    expect(tp.availableAcceleratorMemoryBytes).toBe(96e9);
  });

  test('a TPU slice uses all its chips per replica', () => {
    const s = new ModelServingSpec({ model: Model.gemma3('27b'), server: ModelServer.jetstream(),
      accelerator: Accelerator.tpuV5e('2x4'), maxReplicas: 2 });
    expect(s.acceleratorsPerReplica).toBe(8);
    expect(s.maxAccelerators).toBe(16);
  });

  test('maxReplicas defaults to at least minReplicas', () => {
    expect(new ModelServingSpec({ ...base, minReplicas: 5 }).maxReplicas).toBe(5);
  });

  test('scalingTarget: concurrency for concurrency(), else the signal target', () => {
    expect(spec.scalingTarget).toBe(4);
    const s = new ModelServingSpec({ model: Model.gemma3('4b'), server: ModelServer.jetstream(),
      accelerator: Accelerator.tpuV5e('2x2'), scaling: ScalingSignal.queueDepth('jetstream_prefill_backlog_size', 5) });
    expect(s.scalingTarget).toBe(5);
    expect(s.scaling.metric).toBe('jetstream_prefill_backlog_size');
  });

  test('servers: ports, health and metrics', () => {
    expect(ModelServer.ollama()).toMatchObject({ port: 8080, healthPath: '/', metricsPath: undefined });
    expect(ModelServer.vllm()).toMatchObject({ port: 8000, healthPath: '/health', metricsPath: '/metrics' });
    expect(ModelServer.jetstream()).toMatchObject({ port: 8000, healthPath: '/healthcheck', metricsPort: 9100 });
    expect(ModelServer.ollama({ image: 'my/ollama:1', port: 11434 })).toMatchObject({ image: 'my/ollama:1', port: 11434 });
  });
});

describe('ModelServingSpec validation: each rule passes and fails', () => {
  test.each<[string, Partial<ModelServingSpecProps>, Partial<ModelServingSpecProps>, string]>([
    ['concurrency >= 1', { concurrency: 1 }, { concurrency: 0 }, 'CONCURRENCY_OUT_OF_RANGE'],
    ['concurrency <= 1000', { concurrency: 1000 }, { concurrency: 1001 }, 'CONCURRENCY_OUT_OF_RANGE'],
    ['concurrency integer', { concurrency: 2 }, { concurrency: 2.5 }, 'CONCURRENCY_OUT_OF_RANGE'],
    ['minReplicas >= 0', { minReplicas: 0 }, { minReplicas: -1 }, 'REPLICAS_OUT_OF_RANGE'],
    ['maxReplicas >= 1', { maxReplicas: 1 }, { maxReplicas: 0 }, 'REPLICAS_OUT_OF_RANGE'],
    ['maxReplicas <= 1000', { maxReplicas: 1000 }, { maxReplicas: 1001 }, 'REPLICAS_OUT_OF_RANGE'],
    ['min <= max', { minReplicas: 3, maxReplicas: 3 }, { minReplicas: 4, maxReplicas: 3 }, 'MIN_GREATER_THAN_MAX'],
    ['acceleratorsPerReplica >= 1', { acceleratorsPerReplica: 1 }, { acceleratorsPerReplica: 0 }, 'ACCELERATOR_COUNT_OUT_OF_RANGE'],
    ['model fits', { model: Model.gemma3('27b') }, { model: Model.gemma3('12b'), server: ModelServer.vllm() }, 'MODEL_DOES_NOT_FIT'],
    ['Ollama precision', { precision: Precision.OLLAMA_DEFAULT }, { precision: Precision.BF16 }, 'SERVER_NOT_SUPPORTED'],
    ['Ollama on GPU only', { accelerator: Accelerator.nvidiaL4() }, { accelerator: Accelerator.tpuV5e() }, 'SERVER_NOT_SUPPORTED'],
    ['vLLM loads HF weights', { server: ModelServer.vllm() }, { server: ModelServer.vllm(), precision: Precision.OLLAMA_DEFAULT }, 'SERVER_NOT_SUPPORTED'],
  ])('%s', (_name, good, bad, code) => {
    expect(() => new ModelServingSpec({ ...base, ...good })).not.toThrow();
    expect(codeOf(() => new ModelServingSpec({ ...base, ...bad }))).toBe(code);
  });

  test('Ollama needs a model with an Ollama tag', () => {
    const noTag = Model.custom({ family: 'x', size: '1b', huggingFaceId: 'org/x', parameterCount: 1e9, contextTokens: 4096 });
    expect(codeOf(() => new ModelServingSpec({ ...base, model: noTag }))).toBe('SERVER_NOT_SUPPORTED');
    expect(() => new ModelServingSpec({ ...base, model: noTag, server: ModelServer.vllm() })).not.toThrow();
  });

  test('the does-not-fit message names the need, the room and the fixes', () => {
    expect(() => new ModelServingSpec({ model: Model.gemma3('27b'), server: ModelServer.vllm(), accelerator: Accelerator.nvidiaL4() }))
      .toThrow('[MODEL_DOES_NOT_FIT] ModelServingSpec(gemma3-27b): model = "gemma3-27b@bf16" is invalid; ' +
        'allowed: a model needing at most 24.0 GB (1 x NVIDIA L4) (needs about 66.9 GB; use a larger accelerator, ' +
        'more accelerators per replica or a lower precision)');
  });

  test('27b in bf16 needs more than one A100 40GB, fits two of them or one H100; int4 fits one L4', () => {
    expect(() => new ModelServingSpec({ model: Model.gemma3('27b'), server: ModelServer.vllm(),
      accelerator: Accelerator.nvidiaA100_40GB() })).toThrow(ValidationError);
    expect(() => new ModelServingSpec({ model: Model.gemma3('27b'), server: ModelServer.vllm(),
      accelerator: Accelerator.nvidiaA100_40GB(), acceleratorsPerReplica: 2 })).not.toThrow();
    expect(() => new ModelServingSpec({ model: Model.gemma3('27b'), server: ModelServer.vllm(),
      accelerator: Accelerator.nvidiaH100_80GB() })).not.toThrow();
    expect(() => new ModelServingSpec({ model: Model.gemma3('27b'), server: ModelServer.vllm(),
      accelerator: Accelerator.nvidiaL4(), precision: Precision.INT4 })).not.toThrow();
  });
});

describe('ScalingSignal validation', () => {
  test.each<[string, () => unknown, () => unknown, string]>([
    ['queueDepth target > 0', () => ScalingSignal.queueDepth('vllm:num_requests_waiting', 3),
      () => ScalingSignal.queueDepth('vllm:num_requests_waiting', 0), 'SCALING_TARGET_OUT_OF_RANGE'],
    ['queueDepth metric name', () => ScalingSignal.queueDepth('jetstream_prefill_backlog_size', 5),
      () => ScalingSignal.queueDepth('bad metric', 5), 'METRIC_NAME_INVALID'],
    ['batchSize target', () => ScalingSignal.batchSize('vllm:num_requests_running', 10),
      () => ScalingSignal.batchSize('vllm:num_requests_running', -1), 'SCALING_TARGET_OUT_OF_RANGE'],
    ['kvCache percent <= 100', () => ScalingSignal.kvCacheUtilization(80),
      () => ScalingSignal.kvCacheUtilization(101), 'SCALING_TARGET_OUT_OF_RANGE'],
    ['accelerator percent >= 1', () => ScalingSignal.acceleratorUtilization(60),
      () => ScalingSignal.acceleratorUtilization(0), 'SCALING_TARGET_OUT_OF_RANGE'],
  ])('%s', (_name, good, bad, code) => {
    expect(good).not.toThrow();
    expect(codeOf(bad)).toBe(code);
  });

  test('defaults of the utilization signals name the server metrics', () => {
    expect(ScalingSignal.kvCacheUtilization(60).metric).toBe('vllm:kv_cache_usage_perc');
    expect(ScalingSignal.acceleratorUtilization(60).metric).toBe('DCGM_FI_DEV_GPU_UTIL');
  });
});
