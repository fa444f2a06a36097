import { Analysis, CanaryRollout, CanaryStep, InferenceServer, ManifestSchemas, TfTemplate } from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidation, stack, vllmSpec } from './fixtures';

const PROM = 'http://prometheus.istio-system:9090';

function server(s = stack()) {
  return { s, server: new InferenceServer(s, 'Server', { spec: vllmSpec(), namespace: 'llm' }) };
}

describe('Analysis', () => {
  test('successRate and latencyP99 query Istio\'s metrics of the canary Service (args), NaN passes', () => {
    const sr = Analysis.successRate({ prometheusAddress: PROM });
    expect(sr.metric).toMatchObject({ name: 'success-rate', interval: '60s', count: 5, failureLimit: 1, successCondition: 'isNaN(result[0]) || result[0] >= 0.99' });
    expect(sr.metric.provider.prometheus.query).toContain('response_code!~"5.*"');
    expect(sr.metric.provider.prometheus.query).toContain('destination_service_name="{{args.service-name}}"');
    const p99 = Analysis.latencyP99({ prometheusAddress: PROM, maxMilliseconds: 20_000, intervalSeconds: 30, count: 10, failureLimit: 2 });
    expect(p99.metric).toMatchObject({ name: 'latency-p99', interval: '30s', count: 10, failureLimit: 2, successCondition: 'isNaN(result[0]) || result[0] <= 20000' });
    expect(p99.metric.provider.prometheus.query).toMatch(/^histogram_quantile\(0\.99, /);
    const t = Analysis.prometheus({ name: 'queue', prometheusAddress: PROM, query: 'sum(vllm:num_requests_waiting)', successCondition: 'result[0] < 10' }).template('llm');
    expect(ManifestSchemas.issues(t)).toEqual([]);
  });

  test.each([
    [() => Analysis.successRate({ prometheusAddress: PROM, minSuccessRate: 0 }), 'ANALYSIS_THRESHOLD_OUT_OF_RANGE', 'minSuccessRate = 0'],
    [() => Analysis.successRate({ prometheusAddress: PROM, minSuccessRate: 1.5 }), 'ANALYSIS_THRESHOLD_OUT_OF_RANGE', 'minSuccessRate = 1.5'],
    [() => Analysis.latencyP99({ prometheusAddress: PROM, maxMilliseconds: 0 }), 'ANALYSIS_THRESHOLD_OUT_OF_RANGE', 'maxMilliseconds = 0'],
    [() => Analysis.successRate({ prometheusAddress: PROM, count: 3, failureLimit: 3 }), 'ANALYSIS_THRESHOLD_OUT_OF_RANGE', 'failureLimit = 3'],
    [() => Analysis.successRate({ prometheusAddress: PROM, intervalSeconds: 5 }), 'ANALYSIS_INVALID', 'intervalSeconds = 5'],
    [() => Analysis.successRate({ prometheusAddress: PROM, count: 0 }), 'ANALYSIS_INVALID', 'count = 0'],
    [() => Analysis.successRate({ prometheusAddress: 'prometheus:9090' }), 'ANALYSIS_INVALID', 'prometheusAddress'],
    [() => Analysis.successRate({ prometheusAddress: PROM, name: 'Success' }), 'NAME_INVALID', 'name = "Success"'],
    [() => Analysis.prometheus({ name: 'q', prometheusAddress: PROM, query: '', successCondition: 'true' }), 'ANALYSIS_INVALID', 'query'],
    [() => CanaryStep.setWeight(101), 'CANARY_STEPS_INVALID', 'percent = 101'],
    [() => CanaryStep.pause(0), 'CANARY_STEPS_INVALID', 'seconds = 0'],
    [() => CanaryStep.analysis(), 'CANARY_STEPS_INVALID', 'at least one analysis'],
  ])('validation %#', (fn, code, part) => {
    expectValidation(fn, code, part, 'allowed');
  });
});

describe('CanaryRollout', () => {
  test('Rollout over the server\'s Deployment (workloadRef), stable/canary Services, Istio route Argo drives, AnalysisTemplates', () => {
    const { s, server: w } = server();
    const canary = new CanaryRollout(s, 'Canary', {
      workload: w,
      analyses: [Analysis.successRate({ prometheusAddress: PROM }), Analysis.latencyP99({ prometheusAddress: PROM, maxMilliseconds: 30_000 })],
      headerRoutes: [{ name: 'canary-testers', headers: { 'x-model-version': { exact: 'canary' } } }],
    });
    const kinds = canary.manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(kinds).toEqual(['Service/gemma-vllm-rollout-stable', 'Service/gemma-vllm-rollout-canary', 'VirtualService/gemma-vllm-rollout',
      'AnalysisTemplate/success-rate', 'AnalysisTemplate/latency-p99', 'Rollout/gemma-vllm-rollout']);
    for (const m of canary.manifests) expect(ManifestSchemas.issues(m)).toEqual([]);
    const rollout = canary.manifests[5] as any;
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gemma-vllm', scaleDown: 'progressively' });
    expect(rollout.spec.strategy.canary).toMatchObject({
      stableService: 'gemma-vllm-rollout-stable', canaryService: 'gemma-vllm-rollout-canary',
      trafficRouting: { istio: { virtualService: { name: 'gemma-vllm-rollout', routes: ['primary'] } } },
      steps: [
        { setWeight: 10 },
        { analysis: { templates: [{ templateName: 'success-rate' }, { templateName: 'latency-p99' }], args: [{ name: 'service-name', value: 'gemma-vllm-rollout-canary' }, { name: 'namespace', value: 'llm' }] } },
        { pause: { duration: '300s' } }, { setWeight: 50 }, { pause: { duration: '300s' } }, { setWeight: 100 },
      ],
    });
    const vs = canary.manifests[2] as any;
    expect(vs.spec.hosts).toEqual(['gemma-vllm.llm.svc.cluster.local']);
    expect(vs.spec.http[1].route.map((r: any) => [r.destination.host, r.weight])).toEqual([['gemma-vllm-rollout-stable', 100], ['gemma-vllm-rollout-canary', 0]]);
    const t = TfTemplate.fromStack(s);
    const vsResource = t.findResources('kubernetes_manifest').find((r) => (r.config.manifest as any).kind === 'VirtualService')!;
    expect(vsResource.config.computed_fields).toEqual(['metadata.labels', 'metadata.annotations', 'spec.http[1].route']);
    expectSynthSnapshot(s);
  });

  test('custom steps with an indefinite pause', () => {
    const { s, server: w } = server();
    const c = new CanaryRollout(s, 'Canary', { workload: w, name: 'gemma', replicas: 2, steps: [CanaryStep.setWeight(20), CanaryStep.pause(), CanaryStep.setWeight(100)] });
    expect((c.manifests.find((m) => m.kind === 'Rollout') as any).spec).toMatchObject({ replicas: 2, strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 100 }] } } });
    expect(c.analysisTemplates).toEqual([]);
  });

  test.each([
    [[CanaryStep.setWeight(50), CanaryStep.setWeight(20), CanaryStep.setWeight(100)], 'strictly increasing weights'],
    [[CanaryStep.setWeight(50), CanaryStep.setWeight(50), CanaryStep.setWeight(100)], '50 follows 50'],
    [[CanaryStep.setWeight(10), CanaryStep.setWeight(50)], 'weights ending at 100'],
    [[CanaryStep.pause(60)], 'at least one setWeight step'],
    [[], 'at least one step'],
  ])('steps validation %#', (steps, part) => {
    const { s, server: w } = server();
    expectValidation(() => new CanaryRollout(s, 'Canary', { workload: w, steps }), 'CANARY_STEPS_INVALID', part, 'K8s/Canary');
  });

  test('other validations: replicas, name, conflicting analysis definitions', () => {
    expectValidation(() => new CanaryRollout(server().s, 'C', { workload: server().server, replicas: 0 }), 'REPLICAS_OUT_OF_RANGE', 'replicas = 0');
    const a = server();
    expectValidation(() => new CanaryRollout(a.s, 'C', { workload: a.server, name: 'x'.repeat(49) }), 'NAME_INVALID', 'at most 48');
    const b = server();
    expectValidation(() => new CanaryRollout(b.s, 'C', {
      workload: b.server,
      steps: [CanaryStep.setWeight(10), CanaryStep.analysis(Analysis.successRate({ prometheusAddress: PROM })),
        CanaryStep.analysis(Analysis.successRate({ prometheusAddress: PROM, minSuccessRate: 0.9 })), CanaryStep.setWeight(100)],
    }), 'ANALYSIS_INVALID', 'one definition per analysis name');
  });
});
