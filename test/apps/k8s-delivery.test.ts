import { Testing } from 'cdktf';
import { addK8sDeliveryApp, K8S_DELIVERY_APP } from '../../apps/k8s-delivery';
import { ManifestSchemas, manifestsOf, TfTemplate } from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';

describe('k8s-delivery app', () => {
  const stack = addK8sDeliveryApp(Testing.app());
  const t = TfTemplate.fromStack(stack);
  const manifests = manifestsOf(stack);
  const kinds = manifests.map((m) => `${m.kind}/${m.metadata.name}`);

  test('one stack on an existing cluster: GKE data source + access token for kubernetes and helm', () => {
    expect(stack.node.id).toBe(K8S_DELIVERY_APP);
    expect(t.findDataSources('google_container_cluster')).toHaveLength(1);
    expect(Object.keys(t.toJSON().provider ?? {}).sort()).toEqual(['google', 'helm', 'kubernetes']);
    expect(t.findResources('google_container_cluster')).toHaveLength(0);
    expectSynthSnapshot(stack);
  });

  test('kubeconfig connection: provider from a kubeconfig path variable, no cluster data source', () => {
    const s = addK8sDeliveryApp(Testing.app(), { connection: 'kubeconfig' });
    const k = TfTemplate.fromStack(s);
    expect(k.findDataSources('google_container_cluster')).toHaveLength(0);
    expect(JSON.stringify(k.toJSON().provider!.kubernetes)).toContain('var.kubeconfig_path');
    expect(Object.keys(k.toJSON().variable ?? {})).toEqual(expect.arrayContaining(['kubeconfig_path', 'kube_context']));
  });

  test('one vLLM server behind a DCGM HPA, KEDA (queue size + Kafka), Argo canary, Istio split, KServe canary, Knative', () => {
    expect(kinds).toEqual(expect.arrayContaining([
      'HorizontalPodAutoscaler/gemma-v1', 'ScaledObject/gemma-v2', 'TriggerAuthentication/kafka-sasl', 'VirtualService/gemma',
      'Rollout/gemma-rollout', 'AnalysisTemplate/success-rate', 'AnalysisTemplate/latency-p99', 'InferenceService/gemma-kserve',
      'Deployment/gemma-v1', 'Deployment/gemma-v2', 'Deployment/gemma-canary',
    ]));
    const so = manifests.find((m) => m.kind === 'ScaledObject') as any;
    expect(so.spec.triggers.map((x: any) => x.type)).toEqual(['prometheus', 'kafka']);
    expect(so.spec.minReplicaCount).toBe(0);
    const vs = manifests.find((m) => m.kind === 'VirtualService' && m.metadata.name === 'gemma') as any;
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['model-v2', 'beta-users', 'primary']);
    const isvc = manifests.find((m) => m.kind === 'InferenceService') as any;
    expect(isvc.spec.predictor).toMatchObject({ minReplicas: 0, canaryTrafficPercent: 10 });
    const kn = manifests.find((m) => m.kind === 'Service' && m.metadata.name === 'gemma-knative') as any;
    expect(kn.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']).toBe('0');
  });

  test('every Kubernetes object is valid against its upstream schema, and applied after the namespace', () => {
    for (const m of manifests) expect({ kind: m.kind, name: m.metadata.name, issues: ManifestSchemas.issues(m) }).toEqual({ kind: m.kind, name: m.metadata.name, issues: [] });
    for (const r of t.findResources('kubernetes_manifest')) {
      const m = r.config.manifest as any;
      if (m.metadata.namespace !== 'llm' || ['Rollout', 'ScaledObject'].includes(m.kind)) continue;
      expect({ name: `${m.kind}/${m.metadata.name}`, deps: JSON.stringify(r.config.depends_on ?? []) })
        .toEqual({ name: `${m.kind}/${m.metadata.name}`, deps: expect.stringContaining('kubernetes_manifest.Namespace_') });
    }
  });

  test('no credential in the synthesized stack: Kafka SASL and the Hugging Face token come from Secrets', () => {
    const json = JSON.stringify(t.toJSON());
    expect(json).toContain('"secretTargetRef"');
    expect(json).not.toMatch(/password"\s*:\s*"[^$]/);
  });
});
