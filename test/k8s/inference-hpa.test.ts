import * as fc from 'fast-check';
import { ValidationError } from '../../lib';
import {
  ClusterMetricsAdapter, HpaMetricType, InferenceHpa, InferenceMetric, InferenceServer, ManifestSchemas, manifestsOf,
  MetricsAdapter, quantity, TfTemplate,
} from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidation, gkeCluster, jetstreamSpec, l4Pool, stack, tpuPool, vllmSpec } from './fixtures';

function jetstreamServer(s: ReturnType<typeof stack>, maxReplicas = 2, poolNodes = 2): InferenceServer {
  return new InferenceServer(s, 'Server', { spec: jetstreamSpec(maxReplicas), nodePool: tpuPool(poolNodes), jetstream: { checkpointPath: 'gs://b/c' } });
}

const TUTORIAL_METRICS = () => [InferenceMetric.jetstreamPrefillBacklog(5), InferenceMetric.jetstreamSlotsUsed(90)];

describe('InferenceMetric', () => {
  test('quantities: integers as-is, fractions in milli-units', () => {
    expect(quantity(5)).toBe('5');
    expect(quantity(0.9)).toBe('900m');
    expect(InferenceMetric.jetstreamSlotsUsed(90).target).toBe('900m');
    expect(InferenceMetric.vllmKvCacheUsage(75).target).toBe('750m');
    expect(InferenceMetric.jetstreamPrefillBacklog().target).toBe('5');
    expect(InferenceMetric.custom({ metric: 'vllm:num_requests_running', averageValue: 2.5 }).target).toBe('2500m');
  });

  test.each([
    [() => InferenceMetric.jetstreamPrefillBacklog(0), 'SCALING_TARGET_OUT_OF_RANGE', 'InferenceMetric.jetstreamPrefillBacklog'],
    [() => InferenceMetric.jetstreamSlotsUsed(101), 'SCALING_TARGET_OUT_OF_RANGE', 'percent = 101'],
    [() => InferenceMetric.acceleratorMemoryUsed(0), 'SCALING_TARGET_OUT_OF_RANGE', 'percent = 0'],
    [() => InferenceMetric.custom({ metric: 'bad metric', averageValue: 1 }), 'METRIC_NAME_INVALID', '"bad metric"'],
  ])('rejects bad targets and names (%#)', (fn, code, part) => {
    expectValidation(fn, code, part);
  });

  test('acceleratorMemoryUsed needs PromQL: prometheus-adapter renders a ratio, Stackdriver fails', () => {
    const m = InferenceMetric.acceleratorMemoryUsed(80);
    const ctx = { stackdriverMetricType: HpaMetricType.PODS, clusterName: 'c', namespace: 'default', path: 'S/Hpa' };
    const r = m.render({ ...ctx, adapter: 'prometheus' as never });
    expect(r.spec).toEqual({ type: 'External', external: { metric: { name: 'accelerator_memory_used_ratio' }, target: { type: 'Value', value: '800m' } } });
    expect(r.rule!.metricsQuery).toContain('cluster_name="c"');
    expectValidation(() => m.render({ ...ctx, adapter: 'stackdriver' as never }), 'METRIC_NOT_SUPPORTED', 'S/Hpa');
  });
});

describe('InferenceHpa: the tutorial\'s three variants', () => {
  test('Stackdriver, Pods: prometheus.googleapis.com|<metric>|gauge, AverageValue', () => {
    const s = stack();
    const adapter = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter: MetricsAdapter.stackdriver() });
    const hpa = new InferenceHpa(s, 'Hpa', { target: jetstreamServer(s), adapter, metrics: TUTORIAL_METRICS() });
    expect((hpa.manifest.spec as any).metrics).toEqual([
      { type: 'Pods', pods: { metric: { name: 'prometheus.googleapis.com|jetstream_prefill_backlog_size|gauge' }, target: { type: 'AverageValue', averageValue: '5' } } },
      { type: 'Pods', pods: { metric: { name: 'prometheus.googleapis.com|jetstream_slots_used_percentage|gauge' }, target: { type: 'AverageValue', averageValue: '900m' } } },
    ]);
    TfTemplate.fromStack(s).hasResourceProperties('kubernetes_horizontal_pod_autoscaler_v2', {
      spec: {
        min_replicas: 1, max_replicas: 2,
        scale_target_ref: { api_version: 'apps/v1', kind: 'Deployment', name: 'gemma' },
        metric: [
          { type: 'Pods', pods: { metric: { name: 'prometheus.googleapis.com|jetstream_prefill_backlog_size|gauge' }, target: { type: 'AverageValue', average_value: '5' } } },
          { type: 'Pods', pods: { metric: { name: 'prometheus.googleapis.com|jetstream_slots_used_percentage|gauge' }, target: { type: 'AverageValue', average_value: '900m' } } },
        ],
      },
    });
    expectSynthSnapshot(s);
  });

  test('Stackdriver, External: same name, selected by cluster and namespace (selector as a list in Terraform)', () => {
    const s = stack();
    const adapter = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter: MetricsAdapter.stackdriver({ metricType: HpaMetricType.EXTERNAL }) });
    new InferenceHpa(s, 'Hpa', { target: jetstreamServer(s), adapter, metrics: [InferenceMetric.jetstreamPrefillBacklog(3)] });
    TfTemplate.fromStack(s).hasResourceProperties('kubernetes_horizontal_pod_autoscaler_v2', {
      spec: {
        metric: [{
          type: 'External',
          external: {
            metric: {
              name: 'prometheus.googleapis.com|jetstream_prefill_backlog_size|gauge',
              selector: [{ match_labels: { 'resource.labels.cluster': 'inference', 'resource.labels.namespace': 'default' } }],
            },
            target: { type: 'AverageValue', average_value: '3' },
          },
        }],
      },
    });
  });

  test('prometheus-adapter, External: the rule\'s name, rules filtered by cluster and namespace in the Helm values', () => {
    const s = stack();
    const adapter = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter: MetricsAdapter.prometheus() });
    const hpa = new InferenceHpa(s, 'Hpa', { target: jetstreamServer(s), adapter, metrics: TUTORIAL_METRICS() });
    expect((hpa.manifest.spec as any).metrics[0]).toEqual(
      { type: 'External', external: { metric: { name: 'jetstream_prefill_backlog_size' }, target: { type: 'AverageValue', averageValue: '5' } } });
    const t = TfTemplate.fromStack(s);
    const release = t.resource('helm_release').config;
    expect(release).toMatchObject({ chart: 'prometheus-adapter', repository: 'https://prometheus-community.github.io/helm-charts', version: '5.3.0', namespace: 'custom-metrics' });
    const values = JSON.parse(release.values[0]);
    expect(values.prometheus).toEqual({ url: 'http://gmp-frontend.custom-metrics.svc', port: 9090 });
    expect(values.rules.default).toBe(false);
    expect(values.rules.external.map((r: any) => r.name.as)).toEqual(['jetstream_prefill_backlog_size', 'jetstream_slots_used_percentage']);
    for (const rule of values.rules.external) {
      expect(rule.metricsQuery).toContain('cluster="inference"');
      expect(rule.metricsQuery).toContain('namespace="default"');
      expect(rule.seriesQuery).toContain('cluster="inference"');
    }
    expectSynthSnapshot(s);
  });

  test('vLLM metric names are served without colons by prometheus-adapter', () => {
    const s = stack();
    const adapter = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter: MetricsAdapter.prometheus() });
    const server = new InferenceServer(s, 'Server', { spec: vllmSpec(), nodePool: l4Pool() });
    const hpa = new InferenceHpa(s, 'Hpa', { target: server, adapter, metrics: [InferenceMetric.vllmRequestsWaiting(4), InferenceMetric.vllmKvCacheUsage(80)] });
    expect((hpa.manifest.spec as any).metrics.map((m: any) => m.external.metric.name)).toEqual(['vllm_num_requests_waiting', 'vllm_kv_cache_usage_perc']);
    expect(adapter.prometheusRules.map((r) => r.name.matches)).toEqual(['^vllm:num_requests_waiting$', '^vllm:kv_cache_usage_perc$']);
  });
});

describe('InferenceHpa: defaults and validation', () => {
  test('defaults: JetStream prefill backlog 5, bounds from the spec, scale up at once, scale down after 5 minutes', () => {
    const s = stack();
    const adapter = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter: MetricsAdapter.stackdriver() });
    const hpa = new InferenceHpa(s, 'Hpa', { target: jetstreamServer(s), adapter });
    expect(hpa.manifest.spec).toMatchObject({
      minReplicas: 1, maxReplicas: 2,
      metrics: [{ pods: { metric: { name: 'prometheus.googleapis.com|jetstream_prefill_backlog_size|gauge' }, target: { averageValue: '5' } } }],
      behavior: { scaleUp: { stabilizationWindowSeconds: 0 }, scaleDown: { stabilizationWindowSeconds: 300 } },
    });
    TfTemplate.fromStack(s).hasResourceProperties('kubernetes_horizontal_pod_autoscaler_v2', {
      spec: {
        behavior: {
          scale_up: [{ stabilization_window_seconds: 0, policy: [{ type: 'Percent', value: 100, period_seconds: 15 }, { type: 'Pods', value: 4, period_seconds: 15 }] }],
          scale_down: [{ stabilization_window_seconds: 300, policy: [{ type: 'Percent', value: 100, period_seconds: 15 }] }],
        },
      },
    });
    const v = new InferenceHpa(stack(), 'V', {
      target: new InferenceServer(stack(), 'S', { spec: vllmSpec() }),
      adapter: new ClusterMetricsAdapter(stack(), 'A', { cluster: gkeCluster('other'), adapter: MetricsAdapter.stackdriver() }),
    });
    expect((v.manifest.spec as any).metrics[0].pods.metric.name).toBe('prometheus.googleapis.com|vllm:num_requests_waiting|gauge');
  });

  test('a queue-size target outside 3-10 gets a warning naming GKE\'s guidance; 3-5 gets none', () => {
    const s = stack();
    const adapter = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter: MetricsAdapter.stackdriver() });
    const server = jetstreamServer(s);
    const ok = new InferenceHpa(s, 'Ok', { target: server, adapter, metrics: [InferenceMetric.jetstreamPrefillBacklog(4)] });
    const high = new InferenceHpa(s, 'High', { target: server, adapter, name: 'high', metrics: [InferenceMetric.jetstreamPrefillBacklog(50)] });
    const warnings = (c: InferenceHpa) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings(ok)).toEqual([]);
    expect(warnings(high)).toEqual([expect.stringContaining('jetstream_prefill_backlog_size target 50 per replica')]);
  });

  test('replicas vs pool capacity: fits passes, exceeding fails naming the path, value and allowed range', () => {
    const s = stack();
    const adapter = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter: MetricsAdapter.stackdriver() });
    expect(() => new InferenceHpa(s, 'Fits', { target: jetstreamServer(s, 2, 2), adapter })).not.toThrow();
    const s2 = stack();
    const a2 = new ClusterMetricsAdapter(s2, 'Adapter', { cluster: gkeCluster('c2'), adapter: MetricsAdapter.stackdriver() });
    expectValidation(() => new InferenceHpa(s2, 'Hpa', { target: jetstreamServer(s2, 3, 2), adapter: a2 }),
      'POOL_CAPACITY_EXCEEDED', 'K8s/Hpa', 'maxReplicas = 3', 'at most 2');
    expectValidation(() => new InferenceHpa(s2, 'Hpa2', { target: jetstreamServer(stack(), 2, 2), adapter: a2, maxReplicas: 5 }),
      'POOL_CAPACITY_EXCEEDED', 'K8s/Hpa2', 'maxReplicas = 5');
  });

  test.each([
    [{ minReplicas: 0 }, 'REPLICAS_OUT_OF_RANGE'],
    [{ minReplicas: 2, maxReplicas: 1 }, 'MIN_GREATER_THAN_MAX'],
    [{ metrics: [] }, 'METRICS_MISSING'],
    [{ metrics: [InferenceMetric.jetstreamPrefillBacklog(3), InferenceMetric.jetstreamPrefillBacklog(4)] }, 'METRICS_DUPLICATED'],
    [{ behavior: { scaleDownStabilizationSeconds: 4000 } }, 'STABILIZATION_OUT_OF_RANGE'],
    [{ behavior: { scaleUpPolicies: [] } }, 'SCALING_POLICY_INVALID'],
    [{ behavior: { scaleUpPolicies: [{ type: 'Pods' as const, value: 0, periodSeconds: 15 }] } }, 'SCALING_POLICY_INVALID'],
  ])('rejects %j', (props, code) => {
    const s = stack();
    const adapter = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter: MetricsAdapter.stackdriver() });
    expectValidation(() => new InferenceHpa(s, 'Hpa', { target: jetstreamServer(s), adapter, ...props }), code, 'K8s/Hpa');
  });

  test('property: random HPA props only ever throw ValidationError, and what synthesizes is a valid HPA', () => {
    fc.assert(fc.property(
      fc.integer({ min: -1, max: 6 }), fc.integer({ min: -1, max: 6 }), fc.integer({ min: 1, max: 4 }),
      fc.double({ min: -1, max: 120, noNaN: true }), fc.integer({ min: -10, max: 4000 }),
      fc.constantFrom('stackdriver', 'stackdriver-external', 'prometheus'),
      (minReplicas, maxReplicas, poolNodes, target, window, kind) => {
        const s = stack();
        try {
          const adapter = new ClusterMetricsAdapter(s, 'Adapter', {
            cluster: gkeCluster(),
            adapter: kind === 'prometheus' ? MetricsAdapter.prometheus()
              : MetricsAdapter.stackdriver({ metricType: kind === 'stackdriver' ? HpaMetricType.PODS : HpaMetricType.EXTERNAL }),
          });
          const hpa = new InferenceHpa(s, 'Hpa', {
            target: jetstreamServer(s, 2, poolNodes), adapter, minReplicas, maxReplicas,
            metrics: [InferenceMetric.jetstreamPrefillBacklog(target), InferenceMetric.jetstreamSlotsUsed(Math.min(100, Math.max(1, target)))],
            behavior: { scaleDownStabilizationSeconds: window },
          });
          expect(ManifestSchemas.issues(hpa.manifest)).toEqual([]);
        } catch (e) {
          if (!ValidationError.isValidationError(e)) throw e;
        }
      }), { numRuns: 40, seed: 88 });
  });
});

describe('ClusterMetricsAdapter', () => {
  test('a second adapter for the same cluster fails synth; another cluster is fine', () => {
    const s = stack();
    const cluster = gkeCluster();
    new ClusterMetricsAdapter(s, 'First', { cluster, adapter: MetricsAdapter.stackdriver() });
    expectValidation(() => new ClusterMetricsAdapter(s, 'Second', { cluster, adapter: MetricsAdapter.prometheus() }),
      'METRICS_ADAPTER_CONFLICT', 'K8s/Second', 'K8s/First');
    expect(() => new ClusterMetricsAdapter(s, 'Other', { cluster: gkeCluster('other'), adapter: MetricsAdapter.prometheus() })).not.toThrow();
  });

  test('Stackdriver: upstream objects, Workload Identity to roles/monitoring.viewer, all manifests valid', () => {
    const s = stack();
    const adapter = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter: MetricsAdapter.stackdriver() });
    expect(adapter.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Namespace/custom-metrics', 'ServiceAccount/custom-metrics-stackdriver-adapter',
      'ClusterRoleBinding/custom-metrics:system:auth-delegator', 'RoleBinding/custom-metrics-auth-reader',
      'ClusterRole/custom-metrics-resource-reader', 'ClusterRoleBinding/custom-metrics-resource-reader',
      'Deployment/custom-metrics-stackdriver-adapter', 'Service/custom-metrics-stackdriver-adapter',
      'APIService/v1beta1.custom.metrics.k8s.io', 'APIService/v1beta2.custom.metrics.k8s.io', 'APIService/v1beta1.external.metrics.k8s.io',
      'ClusterRole/external-metrics-reader', 'ClusterRoleBinding/external-metrics-reader',
    ]);
    for (const m of manifestsOf(s)) expect(ManifestSchemas.issues(m)).toEqual([]);
    const t = TfTemplate.fromStack(s);
    t.hasResourceProperties('google_project_iam_member', { role: 'roles/monitoring.viewer' });
    t.hasResourceProperties('google_service_account_iam_member', {
      role: 'roles/iam.workloadIdentityUser', member: 'serviceAccount:my-project.svc.id.goog[custom-metrics/custom-metrics-stackdriver-adapter]',
    });
    const ksa = t.resource('kubernetes_manifest', { manifest: { kind: 'ServiceAccount' } }).config;
    expect(ksa.manifest.metadata.annotations['iam.gke.io/gcp-service-account']).toMatch(/^\$\{google_service_account\.Adapter_ServiceAccount_[0-9A-F]+\.email\}$/);
  });

  test('prometheus-adapter: the query frontend runs as the Workload Identity service account; all manifests valid', () => {
    const s = stack();
    const adapter = new ClusterMetricsAdapter(s, 'Adapter', {
      cluster: gkeCluster(), adapter: MetricsAdapter.prometheus({ rules: [{ seriesQuery: 'x', resources: { template: '<<.Resource>>' }, name: { matches: '^x$', as: 'x' }, metricsQuery: 'sum(x)' }] }),
    });
    expect(adapter.manifests.map((m) => m.kind)).toEqual(['Namespace', 'ServiceAccount', 'Deployment', 'Service']);
    for (const m of adapter.manifests) expect(ManifestSchemas.issues(m)).toEqual([]);
    expect(adapter.prometheusRules).toHaveLength(1);
    TfTemplate.fromStack(s).hasResourceProperties('google_service_account_iam_member', {
      member: 'serviceAccount:my-project.svc.id.goog[custom-metrics/gmp-frontend]',
    });
  });

  test('a bad service account id fails', () => {
    expectValidation(() => new ClusterMetricsAdapter(stack(), 'A', { cluster: gkeCluster(), adapter: MetricsAdapter.stackdriver(), serviceAccountId: 'x' }),
      'SERVICE_ACCOUNT_ID_INVALID', 'K8s/A', '"x"');
  });
});
