import { ManifestSchemas, manifestsOf, InferenceServer, PodMonitoring, TfTemplate, toDeploymentConfig } from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidation, jetstreamSpec, l4Pool, stack, tpuPool, vllmSpec } from './fixtures';

describe('InferenceServer', () => {
  test('JetStream: MaxText engine + HTTP server, TPU requested, node selector, readiness, metrics port, no replicas', () => {
    const s = stack();
    const server = new InferenceServer(s, 'Server', { spec: jetstreamSpec(), nodePool: tpuPool(), jetstream: { checkpointPath: 'gs://b/ckpt' } });
    const t = TfTemplate.fromStack(s);
    const d = t.resource('kubernetes_deployment_v1').config;
    expect(d.wait_for_rollout).toBe(false);
    expect(d.lifecycle).toEqual({ ignore_changes: ['spec[0].replicas'] });
    expect(d.spec.replicas).toBeUndefined();
    const [engine, http] = d.spec.template.spec.container;
    expect(engine.args).toContain('load_parameters_path=gs://b/ckpt');
    expect(engine.args).toContain('prometheus_port=9100');
    expect(engine.args).toContain('per_device_batch_size=8');
    expect(engine.resources.limits['google.com/tpu']).toBe('1');
    expect(engine.resources.requests['google.com/tpu']).toBe('1');
    expect(http.readiness_probe.http_get).toEqual({ path: '/healthcheck', port: '8000' });
    expect(d.spec.template.spec.node_selector).toEqual(tpuPool().nodeSelector);
    expect(d.spec.template.spec.toleration).toEqual([{ key: 'google.com/tpu', operator: 'Exists', effect: 'NoSchedule' }]);
    t.hasResourceProperties('kubernetes_service_v1', {
      spec: { type: 'ClusterIP', port: [{ name: 'http', port: 8000, target_port: '8000' }, { name: 'metrics', port: 9100, target_port: '9100' }] },
    });
    t.hasResourceProperties('kubernetes_manifest', {
      manifest: { kind: 'PodMonitoring', spec: { endpoints: [{ port: 9100, path: '/', interval: '15s' }], selector: { matchLabels: { app: 'gemma' } } } },
    });
    expect(server.manifests.map((m) => m.kind)).toEqual(['Deployment', 'Service']);
    expect(manifestsOf(server).map((m) => m.kind)).toEqual(['Deployment', 'Service', 'PodMonitoring']);
    expect(server.manifests[0].spec).not.toHaveProperty('replicas');
  });

  test('vLLM: model, tensor parallelism, max-num-seqs, GPU, /dev/shm, HF token from a secret', () => {
    const s = stack();
    new InferenceServer(s, 'Server', { spec: vllmSpec(), nodePool: l4Pool(), vllm: { huggingFaceTokenSecret: 'hf', maxModelLen: 8192 } });
    const c = TfTemplate.fromStack(s).resource('kubernetes_deployment_v1').config.spec.template.spec.container[0];
    expect(c.args).toEqual(['--model=google/gemma-3-1b-it', '--tensor-parallel-size=1', '--port=8000', '--max-num-seqs=4', '--max-model-len=8192']);
    expect(c.env).toEqual([{ name: 'HUGGING_FACE_HUB_TOKEN', value_from: { secret_key_ref: { name: 'hf', key: 'hf_api_token' } } }]);
    expect(c.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(c.volume_mount).toEqual([{ name: 'dshm', mount_path: '/dev/shm' }]);
    expect(c.readiness_probe.http_get).toEqual({ path: '/health', port: '8000' });
  });

  test('every manifest it emits is valid against its upstream schema', () => {
    const s = stack();
    new InferenceServer(s, 'Js', { spec: jetstreamSpec(), nodePool: tpuPool(), jetstream: { checkpointPath: 'gs://b/c' } });
    new InferenceServer(s, 'Vllm', { spec: vllmSpec(), nodePool: l4Pool(), vllm: { huggingFaceTokenSecret: 'hf' } });
    const all = manifestsOf(s);
    expect(all).toHaveLength(6);
    expect(all.map((m) => m.kind)).toEqual(['Deployment', 'Service', 'PodMonitoring', 'Deployment', 'Service', 'PodMonitoring']);
    for (const m of all) expect(ManifestSchemas.issues(m)).toEqual([]);
  });

  test('snapshot', () => {
    const s = stack();
    new InferenceServer(s, 'Server', { spec: jetstreamSpec(), nodePool: tpuPool(), jetstream: { checkpointPath: 'gs://b/ckpt' }, metricsScrapeIntervalSeconds: 5 });
    expectSynthSnapshot(s);
  });

  test('rejects Ollama (no Prometheus metrics), JetStream without a checkpoint, and a replica larger than a node', () => {
    const { Accelerator, Model, ModelServingSpec } = require('../../lib');
    const ollama = new ModelServingSpec({ model: Model.gemma3('1b'), accelerator: Accelerator.nvidiaL4() });
    expectValidation(() => new InferenceServer(stack(), 'S', { spec: ollama }), 'SERVER_NOT_SUPPORTED', 'K8s/S', '"ollama"');
    expectValidation(() => new InferenceServer(stack(), 'S', { spec: jetstreamSpec() }), 'JETSTREAM_OPTIONS_MISSING', 'K8s/S');
    const twoGpus = new ModelServingSpec({ model: Model.gemma3('1b'), server: require('../../lib').ModelServer.vllm(), accelerator: Accelerator.nvidiaL4(), acceleratorsPerReplica: 2 });
    expectValidation(() => new InferenceServer(stack(), 'S', { spec: twoGpus, nodePool: l4Pool() }), 'ACCELERATOR_COUNT_OUT_OF_RANGE',
      'K8s/S', 'spec.acceleratorsPerReplica = 2', 'from 1 to 1');
    expect(() => new InferenceServer(stack(), 'S', { spec: twoGpus })).not.toThrow();
  });

  test('rejects a bad name and bad JetStream lengths', () => {
    expectValidation(() => new InferenceServer(stack(), 'S', { spec: vllmSpec(), name: 'Gemma_1' }), 'NAME_INVALID', '"Gemma_1"');
    expectValidation(() => new InferenceServer(stack(), 'S', {
      spec: jetstreamSpec(), jetstream: { checkpointPath: 'gs://b', maxPrefillPredictLength: 4096, maxTargetLength: 2048 },
    }), 'SEQUENCE_LENGTH_OUT_OF_RANGE', 'maxPrefillPredictLength');
  });
});

describe('toDeploymentConfig', () => {
  test('maps every container field InferenceServer emits, and refuses a field it cannot map', () => {
    const server = new InferenceServer(stack(), 'S', { spec: vllmSpec(), nodePool: l4Pool(), vllm: { huggingFaceTokenSecret: 'hf' } });
    const manifest = server.manifests[0];
    const cfg = toDeploymentConfig(manifest) as any;
    const container = (manifest.spec as any).template.spec.containers[0];
    const mapped = cfg.spec.template.spec.container[0];
    const renamed: Record<string, string> = { ports: 'port', volumeMounts: 'volumeMount' };
    for (const key of Object.keys(container)) expect(mapped[renamed[key] ?? key]).toBeDefined();
    const bad = JSON.parse(JSON.stringify(manifest));
    bad.spec.template.spec.containers[0].livenessProbe = { httpGet: { path: '/', port: 1 } };
    expect(() => toDeploymentConfig(bad)).toThrow(/container\.livenessProbe has no provider-kubernetes mapping/);
  });
});

describe('PodMonitoring', () => {
  test.each([5, 10, 15])('accepts a scrape interval of %i s', (interval) => {
    const s = stack();
    const pm = new PodMonitoring(s, 'Pm', { matchLabels: { app: 'x' }, port: 'metrics', intervalSeconds: interval });
    expect((pm.manifests[0].spec as any).endpoints[0].interval).toBe(`${interval}s`);
  });

  test.each([4, 16, 7.5])('rejects a scrape interval of %d s', (interval) => {
    expectValidation(() => new PodMonitoring(stack(), 'Pm', { matchLabels: { app: 'x' }, port: 9100, intervalSeconds: interval }),
      'SCRAPE_INTERVAL_OUT_OF_RANGE', 'K8s/Pm', `intervalSeconds = ${interval}`, 'from 5 to 15');
  });

  test('system metrics: TPU device plugin and DCGM exporter', () => {
    const s = stack();
    const tpu = PodMonitoring.forTpuSystemMetrics(s, 'Tpu');
    const dcgm = PodMonitoring.forDcgmExporter(s, 'Dcgm');
    expect(tpu.manifests[0]).toMatchObject({ metadata: { namespace: 'kube-system' }, spec: { endpoints: [{ port: 2112 }], selector: { matchLabels: { 'k8s-app': 'tpu-device-plugin' } } } });
    expect(dcgm.manifests[0]).toMatchObject({ spec: { endpoints: [{ port: 9400 }] } });
    expectSynthSnapshot(s);
  });
});
