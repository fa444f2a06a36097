import * as fc from 'fast-check';
import { ValidationError } from '../../lib';
import {
  AutoscalingMetric, Balancing, BalancingMode, CrossRegionalInferenceGateway, EndpointPickerFailureMode, FLEET_EXPORT_ANNOTATION,
  InferenceImportPolicies, InferenceObjective, InferencePool, LoadBalancingMetric, ManifestSchemas, manifestsOf, TfTemplate,
} from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidation, stack } from './fixtures';

function pool(s = stack(), props: Partial<ConstructorParameters<typeof InferencePool>[2]> = {}): InferencePool {
  return new InferencePool(s, 'Pool', { name: 'llama-pool', matchLabels: { app: 'llama' }, targetPort: 8000, exportToFleet: true, ...props });
}

const kv = () => Balancing.customMetric({ metric: LoadBalancingMetric.kvCacheUsage(), maxUtilizationPercent: 60 });

function policies(s = stack(), props: Partial<ConstructorParameters<typeof InferenceImportPolicies>[2]> = {}): InferenceImportPolicies {
  return new InferenceImportPolicies(s, 'Policies', { poolName: 'llama-pool', balancing: kv(), expectedP99Seconds: 60, healthCheckPort: 8000, ...props });
}

describe('Balancing', () => {
  test('custom metric: CUSTOM_METRICS on gke.named_metrics.kv-cache with maxUtilizationPercent (never maxUtilization)', () => {
    const f = kv().policyFields('P');
    expect(f).toEqual({ balancingMode: 'CUSTOM_METRICS', customMetrics: [{ name: 'gke.named_metrics.kv-cache', dryRun: false, maxUtilizationPercent: 60 }] });
    expect(JSON.stringify(f)).not.toContain('"maxUtilization"');
    expect(Balancing.customMetric({ metric: LoadBalancingMetric.kvCacheUsage() }).maxUtilizationPercent).toBe(60);
  });

  test('in flight: IN_FLIGHT with maxInFlightRequestsPerEndpoint, no custom metrics (exclusive by construction)', () => {
    const b = Balancing.inFlight({ maxPerEndpoint: 1000 });
    expect(b.mode).toBe(BalancingMode.IN_FLIGHT);
    expect(b.metric).toBeUndefined();
    expect(b.policyFields('P')).toEqual({ balancingMode: 'IN_FLIGHT', maxInFlightRequestsPerEndpoint: 1000 });
  });

  test('kvCacheUsage exports the current and the older vLLM gauge; legacy balances on the older one', () => {
    expect(LoadBalancingMetric.kvCacheUsage().exports).toEqual([
      { name: 'vllm:kv_cache_usage_perc', exportName: 'kv-cache' }, { name: 'vllm:gpu_cache_usage_perc', exportName: 'kv-cache-legacy' },
    ]);
    expect(LoadBalancingMetric.kvCacheUsage({ legacy: true }).loadBalancerName).toBe('gke.named_metrics.kv-cache-legacy');
    expect(LoadBalancingMetric.custom('vllm:num_requests_running', 'running').loadBalancerName).toBe('gke.named_metrics.running');
  });

  test.each([
    [Balancing.customMetric({ metric: LoadBalancingMetric.kvCacheUsage(), maxUtilizationPercent: 0 }), 'UTILIZATION_OUT_OF_RANGE', 'balancing.maxUtilizationPercent = 0'],
    [Balancing.customMetric({ metric: LoadBalancingMetric.kvCacheUsage(), maxUtilizationPercent: 101 }), 'UTILIZATION_OUT_OF_RANGE', '= 101'],
    [Balancing.inFlight({ maxPerEndpoint: 0 }), 'IN_FLIGHT_OUT_OF_RANGE', 'balancing.maxPerEndpoint = 0'],
  ])('rejects out-of-range numbers (%#)', (b, code, part) => {
    expectValidation(() => b.policyFields('Stack/Gw'), code, 'Stack/Gw', part);
  });

  test('accepts the edges', () => {
    expect(() => Balancing.customMetric({ metric: LoadBalancingMetric.kvCacheUsage(), maxUtilizationPercent: 100 }).policyFields('P')).not.toThrow();
    expect(() => Balancing.inFlight({ maxPerEndpoint: 1 }).policyFields('P')).not.toThrow();
  });
});

describe('InferencePool', () => {
  test('the pool with the export annotation, and the endpoint picker objects of the inferencepool chart v1.1.0', () => {
    const s = stack();
    const p = pool(s);
    const kinds = p.manifests.map((m) => m.kind);
    expect(kinds).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'Deployment', 'Service', 'InferencePool']);
    const t = TfTemplate.fromStack(s);
    t.hasResourceProperties('kubernetes_manifest', {
      manifest: {
        kind: 'InferencePool', metadata: { name: 'llama-pool', annotations: { [FLEET_EXPORT_ANNOTATION]: 'True' } },
        spec: { targetPorts: [{ number: 8000 }], selector: { matchLabels: { app: 'llama' } }, endpointPickerRef: { name: 'llama-pool-epp', port: { number: 9002 }, failureMode: 'FailClose' } },
      },
    });
    t.hasResourceProperties('kubernetes_manifest', { manifest: { kind: 'Deployment', metadata: { name: 'llama-pool-epp' } } });
    for (const m of p.manifests) expect(ManifestSchemas.issues(m)).toEqual([]);
    expectSynthSnapshot(s);
  });

  test('not exported: no annotation; failure mode is exposed', () => {
    const p = pool(stack(), { exportToFleet: false, failureMode: EndpointPickerFailureMode.FAIL_OPEN });
    expect(p.exported).toBe(false);
    expect(p.pool.manifest.metadata.annotations).toBeUndefined();
    expect((p.pool.manifest.spec as any).endpointPickerRef.failureMode).toBe('FailOpen');
  });

  test.each([
    [{ name: 'x'.repeat(41) }, 'NAME_INVALID', 'name = "xxxx'],
    [{ name: 'Bad' }, 'NAME_INVALID', 'name = "Bad"'],
    [{ targetPort: 0 }, 'PORT_OUT_OF_RANGE', 'targetPort = 0'],
    [{ matchLabels: {} }, 'SELECTOR_OUT_OF_RANGE', 'matchLabels = 0'],
  ])('rejects %o', (props, code, part) => {
    expectValidation(() => pool(stack(), props as never), code, 'K8s/Pool', part);
  });
});

describe('InferenceObjective and AutoscalingMetric', () => {
  test('objective with priority references the pool', () => {
    const s = stack();
    const o = new InferenceObjective(s, 'Chat', { name: 'chat', pool: pool(s), priority: 10 });
    expect(o.manifests[0]).toEqual({
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceObjective', metadata: { name: 'chat', namespace: 'default' },
      spec: { poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama-pool' }, priority: 10 },
    });
    expectValidation(() => new InferenceObjective(s, 'Bad', { name: 'b', pool: o as never as InferencePool, priority: 1.5 }), 'PRIORITY_OUT_OF_RANGE', 'K8s/Bad', 'priority = 1.5');
  });

  test('AutoscalingMetric exports both KV-cache names', () => {
    const s = stack();
    new AutoscalingMetric(s, 'Load', { name: 'load', matchLabels: { app: 'llama' }, port: 8000, metrics: LoadBalancingMetric.kvCacheUsage().exports });
    TfTemplate.fromStack(s).hasResourceProperties('kubernetes_manifest', {
      manifest: {
        apiVersion: 'autoscaling.gke.io/v1beta1', kind: 'AutoscalingMetric',
        spec: {
          selector: { matchLabels: { app: 'llama' } },
          endpoints: [{ port: 8000, path: '/metrics', metrics: [
            { name: 'vllm:kv_cache_usage_perc', exportName: 'kv-cache' }, { name: 'vllm:gpu_cache_usage_perc', exportName: 'kv-cache-legacy' },
          ] }],
        },
      },
    });
  });

  test.each([
    [{ metrics: [] }, 'METRIC_COUNT_OUT_OF_RANGE', 'metrics.length = 0'],
    [{ metrics: Array.from({ length: 11 }, (_, i) => ({ name: `g${i}`, exportName: `e${i}` })) }, 'METRIC_COUNT_OUT_OF_RANGE', '= 11'],
    [{ metrics: [{ name: 'a', exportName: 'X' }] }, 'METRIC_NAME_INVALID', 'metrics.exportName = "X"'],
    [{ metrics: [{ name: 'a', exportName: 'x' }, { name: 'b', exportName: 'x' }] }, 'METRIC_NAME_INVALID', 'unique export names'],
    [{ metrics: [{ name: 'bad name', exportName: 'x' }] }, 'METRIC_NAME_INVALID', 'metrics.name = "bad name"'],
  ])('AutoscalingMetric rejects %#', (props, code, part) => {
    expectValidation(() => new AutoscalingMetric(stack(), 'Load', { matchLabels: { app: 'a' }, port: 8000, ...props }), code, 'K8s/Load', part);
  });
});

describe('CrossRegionalInferenceGateway and InferenceImportPolicies', () => {
  test('Gateway with one ephemeral address per region, HTTPRoute to the GCPInferencePoolImport', () => {
    const s = stack();
    const g = new CrossRegionalInferenceGateway(s, 'Gw', { regions: ['europe-west3', 'us-east4'], poolName: 'llama-pool', poolPort: 8000 });
    expect(g.manifests[0].spec).toEqual({
      gatewayClassName: 'gke-l7-cross-regional-internal-managed-mc',
      addresses: [
        { type: 'networking.gke.io/ephemeral-ipv4-address/europe-west3', value: 'europe-west3' },
        { type: 'networking.gke.io/ephemeral-ipv4-address/us-east4', value: 'us-east4' },
      ],
      listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
    });
    expect((g.manifests[1].spec as any).rules[0].backendRefs).toEqual([
      { group: 'networking.gke.io', kind: 'GCPInferencePoolImport', name: 'llama-pool', port: 8000 },
    ]);
    policies(s);
    for (const m of manifestsOf(s)) expect(ManifestSchemas.issues(m)).toEqual([]);
    expectSynthSnapshot(s);
  });

  test('policies target the import: HTTP health check, LONG traffic, timeout 2 x p99', () => {
    const p = policies();
    const [hc, bp] = p.manifests as any[];
    expect(hc.spec.targetRef).toEqual({ group: 'networking.gke.io', kind: 'GCPInferencePoolImport', name: 'llama-pool' });
    expect(hc.spec.default.config).toEqual({ type: 'HTTP', httpHealthCheck: { requestPath: '/health', port: 8000 } });
    expect(bp.spec.default).toEqual({
      timeoutSec: 120, trafficDuration: 'LONG', balancingMode: 'CUSTOM_METRICS',
      customMetrics: [{ name: 'gke.named_metrics.kv-cache', dryRun: false, maxUtilizationPercent: 60 }],
    });
    expect(policies(stack(), { expectedP99Seconds: 2.4 }).timeoutSec).toBe(5);
    expect(policies(stack(), { timeoutSec: 3600 }).timeoutSec).toBe(3600);
  });

  test.each([
    [{ timeoutSec: 119 }, 'TIMEOUT_OUT_OF_RANGE', 'timeoutSec = 119', 'at least 2 x expectedP99Seconds'],
    [{ timeoutSec: 3601 }, 'TIMEOUT_OUT_OF_RANGE', 'timeoutSec = 3601', 'at most 3600'],
    [{ expectedP99Seconds: 1801 }, 'LATENCY_OUT_OF_RANGE', 'expectedP99Seconds = 1801', 'a number from 0.001 to 1800'],
    [{ expectedP99Seconds: 0 }, 'LATENCY_OUT_OF_RANGE', 'expectedP99Seconds = 0', 'a number'],
    [{ healthCheckPort: 70000 }, 'PORT_OUT_OF_RANGE', 'healthCheckPort = 70000', '1 to 65535'],
  ] as Array<[Record<string, number>, string, string, string]>)('policies reject %o', (props, code, a, b) => {
    expectValidation(() => policies(stack(), props), code, 'K8s/Policies', a, b);
  });

  test.each([
    [{ regions: ['us-east4', 'us-east4'] }, 'REGION_DUPLICATE'],
    [{ regions: [] }, 'REGION_COUNT_OUT_OF_RANGE'],
    [{ regions: ['US'] }, 'REGION_INVALID'],
    [{ name: 'Bad' }, 'NAME_INVALID'],
  ])('gateway rejects %o', (props, code) => {
    expectValidation(() => new CrossRegionalInferenceGateway(stack(), 'Gw', { regions: ['us-east4'], poolName: 'p', poolPort: 8000, ...props }), code, 'K8s/Gw');
  });

  test('property: random policy and balancing numbers only ever throw ValidationError', () => {
    fc.assert(fc.property(
      fc.oneof(fc.double({ min: -10, max: 4000, noNaN: true }), fc.integer({ min: -5, max: 4000 })),
      fc.option(fc.integer({ min: -5, max: 8000 }), { nil: undefined }),
      fc.integer({ min: -5, max: 120 }), fc.integer({ min: -5, max: 2_000_000 }), fc.boolean(),
      (p99, timeout, util, inflight, custom) => {
        const balancing = custom
          ? Balancing.customMetric({ metric: LoadBalancingMetric.kvCacheUsage(), maxUtilizationPercent: util })
          : Balancing.inFlight({ maxPerEndpoint: inflight });
        try {
          const p = policies(stack(), { expectedP99Seconds: p99, timeoutSec: timeout, balancing });
          expect(p.timeoutSec).toBeGreaterThanOrEqual(2 * p99);
          expect(p.timeoutSec).toBeLessThanOrEqual(3600);
        } catch (e) {
          if (!ValidationError.isValidationError(e)) throw e;
        }
      }), { numRuns: 60, seed: 1010 });
  });

  test('property: random pools, objectives and gateways only ever throw ValidationError, and what they emit is valid', () => {
    fc.assert(fc.property(
      fc.constantFrom('llama-pool', 'a', 'Bad', 'x'.repeat(41), '-p'), fc.integer({ min: -1, max: 70000 }),
      fc.dictionary(fc.constantFrom('app', 'tier', 'x'), fc.constantFrom('a', 'b-1'), { maxKeys: 3 }),
      fc.array(fc.constantFrom('us-east4', 'europe-west3', 'bad', 'asia-east1'), { maxLength: 4 }),
      fc.option(fc.integer({ min: -2000, max: 2000 }), { nil: undefined }),
      (name, port, labels, regions, priority) => {
        try {
          const s = stack();
          const p = new InferencePool(s, 'Pool', { name, matchLabels: labels, targetPort: port, exportToFleet: true });
          new InferenceObjective(s, 'Objective', { name: 'chat', pool: p, priority });
          new CrossRegionalInferenceGateway(s, 'Gw', { regions, poolName: name, poolPort: port });
          for (const m of manifestsOf(s)) expect(ManifestSchemas.issues(m)).toEqual([]);
        } catch (e) {
          if (!ValidationError.isValidationError(e)) throw e;
        }
      }), { numRuns: 60, seed: 77 });
  });
});
