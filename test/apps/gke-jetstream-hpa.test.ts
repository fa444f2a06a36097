import { Testing } from 'cdktf';
import { addGkeJetstreamHpaApp } from '../../apps/gke-jetstream-hpa';
import { ManifestSchemas, manifestsOf, TfTemplate } from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';

describe('gke-jetstream-hpa app', () => {
  const app = Testing.app();
  const stacks = addGkeJetstreamHpaApp(app);

  test('two stacks, the workloads applied after the cluster (cross-stack dependency)', () => {
    expect(stacks.cluster.node.id).toBe('gke-jetstream-hpa-cluster');
    expect(stacks.workloads.node.id).toBe('gke-jetstream-hpa-workloads');
    app.synth();
    expect(stacks.workloads.dependencies).toContain(stacks.cluster);
    expect(stacks.cluster.dependencies).toEqual([]);
  });

  test('cluster stack: GKE cluster and a TPU v5e pool of up to 2 nodes', () => {
    const t = TfTemplate.fromStack(stacks.cluster);
    t.resourceCountIs('google_container_cluster', 1);
    t.hasResourceProperties('google_container_node_pool', {
      name: 'tpu-v5e', autoscaling: { min_node_count: 0, max_node_count: 2 }, node_config: { machine_type: 'ct5lp-hightpu-1t' },
    });
    expectSynthSnapshot(stacks.cluster);
  });

  test('workloads stack: JetStream server, PodMonitorings, Stackdriver adapter, HPA on prefill backlog and slots used (1-2)', () => {
    const t = TfTemplate.fromStack(stacks.workloads);
    t.hasResourceProperties('kubernetes_horizontal_pod_autoscaler_v2', {
      spec: {
        min_replicas: 1, max_replicas: 2,
        metric: [
          { type: 'Pods', pods: { metric: { name: 'prometheus.googleapis.com|jetstream_prefill_backlog_size|gauge' } } },
          { type: 'Pods', pods: { metric: { name: 'prometheus.googleapis.com|jetstream_slots_used_percentage|gauge' } } },
        ],
      },
    });
    t.hasResourceProperties('kubernetes_manifest', { manifest: { kind: 'PodMonitoring', spec: { endpoints: [{ interval: '5s', port: 9100 }] } } });
    t.hasResourceProperties('kubernetes_manifest', { manifest: { kind: 'PodMonitoring', metadata: { name: 'tpu-metrics-exporter' } } });
    expect(Object.keys(t.toJSON().provider ?? {}).sort()).toEqual(['google', 'helm', 'kubernetes']);
    expectSynthSnapshot(stacks.workloads);
  });

  test('every Kubernetes object of the app is valid against its upstream schema', () => {
    const all = manifestsOf(stacks.workloads);
    expect(all.length).toBeGreaterThanOrEqual(17);
    for (const m of all) expect({ kind: m.kind, name: m.metadata.name, issues: ManifestSchemas.issues(m) }).toEqual({ kind: m.kind, name: m.metadata.name, issues: [] });
  });

  test.each([
    ['stackdriver-external', 'External', 'prometheus.googleapis.com|jetstream_prefill_backlog_size|gauge'],
    ['prometheus', 'External', 'jetstream_prefill_backlog_size'],
  ] as const)('with the %s adapter the HPA uses %s metrics named %s', (adapter, type, name) => {
    const other = addGkeJetstreamHpaApp(Testing.app(), { adapter });
    const hpa = TfTemplate.fromStack(other.workloads).resource('kubernetes_horizontal_pod_autoscaler_v2').config;
    expect(hpa.spec.metric[0].type).toBe(type);
    expect(hpa.spec.metric[0].external.metric.name).toBe(name);
  });
});
