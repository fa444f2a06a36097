import * as fc from 'fast-check';
import { ValidationError } from '../../lib';
import {
  Analysis, CanaryRollout, CanaryStep, ClusterMetricsAdapter, GpuUtilizationHpa, InferenceServer, KedaScaledObject, KedaTrigger,
  KnativeAutoscalerClass, KnativeMetric, KnativeService, KServeAutoscalerClass, KServeDeploymentMode, KServeInferenceService,
  KServeScaleMetric, ManifestSchemas, manifestsOf, MetricsAdapter, TrafficSplit,
} from '../../lib/k8s';
import { gkeCluster, l4Pool, stack, vllmSpec } from './fixtures';

/** Runs `fn`; anything but a ValidationError fails the property. */
function onlyValidationErrors(fn: () => void): void {
  try { fn(); } catch (e) { if (!ValidationError.isValidationError(e)) throw e; }
}

const int = (min: number, max: number) => fc.integer({ min, max });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const valid = (s: ReturnType<typeof stack>) => {
  for (const m of manifestsOf(s)) expect(ManifestSchemas.issues(m)).toEqual([]);
};

describe('property: delivery constructs only ever throw ValidationError, and what they emit is valid', () => {
  test('GpuUtilizationHpa', () => {
    fc.assert(fc.property(opt(int(-5, 120)), opt(int(-5, 120)), opt(fc.double({ min: -1, max: 2e6, noNaN: true })), opt(fc.double({ min: -1, max: 10, noNaN: true })),
      opt(int(0, 5)), opt(int(-1, 4000)),
      (gpu, copy, fb, rps, max, down) => onlyValidationErrors(() => {
        const s = stack();
        const server = new InferenceServer(s, 'Server', { spec: vllmSpec(3), nodePool: l4Pool(3) });
        const adapter = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter: MetricsAdapter.stackdriver() });
        new GpuUtilizationHpa(s, 'Hpa', { target: server, adapter, gpuUtilizationPercent: gpu, memoryCopyUtilizationPercent: copy, framebufferUsedMiB: fb, requestsPerSecond: rps, maxReplicas: max, scaleDownStabilizationSeconds: down });
        valid(s);
      })), { numRuns: 30, seed: 91 });
  });

  test('KedaScaledObject', () => {
    const trigger = fc.oneof(
      fc.record({ t: fc.constant('prom'), th: fc.double({ min: -1, max: 100, noNaN: true }), addr: fc.constantFrom('http://p:9090', 'p:9090', 'http://u:p@p') }),
      fc.record({ t: fc.constant('kafka'), lag: opt(int(-1, 50)), topic: fc.constantFrom('requests', 'bad topic', '') }),
      fc.record({ t: fc.constantFrom('cpu', 'memory'), v: int(-1, 1200) }),
    );
    fc.assert(fc.property(fc.array(trigger, { maxLength: 3 }), opt(int(-1, 5)), opt(int(-1, 1100)), opt(int(-1, 2)), opt(int(-1, 4000)), opt(int(-1, 90000)), fc.boolean(),
      (triggers, min, max, idle, polling, cooldown, fallback) => onlyValidationErrors(() => {
        const s = stack();
        new KedaScaledObject(s, 'Keda', {
          target: { name: 'vllm', namespace: 'llm' }, minReplicas: min, maxReplicas: max, idleReplicas: idle, pollingIntervalSeconds: polling,
          cooldownSeconds: cooldown, fallback: fallback ? { failureThreshold: 3, replicas: 1 } : undefined,
          triggers: triggers.map((t: any) => t.t === 'prom' ? KedaTrigger.prometheus({ serverAddress: t.addr, query: 'q', threshold: t.th })
            : t.t === 'kafka' ? KedaTrigger.kafka({ bootstrapServers: ['k:9092'], consumerGroup: 'g', topic: t.topic, lagThreshold: t.lag })
              : t.t === 'cpu' ? KedaTrigger.cpu(t.v) : KedaTrigger.memory(t.v)),
        });
        valid(s);
      })), { numRuns: 60, seed: 92 });
  });

  test('KServeInferenceService', () => {
    fc.assert(fc.property(fc.constantFrom(...Object.values(KServeDeploymentMode)), opt(fc.constantFrom(...Object.values(KServeAutoscalerClass))),
      opt(fc.constantFrom(...Object.values(KServeScaleMetric))), opt(int(-1, 200)), opt(int(-1, 3)), opt(int(-1, 5)), opt(int(-5, 120)), opt(int(-1, 3)),
      (mode, cls, metric, target, min, max, canary, gpus) => onlyValidationErrors(() => {
        const s = stack();
        new KServeInferenceService(s, 'Isvc', {
          name: 'gemma', modelFormat: 'huggingface', deploymentMode: mode, autoscalerClass: cls, scaleMetric: metric, scaleTarget: target,
          minReplicas: min, maxReplicas: max, canaryTrafficPercent: canary, gpus, nodePool: l4Pool(),
        });
        valid(s);
      })), { numRuns: 60, seed: 93 });
  });

  test('CanaryRollout', () => {
    const step = fc.oneof(int(-5, 110).map((w) => ['w', w] as const), opt(int(-1, 100)).map((p) => ['p', p] as const), fc.constant(['a', 0] as const));
    fc.assert(fc.property(fc.array(step, { maxLength: 6 }), opt(int(-1, 4)), fc.double({ min: -0.5, max: 1.5, noNaN: true }),
      (steps, replicas, rate) => onlyValidationErrors(() => {
        const s = stack();
        const w = new InferenceServer(s, 'Server', { spec: vllmSpec() });
        new CanaryRollout(s, 'Canary', {
          workload: w, replicas,
          steps: steps.map(([k, x]) => k === 'w' ? CanaryStep.setWeight(x as number) : k === 'p' ? CanaryStep.pause(x ?? undefined)
            : CanaryStep.analysis(Analysis.successRate({ prometheusAddress: 'http://p:9090', minSuccessRate: rate }))),
        });
        valid(s);
      })), { numRuns: 60, seed: 94 });
  });

  test('TrafficSplit', () => {
    fc.assert(fc.property(fc.array(int(-10, 110), { minLength: 0, maxLength: 3 }), fc.constantFrom('x-model-version', 'X-Bad', 'x-user-segment'),
      fc.constantFrom('exact', 'prefix', 'regex', 'none'), opt(int(-1, 4000)), opt(int(-1, 12)),
      (weights, header, kind, timeout, attempts) => onlyValidationErrors(() => {
        const s = stack();
        new TrafficSplit(s, 'Split', {
          name: 'ab', hosts: ['gemma'], timeoutSeconds: timeout, retries: attempts === undefined ? undefined : { attempts },
          destinations: weights.map((w, i) => ({ host: `v${i}`, weight: w })),
          headerRoutes: [{ name: 'seg', headers: { [header]: kind === 'none' ? {} : { [kind]: 'v2' } }, destination: { host: 'v1' } }],
        });
        valid(s);
      })), { numRuns: 60, seed: 95 });
  });

  test('KnativeService', () => {
    fc.assert(fc.property(fc.constantFrom(...Object.values(KnativeAutoscalerClass)), opt(fc.constantFrom(...Object.values(KnativeMetric))),
      opt(int(-1, 5)), opt(int(-1, 5)), opt(fc.double({ min: -1, max: 200, noNaN: true })), opt(int(-1, 4000)), opt(int(-1, 4000)), opt(int(-1, 1100)),
      (cls, metric, min, max, target, delay, retention, cc) => onlyValidationErrors(() => {
        const s = stack();
        new KnativeService(s, 'Kn', {
          name: 'gemma', image: 'vllm/vllm-openai:v0.10.1', containerConcurrency: cc, nodePool: l4Pool(),
          scaling: { autoscalerClass: cls, metric, minScale: min, maxScale: max, target, scaleDownDelaySeconds: delay, scaleToZeroPodRetentionSeconds: retention },
        });
        valid(s);
      })), { numRuns: 60, seed: 96 });
  });
});
