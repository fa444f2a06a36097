import { Testing, TerraformStack } from 'cdktf';
import { Accelerator, Model, ModelServer, ModelServingSpec, ValidationError } from '../../lib';
import { IAcceleratorPool, IGkeCluster } from '../../lib/k8s';

/** A fresh stack in a fresh app. */
export function stack(id = 'K8s'): TerraformStack {
  return new TerraformStack(Testing.app(), id);
}

/** A cluster described by hand (what GkeInferenceCluster provides). */
export function gkeCluster(name = 'inference'): IGkeCluster {
  return { clusterName: name, location: 'us-central1-a', project: 'my-project', workloadPool: 'my-project.svc.id.goog' };
}

/** An L4 pool of `maxNodes` single-GPU nodes. */
export function l4Pool(maxNodes = 2): IAcceleratorPool {
  return {
    nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    resourceName: 'nvidia.com/gpu', acceleratorsPerNode: 1, maxNodes, maxAccelerators: maxNodes,
  };
}

/** A TPU v5e 1x1 pool. */
export function tpuPool(maxNodes = 2): IAcceleratorPool {
  return {
    nodeSelector: { 'cloud.google.com/gke-tpu-accelerator': 'tpu-v5-lite-podslice', 'cloud.google.com/gke-tpu-topology': '1x1' },
    tolerations: [{ key: 'google.com/tpu', operator: 'Exists', effect: 'NoSchedule' }],
    resourceName: 'google.com/tpu', acceleratorsPerNode: 1, maxNodes, maxAccelerators: maxNodes,
  };
}

/** Gemma 3 4B on JetStream on one TPU v5e chip. */
export function jetstreamSpec(maxReplicas = 2): ModelServingSpec {
  return new ModelServingSpec({
    name: 'gemma', model: Model.gemma3('4b'), server: ModelServer.jetstream(), accelerator: Accelerator.tpuV5e('1x1'),
    concurrency: 8, minReplicas: 1, maxReplicas,
  });
}

/** Gemma 3 1B on vLLM on one L4. */
export function vllmSpec(maxReplicas = 2): ModelServingSpec {
  return new ModelServingSpec({
    name: 'gemma-vllm', model: Model.gemma3('1b'), server: ModelServer.vllm(), accelerator: Accelerator.nvidiaL4(), maxReplicas,
  });
}

/** Runs `fn` and asserts it throws a ValidationError with `code` whose message contains every part. */
export function expectValidation(fn: () => unknown, code: string, ...parts: string[]): void {
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  if (!ValidationError.isValidationError(err)) throw new Error(`expected a ValidationError ${code}, got ${String(err)}`);
  expect(err.code).toBe(code);
  for (const p of parts) expect(err.message).toContain(p);
}
