import {
  ClusterMetricsAdapter, GPU_SIGNAL_ADVICE_ANNOTATION, GpuUtilizationHpa, InferenceMetric, InferenceServer, ManifestSchemas,
  MetricsAdapter, TfTemplate,
} from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidation, gkeCluster, l4Pool, stack, vllmSpec } from './fixtures';

function setup(adapter = MetricsAdapter.stackdriver()) {
  const s = stack();
  const server = new InferenceServer(s, 'Server', { spec: vllmSpec(3), nodePool: l4Pool(3), namespace: 'llm' });
  const a = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter });
  return { s, server, adapter: a };
}

const warnings = (c: GpuUtilizationHpa) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));

describe('InferenceMetric DCGM and request-rate factories', () => {
  test('Stackdriver: DCGM gauges are External over the cluster; the request rate reads the counter series', () => {
    const ctx = { adapter: 'stackdriver' as never, stackdriverMetricType: 'Pods' as never, clusterName: 'c', namespace: 'llm', path: 'S/H' };
    expect(InferenceMetric.dcgmGpuUtilization(80).render(ctx).spec).toEqual({
      type: 'External',
      external: { metric: { name: 'prometheus.googleapis.com|DCGM_FI_DEV_GPU_UTIL|gauge', selector: { matchLabels: { 'resource.labels.cluster': 'c' } } }, target: { type: 'AverageValue', averageValue: '80' } },
    });
    expect(InferenceMetric.dcgmFramebufferUsed(20_000).render(ctx).spec.external!.metric.name).toBe('prometheus.googleapis.com|DCGM_FI_DEV_FB_USED|gauge');
    expect(InferenceMetric.requestRate(2.5).render(ctx).spec).toEqual({
      type: 'Pods', pods: { metric: { name: 'prometheus.googleapis.com|vllm:request_success_total|counter' }, target: { type: 'AverageValue', averageValue: '2500m' } },
    });
  });

  test('prometheus-adapter: DCGM summed over the cluster, request rate as rate()', () => {
    const ctx = { adapter: 'prometheus' as never, stackdriverMetricType: 'Pods' as never, clusterName: 'c', namespace: 'llm', path: 'S/H' };
    expect(InferenceMetric.dcgmMemoryCopyUtilization(70).render(ctx).rule!.metricsQuery).toBe('sum(DCGM_FI_DEV_MEM_COPY_UTIL{cluster="c"})');
    const r = InferenceMetric.requestRate(1).render(ctx);
    expect(r.rule!.metricsQuery).toBe('sum(rate(<<.Series>>{<<.LabelMatchers>>,cluster="c",namespace="llm"}[1m]))');
    expect(r.spec).toEqual({ type: 'External', external: { metric: { name: 'vllm_request_success_total' }, target: { type: 'AverageValue', averageValue: '1' } } });
  });

  test.each([
    [() => InferenceMetric.dcgmGpuUtilization(0), 'percent = 0'],
    [() => InferenceMetric.dcgmGpuUtilization(101), 'percent = 101'],
    [() => InferenceMetric.dcgmMemoryCopyUtilization(150), 'InferenceMetric.dcgmMemoryCopyUtilization'],
    [() => InferenceMetric.dcgmFramebufferUsed(0), 'mebibytes = 0'],
    [() => InferenceMetric.requestRate(0), 'perSecond = 0'],
  ])('rejects out-of-range targets (%#)', (fn, part) => {
    expectValidation(fn, 'SCALING_TARGET_OUT_OF_RANGE', part, 'allowed');
  });

  test('labels narrow the DCGM series (Stackdriver metric.labels selectors, PromQL matchers)', () => {
    const m = InferenceMetric.dcgmGpuUtilization(80, { exported_namespace: 'llm' });
    const sd = m.render({ adapter: 'stackdriver' as never, stackdriverMetricType: 'Pods' as never, clusterName: 'c', namespace: 'llm', path: 'S/H' });
    expect(sd.spec.external!.metric.selector).toEqual({ matchLabels: { 'resource.labels.cluster': 'c', 'metric.labels.exported_namespace': 'llm' } });
    const pa = m.render({ adapter: 'prometheus' as never, stackdriverMetricType: 'Pods' as never, clusterName: 'c', namespace: 'llm', path: 'S/H' });
    expect(pa.rule!.metricsQuery).toBe('sum(DCGM_FI_DEV_GPU_UTIL{cluster="c",exported_namespace="llm"})');
    expectValidation(() => InferenceMetric.dcgmFramebufferUsed(100, { 'bad-label': 'x' }), 'METRIC_LABEL_INVALID', 'labels.bad-label');
    expectValidation(() => InferenceMetric.dcgmMemoryCopyUtilization(50, { pod: 'a"b' }), 'METRIC_LABEL_INVALID', 'without quotes');
  });

  test('rejects a bad counter name', () => {
    expectValidation(() => InferenceMetric.requestRate(1, 'bad name'), 'METRIC_NAME_INVALID', '"bad name"');
  });
});

describe('GpuUtilizationHpa', () => {
  test('defaults: GPU duty cycle 80 %, scale up 60 s window / 100 % per 60 s, down 300 s / 25 % per 120 s, advice annotation and warning', () => {
    const { s, server, adapter } = setup();
    const hpa = new GpuUtilizationHpa(s, 'GpuHpa', { target: server, adapter });
    const m = hpa.manifests[0] as any;
    expect(m.metadata.annotations[GPU_SIGNAL_ADVICE_ANNOTATION]).toContain('weak signal for LLM latency');
    expect(m.spec.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 25, periodSeconds: 120 }] },
    });
    expect(ManifestSchemas.issues(m)).toEqual([]);
    expect(warnings(hpa)).toEqual([expect.stringContaining('queue size')]);
    const t = TfTemplate.fromStack(s);
    expect(t.resource('kubernetes_horizontal_pod_autoscaler_v2').config.metadata.annotations[GPU_SIGNAL_ADVICE_ANNOTATION]).toContain('queue size');
    t.hasResourceProperties('kubernetes_horizontal_pod_autoscaler_v2', {
      metadata: { name: 'gemma-vllm', namespace: 'llm' },
      spec: {
        min_replicas: 1, max_replicas: 3,
        metric: [{ type: 'External', external: { metric: { name: 'prometheus.googleapis.com|DCGM_FI_DEV_GPU_UTIL|gauge' }, target: { average_value: '80' } } }],
        behavior: { scale_up: [{ stabilization_window_seconds: 60, policy: [{ type: 'Percent', value: 100, period_seconds: 60 }] }] },
      },
    });
    expectSynthSnapshot(s);
  });

  test('all four signals, custom behaviour', () => {
    const { s, server, adapter } = setup();
    const hpa = new GpuUtilizationHpa(s, 'GpuHpa', {
      target: server, adapter, gpuUtilizationPercent: 70, memoryCopyUtilizationPercent: 60, framebufferUsedMiB: 18_000, requestsPerSecond: 3,
      dcgmLabels: { exported_container: 'vllm' },
      scaleUpStabilizationSeconds: 0, scaleDownPolicies: [{ type: 'Pods', value: 1, periodSeconds: 300 }],
    });
    expect(hpa.metrics.map((x) => x.metric)).toEqual(['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_MEM_COPY_UTIL', 'DCGM_FI_DEV_FB_USED', 'vllm:request_success_total']);
    expect(hpa.metrics.map((x) => x.labels)).toEqual([{ exported_container: 'vllm' }, { exported_container: 'vllm' }, { exported_container: 'vllm' }, undefined]);
    const spec = (hpa.manifests[0] as any).spec;
    expect(spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(spec.behavior.scaleDown.policies).toEqual([{ type: 'Pods', value: 1, periodSeconds: 300 }]);
    expect(ManifestSchemas.issues(hpa.manifests[0])).toEqual([]);
  });

  test.each([
    [{ gpuUtilizationPercent: 0 }, 'SCALING_TARGET_OUT_OF_RANGE', 'gpuUtilizationPercent = 0'],
    [{ gpuUtilizationPercent: 100 }, null, null],
    [{ memoryCopyUtilizationPercent: 101 }, 'SCALING_TARGET_OUT_OF_RANGE', 'memoryCopyUtilizationPercent = 101'],
    [{ framebufferUsedMiB: -1 }, 'SCALING_TARGET_OUT_OF_RANGE', 'framebufferUsedMiB = -1'],
    [{ requestsPerSecond: 0 }, 'SCALING_TARGET_OUT_OF_RANGE', 'requestsPerSecond = 0'],
    [{ maxReplicas: 4 }, 'POOL_CAPACITY_EXCEEDED', 'maxReplicas = 4'],
    [{ maxReplicas: 3 }, null, null],
    [{ scaleDownStabilizationSeconds: 4000 }, 'STABILIZATION_OUT_OF_RANGE', 'behavior.scaleDownStabilizationSeconds = 4000'],
  ] as const)('validation %#: %p', (props, code, part) => {
    const { s, server, adapter } = setup();
    const make = () => new GpuUtilizationHpa(s, 'GpuHpa', { target: server, adapter, ...props });
    if (code) expectValidation(make, code, part!, 'K8s/GpuHpa');
    else expect(make).not.toThrow();
  });
});
