import * as fc from 'fast-check';
import { ValidationError } from '../../lib';
import { InferenceServer, ManifestSchemas, manifestsOf, PodMonitoring } from '../../lib/k8s';
import { jetstreamSpec, l4Pool, stack, tpuPool, vllmSpec } from './fixtures';

/** Runs `fn`; anything but a ValidationError fails the property. */
function onlyValidationErrors(fn: () => void): void {
  try { fn(); } catch (e) { if (!ValidationError.isValidationError(e)) throw e; }
}

describe('property: Kubernetes constructs only ever throw ValidationError, and what they emit is valid', () => {
  test('PodMonitoring', () => {
    fc.assert(fc.property(
      fc.integer({ min: -5, max: 30 }), fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('metrics', 'http')),
      fc.constantFrom('/', '/metrics'),
      (interval, port, path) => onlyValidationErrors(() => {
        const pm = new PodMonitoring(stack(), 'Pm', { matchLabels: { app: 'x' }, port, path, intervalSeconds: interval });
        expect(ManifestSchemas.issues(pm.manifests[0])).toEqual([]);
      })), { numRuns: 40, seed: 5 });
  });

  test('InferenceServer', () => {
    fc.assert(fc.property(
      fc.boolean(), fc.constantFrom('gemma', 'Gemma', 'g'.repeat(70), 'a-b'), fc.constantFrom('default', 'ml', 'Bad_NS'),
      fc.integer({ min: 0, max: 20 }), fc.option(fc.integer({ min: -1, max: 5000 })), fc.boolean(),
      (jetstream, name, namespace, interval, batch, withPool) => onlyValidationErrors(() => {
        const s = stack();
        new InferenceServer(s, 'S', jetstream
          ? { spec: jetstreamSpec(), name, namespace, nodePool: withPool ? tpuPool() : undefined, metricsScrapeIntervalSeconds: interval,
            jetstream: { checkpointPath: 'gs://b/c', perDeviceBatchSize: batch ?? undefined } }
          : { spec: vllmSpec(), name, namespace, nodePool: withPool ? l4Pool() : undefined, metricsScrapeIntervalSeconds: interval,
            vllm: { maxModelLen: batch ?? undefined } });
        for (const m of manifestsOf(s)) expect(ManifestSchemas.issues(m)).toEqual([]);
      })), { numRuns: 40, seed: 7 });
  });
});
