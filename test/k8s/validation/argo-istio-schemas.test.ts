// The hand-written Argo Rollouts (v1.8.4) and Istio (1.26.8) schemas must not load the old models.
jest.mock('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout', () => { throw new Error('the Rollout model was loaded'); });
jest.mock('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate', () => { throw new Error('the AnalysisTemplate model was loaded'); });
jest.mock('@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService', () => { throw new Error('the VirtualService model was loaded'); });

import {
  Analysis, CanaryRollout, CanaryStep, InferenceServer, ManifestSchemas, registerDeliverySchemas, TrafficSplit,
} from '../../../lib/k8s';
import { stack, vllmSpec } from '../fixtures';

registerDeliverySchemas();

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const PROM = 'http://prometheus.istio-system:9090';

/** Every optional field the constructs can emit, through their props. */
function everything() {
  const s = stack();
  const w = new InferenceServer(s, 'Server', { spec: vllmSpec(), namespace: 'llm' });
  const sr = Analysis.successRate({ prometheusAddress: PROM, minSuccessRate: 0.95, intervalSeconds: 30, count: 4, failureLimit: 0 });
  const q = Analysis.prometheus({ name: 'queue', prometheusAddress: PROM, query: 'sum(vllm:num_requests_waiting)', successCondition: 'result[0] < 10' });
  const canary = new CanaryRollout(s, 'Canary', {
    workload: w, name: 'gemma', replicas: 3, hosts: ['gemma.example.com'],
    steps: [CanaryStep.setWeight(5), CanaryStep.analysis(sr, q), CanaryStep.pause(), CanaryStep.pause(60), CanaryStep.setWeight(100)],
    headerRoutes: [{ name: 'beta', headers: { 'x-user-segment': { prefix: 'beta' } } }],
    timeoutSeconds: 900, retries: { attempts: 3, perTryTimeoutSeconds: 300, retryOn: ['5xx', '503'] },
  });
  const split = new TrafficSplit(s, 'Split', {
    name: 'ab', namespace: 'llm', hosts: ['gemma'], gateways: ['istio-system/public', 'mesh'],
    destinations: [{ host: 'gemma-v1', subset: 'v1', weight: 50 }, { host: 'gemma-v2', port: 8000, subset: 'v2', weight: 50 }],
    headerRoutes: [{ name: 're', headers: { 'x-model': { regex: '^v[0-9]+$' } }, destination: { host: 'gemma-v2' } }],
    retries: { attempts: 0 },
  });
  return [...canary.manifests, ...split.manifests] as any[];
}

const of = (kind: string) => everything().filter((m) => m.kind === kind);

describe('Argo Rollouts v1.8.4 and Istio 1.26.8 schemas', () => {
  test('every object the delivery constructs emit (all optional fields) passes, without loading the old models', () => {
    const all = everything();
    expect(all.map((m) => m.kind).sort()).toEqual(['AnalysisTemplate', 'AnalysisTemplate', 'Rollout', 'Service', 'Service', 'VirtualService', 'VirtualService']);
    for (const m of all) expect(ManifestSchemas.issues(m)).toEqual([]);
    const rollout = of('Rollout')[0];
    expect(rollout.spec.strategy.canary.steps).toContainEqual({ pause: {} });
    expect(rollout.spec.strategy.canary.steps).toContainEqual({ pause: { duration: '60s' } });
    expect(of('VirtualService')[1].spec.http[1].retries).toEqual({ attempts: 0 });
  });

  test('the sources cite the upstream CRD file and tag', () => {
    expect(ManifestSchemas.find('argoproj.io/v1alpha1', 'Rollout')!.source).toContain('argoproj/argo-rollouts v1.8.4 manifests/crds/rollout-crd.yaml');
    expect(ManifestSchemas.find('argoproj.io/v1alpha1', 'AnalysisTemplate')!.source).toContain('argoproj/argo-rollouts v1.8.4 manifests/crds/analysis-template-crd.yaml');
    expect(ManifestSchemas.find('networking.istio.io/v1beta1', 'VirtualService')!.source).toContain('istio/istio 1.26.8');
  });

  describe('Rollout', () => {
    const base = () => clone(of('Rollout')[0]);
    test.each([
      ['spec.strategy.canary.steps[1].analysis.templates[0]', (m: any) => { m.spec.strategy.canary.steps[1].analysis.templates[0].clusterScope = true; }, 'spec.strategy.canary.steps[1].analysis.templates[0].clusterScope'],
      ['spec.selector (matchExpressions is never emitted)', (m: any) => { m.spec.selector.matchExpressions = []; }, 'spec.selector.matchExpressions'],
      ['spec.workloadRef', (m: any) => { m.spec.workloadRef.namespace = 'x'; }, 'spec.workloadRef.namespace'],
      ['metadata', (m: any) => { m.metadata.uid = 'x'; }, 'metadata.uid'],
    ])('an unknown key in %s fails, naming its path', (_, corrupt, path) => {
      const m = base();
      corrupt(m);
      expect(ManifestSchemas.issues(m)).toContainEqual({ path, message: 'unknown field' });
    });

    test.each([
      ['spec.strategy.canary.steps[0].setWeight', '5'],
      ['spec.strategy.canary.steps[3].pause.duration', true],
      ['spec.revisionHistoryLimit', 1.5],
      ['spec.strategy.canary.trafficRouting.istio.virtualService.routes', 'primary'],
      ['spec.selector.matchLabels.app', 1],
    ])('a wrong type at %s fails, naming its path', (path, value) => {
      const m = base();
      const parts = path.match(/[^.[\]]+/g)!;
      parts.slice(0, -1).reduce((c: any, p) => c[p], m)[parts[parts.length - 1]] = value;
      expect(ManifestSchemas.issues(m).map((i) => i.path)).toContain(path);
    });

    test('an integer pause duration (int-or-string) passes', () => {
      const m = base();
      m.spec.strategy.canary.steps[3].pause.duration = 60;
      expect(ManifestSchemas.issues(m)).toEqual([]);
    });

    test('missing required fields fail, naming their path', () => {
      const m = base();
      delete m.spec;
      expect(ManifestSchemas.issues(m)).toEqual([{ path: 'spec', message: 'required field is missing' }]);
      const n = base();
      delete n.spec.strategy.canary.steps[1].analysis.args[0].name;
      expect(ManifestSchemas.issues(n)).toEqual([{ path: 'spec.strategy.canary.steps[1].analysis.args[0].name', message: 'required field is missing' }]);
    });

    test.each(['never', 'onsuccess', 'progressively'])('workloadRef.scaleDown %s passes', (mode) => {
      const m = base();
      m.spec.workloadRef.scaleDown = mode;
      expect(ManifestSchemas.issues(m)).toEqual([]);
    });
  });

  describe('AnalysisTemplate', () => {
    const base = () => clone(of('AnalysisTemplate')[0]);
    test('an unknown key fails, naming its path', () => {
      const m = base();
      m.spec.metrics[0].provider.prometheus.timeout = 30;
      m.spec.metrics[0].initialDelay = '1m';
      expect(ManifestSchemas.issues(m)).toEqual([
        { path: 'spec.metrics[0].initialDelay', message: 'unknown field' },
        { path: 'spec.metrics[0].provider.prometheus.timeout', message: 'unknown field' },
      ]);
    });

    test('count and failureLimit are int-or-string; other types fail, naming the path', () => {
      const m = base();
      m.spec.metrics[0].count = '4';
      expect(ManifestSchemas.issues(m)).toEqual([]);
      m.spec.metrics[0].failureLimit = false;
      m.spec.metrics[0].provider.prometheus.query = 1;
      const paths = ManifestSchemas.issues(m).map((i) => i.path);
      expect(paths).toContain('spec.metrics[0].failureLimit');
      expect(paths).toContain('spec.metrics[0].provider.prometheus.query');
    });

    test.each(['spec.metrics[0].name', 'spec.metrics[0].provider', 'spec.args[1].name'])('missing %s fails, naming its path', (path) => {
      const m = base();
      const parts = path.match(/[^.[\]]+/g)!;
      delete parts.slice(0, -1).reduce((c: any, p) => c[p], m)[parts[parts.length - 1]];
      expect(ManifestSchemas.issues(m)).toEqual([{ path, message: 'required field is missing' }]);
    });
  });

  describe('VirtualService', () => {
    const base = () => clone(of('VirtualService')[1]);
    test('unknown keys fail, naming their path', () => {
      const m = base();
      m.spec.exportTo = ['.'];
      m.spec.http[1].route[1].destination.port.name = 'http';
      m.spec.http[0].match[0].headers['x-model'].suffix = 'x';
      expect(ManifestSchemas.issues(m)).toEqual(expect.arrayContaining([
        { path: 'spec.exportTo', message: 'unknown field' },
        { path: 'spec.http[1].route[1].destination.port.name', message: 'unknown field' },
        { path: 'spec.http[0].match[0].headers.x-model.suffix', message: 'unknown field' },
      ]));
    });

    test.each([
      ['spec.http[1].route[1].destination.port.number', -1],
      ['spec.http[1].route[1].destination.port.number', 4294967296],
      ['spec.http[1].retries.attempts', '3'],
      ['spec.gateways', 'mesh'],
      ['spec.http[0].timeout', 300],
    ])('a wrong type or bound at %s (%p) fails, naming its path', (path, value) => {
      const m = base();
      const parts = path.match(/[^.[\]]+/g)!;
      parts.slice(0, -1).reduce((c: any, p) => c[p], m)[parts[parts.length - 1]] = value;
      expect(ManifestSchemas.issues(m).map((i) => i.path)).toContain(path);
    });

    test('a header match with two of exact/prefix/regex fails (the CRD\'s oneOf), naming its path', () => {
      const m = base();
      m.spec.http[0].match[0].headers['x-model'].exact = 'v2';
      expect(ManifestSchemas.issues(m).map((i) => i.path)).toContain('spec.http[0].match[0].headers.x-model');
    });

    test.each(['spec.http[0].route[0].destination', 'spec.http[1].route[1].destination.host', 'metadata.name'])('missing %s fails, naming its path', (path) => {
      const m = base();
      const parts = path.match(/[^.[\]]+/g)!;
      delete parts.slice(0, -1).reduce((c: any, p) => c[p], m)[parts[parts.length - 1]];
      expect(ManifestSchemas.issues(m)).toEqual([{ path, message: 'required field is missing' }]);
    });
  });
});
