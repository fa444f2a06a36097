import { Accelerator, Model, ModelServer, ModelServingSpec, ModelServingSpecProps } from '../../lib';
import { OllamaModelService, OllamaModelServiceProps } from '../../lib/gcp';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidationError, template, testStack, warnings } from './support';

const TYPE = 'google_cloud_run_v2_service';
const PATH = 'Test/Backend';
const specProps: ModelServingSpecProps = { model: Model.gemma3('270m'), accelerator: Accelerator.nvidiaL4() };

function synth(props: Partial<OllamaModelServiceProps> = {}, spec: Partial<ModelServingSpecProps> = {}) {
  const stack = testStack();
  const svc = new OllamaModelService(stack, 'Backend', {
    spec: new ModelServingSpec({ ...specProps, ...spec }), serviceName: 'ollama-gemma3-270m-gpu', region: 'europe-west1',
    ...props,
  });
  return { stack, svc, t: template(stack) };
}

const envOf = (config: any): Record<string, string> =>
  Object.fromEntries(config.template.containers[0].env.map((e: any) => [e.name, e.value]));

describe('OllamaModelService defaults (from the spec)', () => {
  const { stack, svc, t } = synth();
  const config = t.resource(TYPE).config;

  test('OLLAMA_NUM_PARALLEL equals the concurrency; model kept loaded; listens on 8080; names the tag', () => {
    expect(envOf(config)).toEqual({
      OLLAMA_HOST: '0.0.0.0:8080', OLLAMA_NUM_PARALLEL: '4', OLLAMA_KEEP_ALIVE: '-1', OLLAMA_MODEL: 'gemma3:270m',
    });
    expect(config.template.max_instance_request_concurrency).toBe(4);
    expect(config.template.containers[0].ports).toEqual({ container_port: 8080 });
    expect(svc.modelTag).toBe('gemma3:270m');
  });

  test('instances from the spec replicas (1-3), 600 s timeout, the stock Ollama image', () => {
    expect(config.template.scaling).toEqual({ min_instance_count: 1, max_instance_count: 3 });
    expect(config.template.timeout).toBe('600s');
    expect(config.template.containers[0].image).toBe('ollama/ollama:0.12.6');
  });

  test('memory: the L4 minimum covers a small model; an HTTP startup probe waits for the model', () => {
    expect(config.template.containers[0].resources).toEqual({
      cpu_idle: false, limits: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' },
    });
    expect(config.template.containers[0].startup_probe).toEqual({
      http_get: { path: '/', port: 8080 }, initial_delay_seconds: 3, period_seconds: 10, timeout_seconds: 5, failure_threshold: 24,
    });
  });

  test('private: no invoker bindings, no warnings', () => {
    t.resourceCountIs('google_cloud_run_v2_service_iam_member', 0);
    expect(warnings(stack)).toEqual([]);
  });

  test('snapshot', () => expectSynthSnapshot(stack));
});

describe('OllamaModelService sizing', () => {
  test('memory grows with the model: gemma3:27b needs 24 GiB (so 6 vCPU) and about 170 s to load', () => {
    const spec = new ModelServingSpec({ ...specProps, model: Model.gemma3('27b') });
    expect(OllamaModelService.requiredMemoryGiB(spec)).toBe(24);
    expect(OllamaModelService.modelLoadSeconds(spec)).toBe(170);
    const { t } = synth({}, { model: Model.gemma3('27b') });
    t.hasResourceProperties(TYPE, { template: { containers: [{ resources: { limits: { cpu: '6', memory: '24Gi' } },
      startup_probe: { initial_delay_seconds: 170 } }] } });
  });

  test('an explicit memory below the model need fails; at the need it passes', () => {
    expectValidationError(() => synth({ memoryGiB: 23 }, { model: Model.gemma3('27b') }), 'MEMORY_OUT_OF_RANGE', PATH,
      'memoryGiB', '23');
    expect(() => synth({ memoryGiB: 24 }, { model: Model.gemma3('27b') })).not.toThrow();
    // An explicit CPU that cannot hold the memory fails with Cloud Run's table.
    expectValidationError(() => synth({ cpu: 4 }, { model: Model.gemma3('27b') }), 'MEMORY_OUT_OF_RANGE', PATH, 'memoryGiB', '24');
  });

  test('overrides: image, instances, timeout, environment, probe', () => {
    const { t } = synth({ image: 'my/ollama:1', minInstances: 0, maxInstances: 2, timeoutSeconds: 120,
      environment: { OLLAMA_DEBUG: 'false' }, startupProbe: { initialDelaySeconds: 60 }, cpu: 8 });
    const config = t.resource(TYPE).config;
    expect(config.template.containers[0].image).toBe('my/ollama:1');
    expect(config.template.scaling).toEqual({ min_instance_count: 0, max_instance_count: 2 });
    expect(config.template.timeout).toBe('120s');
    expect(envOf(config).OLLAMA_DEBUG).toBe('false');
    expect(config.template.containers[0].startup_probe.initial_delay_seconds).toBe(60);
    expect(config.template.containers[0].resources.limits.cpu).toBe('8');
  });
});

describe('OllamaModelService concurrency and OLLAMA_NUM_PARALLEL stay together', () => {
  test('changing the spec changes both, silently', () => {
    const { stack, t } = synth({}, { concurrency: 8 });
    const config = t.resource(TYPE).config;
    expect(config.template.max_instance_request_concurrency).toBe(8);
    expect(envOf(config).OLLAMA_NUM_PARALLEL).toBe('8');
    expect(warnings(stack)).toEqual([]);
  });

  test('overriding OLLAMA_NUM_PARALLEL alone warns', () => {
    const { stack, t } = synth({ environment: { OLLAMA_NUM_PARALLEL: '2' } });
    expect(envOf(t.resource(TYPE).config).OLLAMA_NUM_PARALLEL).toBe('2');
    expect(warnings(stack)).toEqual([expect.stringContaining('OLLAMA_NUM_PARALLEL=2 overrides the spec without setting concurrency (4)')]);
  });

  test('overriding the concurrency alone warns', () => {
    const { stack, t } = synth({ concurrency: 10 });
    expect(t.resource(TYPE).config.template.max_instance_request_concurrency).toBe(10);
    expect(warnings(stack)).toEqual([expect.stringContaining('concurrency=10 overrides the spec without OLLAMA_NUM_PARALLEL (4): requests above it queue inside Ollama')]);
  });

  test('overriding both, or either to the same value, does not warn', () => {
    expect(warnings(synth({ concurrency: 6, environment: { OLLAMA_NUM_PARALLEL: '2' } }).stack)).toEqual([]);
    expect(warnings(synth({ concurrency: 4 }).stack)).toEqual([]);
    expect(warnings(synth({ environment: { OLLAMA_NUM_PARALLEL: '4' } }).stack)).toEqual([]);
  });
});

describe('OllamaModelService validation', () => {
  test('a vLLM spec fails; an Ollama spec passes', () => {
    expectValidationError(() => synth({}, { model: Model.gemma3('1b'), server: ModelServer.vllm(), precision: undefined }),
      'SERVER_NOT_SUPPORTED', PATH, 'spec.server', '"vllm"');
  });

  test('more than one GPU per instance fails', () => {
    expectValidationError(() => synth({}, { acceleratorsPerReplica: 2 }), 'ACCELERATOR_COUNT_OUT_OF_RANGE', PATH,
      'spec.acceleratorsPerReplica', '2');
  });

  test('an accelerator Cloud Run does not offer fails', () => {
    expectValidationError(() => synth({}, { accelerator: Accelerator.nvidiaA100_80GB() }), 'ACCELERATOR_NOT_SUPPORTED',
      PATH, 'accelerator', '"NVIDIA A100 80GB"');
  });

  test('the spec replicas above the GPU budget fail; within it they pass', () => {
    expectValidationError(() => synth({ maxGpus: 2 }), 'GPU_BUDGET_EXCEEDED', PATH, 'maxInstances', '3');
    expect(() => synth({ maxGpus: 3 })).not.toThrow();
  });
});
