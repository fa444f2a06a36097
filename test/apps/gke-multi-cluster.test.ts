import { Testing } from 'cdktf';
import { addGkeMultiClusterApp } from '../../apps/gke-multi-cluster';
import { ManifestSchemas, manifestsOf, TfTemplate } from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';

describe('gke-multi-cluster app', () => {
  const app = Testing.app();
  const stacks = addGkeMultiClusterApp(app);
  const [eu, us] = stacks.clusters;

  test('three stacks: infra first, then one per cluster (cross-stack dependencies)', () => {
    expect([stacks.infra, eu, us].map((s) => s.node.id)).toEqual([
      'gke-multi-cluster-infra', 'gke-multi-cluster-europe-west3', 'gke-multi-cluster-us-east4',
    ]);
    app.synth();
    expect(eu.dependencies).toContain(stacks.infra);
    expect(us.dependencies).toContain(stacks.infra);
    expect(stacks.infra.dependencies).toEqual([]);
  });

  test('infra: two regional clusters with spot H100 pools of a3-highgpu-2g (2 x H100), fleet, proxy subnets', () => {
    const t = TfTemplate.fromStack(stacks.infra);
    expect(t.findResources('google_container_cluster').map((r) => r.config.location)).toEqual(['europe-west3', 'us-east4']);
    const pools = t.findResources('google_container_node_pool').filter((r) => r.config.name === 'h100-spot').map((r) => r.config.node_config);
    expect(pools).toHaveLength(2);
    for (const n of pools) {
      expect([n.machine_type, n.spot, n.guest_accelerator[0].type, n.guest_accelerator[0].count]).toEqual(['a3-highgpu-2g', true, 'nvidia-h100-80gb', 2]);
    }
    t.resourceCountIs('google_gke_hub_membership', 2);
    t.hasResourceProperties('google_gke_hub_feature', { name: 'multiclusteringress' });
    expect(t.findResources('google_compute_subnetwork').map((r) => [r.config.region, r.config.purpose, r.config.ip_cidr_range])).toEqual([
      ['europe-west3', 'GLOBAL_MANAGED_PROXY', '192.168.16.0/23'], ['us-east4', 'GLOBAL_MANAGED_PROXY', '192.168.18.0/23'],
    ]);
    expectSynthSnapshot(stacks.infra);
  });

  test('config cluster (europe-west3): vLLM Llama 3.1 8B, exported pool, KV-cache metric, gateway, custom-metric balancing', () => {
    const t = TfTemplate.fromStack(eu);
    const kinds = manifestsOf(eu).map((m) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(['InferencePool', 'AutoscalingMetric', 'InferenceObjective', 'Gateway', 'HTTPRoute', 'HealthCheckPolicy', 'GCPBackendPolicy']));
    t.hasResourceProperties('kubernetes_manifest', { manifest: { kind: 'InferencePool', metadata: { name: 'llama-pool', annotations: { 'networking.gke.io/export': 'True' } } } });
    t.hasResourceProperties('kubernetes_manifest', {
      manifest: { kind: 'GCPBackendPolicy', spec: { default: { balancingMode: 'CUSTOM_METRICS', trafficDuration: 'LONG', timeoutSec: 600, customMetrics: [{ name: 'gke.named_metrics.kv-cache', maxUtilizationPercent: 60 }] } } },
    });
    const container = t.resource('kubernetes_deployment_v1').config.spec.template.spec.container[0];
    expect(container.args).toContain('--model=meta-llama/Llama-3.1-8B-Instruct');
    expect(container.env[0].value_from.secret_key_ref).toEqual({ name: 'hf-token', key: 'hf_api_token' });
    expect(JSON.stringify(t.toJSON())).not.toMatch(/hf_[A-Za-z0-9]{30,}/);
    expectSynthSnapshot(eu);
  });

  test('the other cluster: pool and metric but no gateway objects', () => {
    const kinds = manifestsOf(us).map((m) => m.kind);
    expect(kinds).toContain('InferencePool');
    expect(kinds).not.toContain('Gateway');
    expect(kinds).not.toContain('HTTPRoute');
    expectSynthSnapshot(us);
  });

  test('every Kubernetes object of the app is valid against its strict schema', () => {
    for (const s of [eu, us]) {
      for (const m of manifestsOf(s)) expect({ kind: m.kind, issues: ManifestSchemas.issues(m) }).toEqual({ kind: m.kind, issues: [] });
    }
  });
});
