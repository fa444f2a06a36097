import * as fc from 'fast-check';
import { Accelerator, Model, ModelServer, ModelServingSpec, Precision, ScalingSignal, ValidationError } from '../../lib';

const accelerators = [
  () => Accelerator.nvidiaL4(), () => Accelerator.nvidiaRtxPro6000(), () => Accelerator.nvidiaA100_40GB(),
  () => Accelerator.nvidiaA100_80GB(), () => Accelerator.nvidiaH100_80GB(), () => Accelerator.nvidiaH200(),
  () => Accelerator.tpuV5e('2x2'), () => Accelerator.tpuV6e('2x4'),
];
const servers = [() => ModelServer.ollama(), () => ModelServer.vllm(), () => ModelServer.jetstream()];
const signals = [
  () => ScalingSignal.concurrency(),
  () => ScalingSignal.queueDepth('vllm:num_requests_waiting', 5),
  () => ScalingSignal.kvCacheUtilization(70),
];
const anyInt = fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double({ noNaN: false }), fc.constant(undefined));

describe('ModelServingSpec property: random specs validate or throw ValidationError, never anything else', () => {
  test('random props', () => {
    fc.assert(fc.property(
      fc.constantFrom(...Model.gemma3Sizes()),
      fc.nat(accelerators.length - 1), fc.nat(servers.length - 1), fc.nat(signals.length - 1),
      fc.option(fc.constantFrom(...Object.values(Precision)), { nil: undefined }),
      anyInt, anyInt, anyInt, anyInt,
      (size, a, s, g, precision, concurrency, minReplicas, maxReplicas, perReplica) => {
        try {
          const spec = new ModelServingSpec({
            model: Model.gemma3(size), accelerator: accelerators[a](), server: servers[s](), scaling: signals[g](),
            precision, concurrency: concurrency as number, minReplicas: minReplicas as number,
            maxReplicas: maxReplicas as number, acceleratorsPerReplica: perReplica as number,
          });
          // A valid spec's derived numbers are consistent.
          expect(spec.minReplicas).toBeLessThanOrEqual(spec.maxReplicas);
          expect(spec.requiredAcceleratorMemoryBytes).toBeLessThanOrEqual(spec.availableAcceleratorMemoryBytes);
          expect(spec.maxAccelerators).toBe(spec.maxReplicas * spec.acceleratorsPerReplica);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
        }
      }), { numRuns: 500, seed: 42 });
  });
});
