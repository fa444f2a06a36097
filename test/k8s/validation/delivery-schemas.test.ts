import { ManifestSchemas, registerDeliverySchemas } from '../../../lib/k8s';

registerDeliverySchemas();

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** One valid object per delivery kind, and a path of each to corrupt. */
const CASES: Array<{ kind: string; valid: any; unknownAt: string; wrongType: [string, unknown]; required: string }> = [
  {
    kind: 'ScaledObject',
    valid: {
      apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'so', namespace: 'llm' },
      spec: {
        scaleTargetRef: { name: 'vllm' }, minReplicaCount: 0, maxReplicaCount: 3, pollingInterval: 30, cooldownPeriod: 300,
        fallback: { failureThreshold: 3, replicas: 1 },
        triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://p:9090', query: 'q', threshold: '5' }, authenticationRef: { name: 'a' } }],
      },
    },
    unknownAt: 'spec.triggers[0]', wrongType: ['spec.minReplicaCount', 'zero'], required: 'spec.scaleTargetRef',
  },
  {
    kind: 'TriggerAuthentication',
    valid: { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'a' }, spec: { secretTargetRef: [{ parameter: 'sasl', name: 's', key: 'k' }] } },
    unknownAt: 'spec.secretTargetRef[0]', wrongType: ['spec.secretTargetRef[0].key', 5], required: 'spec.secretTargetRef[0].parameter',
  },
  {
    kind: 'Rollout',
    valid: {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' },
      spec: {
        replicas: 1, selector: { matchLabels: { app: 'v' } }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'v', scaleDown: 'progressively' },
        strategy: { canary: { stableService: 's', canaryService: 'c', trafficRouting: { istio: { virtualService: { name: 'vs', routes: ['primary'] } } }, steps: [{ setWeight: 10 }, { pause: { duration: '60s' } }] } },
      },
    },
    unknownAt: 'spec.strategy.canary.steps[0]', wrongType: ['spec.replicas', 'one'], required: 'spec.strategy.canary.trafficRouting.istio.virtualService.name',
  },
  {
    kind: 'AnalysisTemplate',
    valid: {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 't' },
      spec: { args: [{ name: 'service-name' }], metrics: [{ name: 'm', interval: '60s', count: 5, failureLimit: 1, successCondition: 'result[0] >= 0.99', provider: { prometheus: { address: 'http://p', query: 'q' } } }] },
    },
    unknownAt: 'spec.metrics[0].provider.prometheus', wrongType: ['spec.metrics[0].name', 7], required: 'spec.metrics',
  },
  {
    kind: 'VirtualService',
    valid: {
      apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'vs' },
      spec: { hosts: ['h'], http: [{ name: 'ab', match: [{ headers: { 'x-model-version': { exact: 'v2' } } }], route: [{ destination: { host: 'h', port: { number: 8000 } }, weight: 100 }], timeout: '300s', retries: { attempts: 2, retryOn: '5xx' } }] },
    },
    unknownAt: 'spec.http[0]', wrongType: ['spec.http[0].route[0].weight', 'all'], required: 'spec.http[0].route[0].destination',
  },
  {
    kind: 'Service (Knative)',
    valid: {
      apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'kn' },
      spec: { template: { metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '0' } }, spec: { containerConcurrency: 4, nodeSelector: { a: 'b' }, containers: [{ image: 'i', ports: [{ containerPort: 8000 }] }] } } },
    },
    unknownAt: 'spec.template.spec.containers[0]', wrongType: ['spec.template.spec.containerConcurrency', 'four'], required: 'spec.template.spec.containers[0].ports[0].containerPort',
  },
  {
    kind: 'InferenceService',
    valid: {
      apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'is', annotations: { 'serving.kserve.io/deploymentMode': 'Serverless' } },
      spec: { predictor: { minReplicas: 0, maxReplicas: 2, canaryTrafficPercent: 10, scaleMetric: 'concurrency', model: { modelFormat: { name: 'huggingface' }, storageUri: 'hf://x/y', resources: { limits: { 'nvidia.com/gpu': '1' } } } } },
    },
    unknownAt: 'spec.predictor.model', wrongType: ['spec.predictor.minReplicas', 'none'], required: 'spec.predictor.model.modelFormat.name',
  },
];

function set(obj: any, path: string, value: unknown): void {
  const parts = path.match(/[^.[\]]+/g)!;
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = cur[p];
  if (value === undefined) delete cur[parts[parts.length - 1]];
  else cur[parts[parts.length - 1]] = value;
}

function get(obj: any, path: string): any {
  return path.match(/[^.[\]]+/g)!.reduce((c, p) => c[p], obj);
}

describe.each(CASES)('$kind schema (strict)', ({ valid, unknownAt, wrongType, required }) => {
  test('a valid object passes', () => {
    expect(ManifestSchemas.issues(valid)).toEqual([]);
  });

  test('an unknown key fails, naming its path', () => {
    const m = clone(valid);
    get(m, unknownAt).bogusField = 1;
    expect(ManifestSchemas.issues(m)).toContainEqual({ path: `${unknownAt}.bogusField`, message: 'unknown field' });
  });

  test('a wrong type fails, naming its path', () => {
    const m = clone(valid);
    set(m, wrongType[0], wrongType[1]);
    expect(ManifestSchemas.issues(m).map((i) => i.path)).toContain(wrongType[0]);
  });

  test('a missing required field fails, naming its path', () => {
    const m = clone(valid);
    set(m, required, undefined);
    expect(ManifestSchemas.issues(m)).toContainEqual({ path: required, message: 'required field is missing' });
  });
});

test('Rollout: workloadRef.scaleDown (Argo Rollouts 1.8, absent from the 1.5 model) is checked against its enum', () => {
  const m = clone(CASES[2].valid);
  m.spec.workloadRef.scaleDown = 'sometimes';
  expect(ManifestSchemas.issues(m)).toEqual([{ path: 'spec.workloadRef.scaleDown', message: 'must be one of never, onsuccess, progressively' }]);
});

test('KServe InferenceService: the CRD\'s scaleMetric enum', () => {
  const m = clone(CASES[6].valid);
  m.spec.predictor.scaleMetric = 'gpu';
  expect(ManifestSchemas.issues(m).map((i) => i.path)).toContain('spec.predictor.scaleMetric');
});

test('every delivery schema names its source', () => {
  expect(ManifestSchemas.find('keda.sh/v1alpha1', 'ScaledObject')!.source).toContain('@kubernetes-models/keda@0.4.2');
  expect(ManifestSchemas.find('argoproj.io/v1alpha1', 'Rollout')!.source).toMatch(/^argoproj\/argo-rollouts v1\.8\.4 manifests\/crds\/rollout-crd\.yaml/);
  expect(ManifestSchemas.find('argoproj.io/v1alpha1', 'AnalysisTemplate')!.source).toMatch(/^argoproj\/argo-rollouts v1\.8\.4 manifests\/crds\/analysis-template-crd\.yaml/);
  expect(ManifestSchemas.find('networking.istio.io/v1beta1', 'VirtualService')!.source).toMatch(/^istio\/istio 1\.26\.8 /);
  expect(ManifestSchemas.find('serving.knative.dev/v1', 'Service')!.source).toContain('@kubernetes-models/knative@2.4.4');
  expect(ManifestSchemas.find('serving.kserve.io/v1beta1', 'InferenceService')!.source).toContain('kserve/kserve v0.15.2');
});
