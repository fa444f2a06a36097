import * as fc from 'fast-check';
import { Accelerator, Model, ModelServingSpec, ValidationError } from '../../lib';
import { AgentService, CloudRunGpuService, OllamaModelService } from '../../lib/gcp';
import { Testing } from '../../lib/tf';
import { testStack } from './support';

const wild = fc.oneof(fc.integer({ min: -5, max: 1200 }), fc.double({ min: -10, max: 5000, noNaN: false }));
/** Mostly unset or plausible values, sometimes anything. */
const num = fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 2 },
  { arbitrary: wild, weight: 1 });
/** Unset, one of `values`, or (rarely) anything. */
const plausible = (...values: number[]) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 },
  { arbitrary: fc.constantFrom(...values), weight: 4 }, { arbitrary: wild, weight: 1 });
let built = 0;
const accelerators = [() => Accelerator.nvidiaL4(), () => Accelerator.nvidiaRtxPro6000(), () => Accelerator.nvidiaH100_80GB()];
const names = fc.oneof({ arbitrary: fc.constant('svc'), weight: 4 }, fc.constantFrom('svc', 'gpu-backend', 'Bad', '-x', 'a'.repeat(60)), fc.string({ maxLength: 12 }));

/** Runs `fn`; anything thrown must be a ValidationError. */
function onlyValidationErrors(fn: () => void): void {
  try {
    fn();
    built++;
  } catch (e) {
    if (!ValidationError.isValidationError(e)) throw e;
  }
}

describe('Cloud Run constructs: random props synthesize or throw ValidationError, nothing else', () => {
  beforeEach(() => { built = 0; });
  afterEach(() => expect(built).toBeGreaterThan(10)); // the generators reach synthesis, not only errors

  test('CloudRunGpuService', () => {
    fc.assert(fc.property(names, fc.constantFrom(0, 0, 0, 1, 2), plausible(4, 6, 8, 20, 24), plausible(16, 24, 32, 80, 96),
      plausible(1, 4, 80, 1000), plausible(0, 1, 2), plausible(1, 3, 10), plausible(3, 10), plausible(60, 600, 3600),
      plausible(5, 10, 240),
      (serviceName, a, cpu, memoryGiB, concurrency, minInstances, maxInstances, maxGpus, timeoutSeconds, period) => {
        onlyValidationErrors(() => Testing.synth(new CloudRunGpuService(testStack(), 'Gpu', {
          serviceName, region: 'europe-west1', image: 'img', accelerator: accelerators[a](),
          cpu: cpu as number, memoryGiB: memoryGiB as number, concurrency: concurrency as number,
          minInstances: minInstances as number, maxInstances: maxInstances as number, maxGpus: maxGpus as number,
          timeoutSeconds: timeoutSeconds as number, startupProbe: { periodSeconds: period as number },
        }).node.scope as any));
      }), { numRuns: 100, seed: 4242 });
  });

  test('OllamaModelService + AgentService', () => {
    fc.assert(fc.property(fc.constantFrom(...Model.gemma3Sizes()), num, num, num, num, num, fc.boolean(), fc.option(fc.string()),
      (size, concurrency, maxReplicas, memoryGiB, agentCpu, agentMemory, publicAccess, numParallel) => {
        onlyValidationErrors(() => {
          const stack = testStack();
          const spec = new ModelServingSpec({ model: Model.gemma3(size), accelerator: Accelerator.nvidiaL4(),
            concurrency: concurrency as number, maxReplicas: maxReplicas as number });
          const model = new OllamaModelService(stack, 'Backend', { spec, serviceName: 'backend', region: 'r',
            memoryGiB: memoryGiB as number, environment: numParallel === null ? undefined : { OLLAMA_NUM_PARALLEL: numParallel } });
          new AgentService(stack, 'Agent', { serviceName: 'agent', region: 'r', image: 'a', model,
            cpu: agentCpu as number, memoryGiB: agentMemory as number, publicAccess });
          Testing.synth(stack);
        });
      }), { numRuns: 60, seed: 4243 });
  });
});
