import { ManifestSchemas } from '../../../lib/k8s';

/** One valid manifest per hand-written schema of the multi-cluster inference gateway. */
function valid(): Record<string, any> {
  const meta = (name: string) => ({ name, namespace: 'default' });
  const importRef = { group: 'networking.gke.io', kind: 'GCPInferencePoolImport', name: 'pool' };
  return {
    InferencePool: {
      apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool',
      metadata: { ...meta('pool'), annotations: { 'networking.gke.io/export': 'True' } },
      spec: {
        targetPorts: [{ number: 8000 }], selector: { matchLabels: { app: 'vllm' } },
        endpointPickerRef: { name: 'pool-epp', port: { number: 9002 }, failureMode: 'FailClose' },
      },
    },
    InferenceObjective: {
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceObjective', metadata: meta('chat'),
      spec: { poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'pool' }, priority: 10 },
    },
    Gateway: {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta('gw'),
      spec: {
        gatewayClassName: 'gke-l7-cross-regional-internal-managed-mc',
        addresses: [{ type: 'networking.gke.io/ephemeral-ipv4-address/us-east4', value: 'us-east4' }],
        listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
      },
    },
    HTTPRoute: {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta('pool'),
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ ...importRef, port: 8000 }] }],
      },
    },
    HealthCheckPolicy: {
      apiVersion: 'networking.gke.io/v1', kind: 'HealthCheckPolicy', metadata: meta('pool'),
      spec: {
        targetRef: importRef,
        default: { timeoutSec: 2, checkIntervalSec: 2, config: { type: 'HTTP', httpHealthCheck: { requestPath: '/health', port: 8000 } } },
      },
    },
    GCPBackendPolicy: {
      apiVersion: 'networking.gke.io/v1', kind: 'GCPBackendPolicy', metadata: meta('pool'),
      spec: {
        targetRef: importRef,
        default: {
          timeoutSec: 300, trafficDuration: 'LONG', balancingMode: 'CUSTOM_METRICS',
          customMetrics: [{ name: 'gke.named_metrics.kv-cache', dryRun: false, maxUtilizationPercent: 60 }],
        },
      },
    },
    AutoscalingMetric: {
      apiVersion: 'autoscaling.gke.io/v1beta1', kind: 'AutoscalingMetric', metadata: meta('load'),
      spec: {
        selector: { matchLabels: { app: 'vllm' } },
        endpoints: [{ port: 8000, path: '/metrics', metrics: [{ name: 'vllm:kv_cache_usage_perc', exportName: 'kv-cache' }] }],
      },
    },
  };
}

/** Per kind: a field to set to a wrong type, and a required field to delete. */
const CASES: Array<[kind: string, wrongType: string[], required: string[]]> = [
  ['InferencePool', ['spec', 'targetPorts', '0', 'number'], ['spec', 'endpointPickerRef']],
  ['InferenceObjective', ['spec', 'priority'], ['spec', 'poolRef']],
  ['Gateway', ['spec', 'listeners', '0', 'port'], ['spec', 'gatewayClassName']],
  ['HTTPRoute', ['spec', 'rules', '0', 'backendRefs', '0', 'port'], ['spec', 'rules', '0', 'backendRefs', '0', 'name']],
  ['HealthCheckPolicy', ['spec', 'default', 'timeoutSec'], ['spec', 'targetRef']],
  ['GCPBackendPolicy', ['spec', 'default', 'customMetrics', '0', 'maxUtilizationPercent'], ['spec', 'targetRef', 'kind']],
  ['AutoscalingMetric', ['spec', 'endpoints', '0', 'port'], ['spec', 'endpoints', '0', 'metrics', '0', 'exportName']],
];

function parentOf(root: any, path: string[]): any {
  return path.slice(0, -1).reduce((o, k) => o[k], root);
}

function dotted(path: string[]): string {
  return path.reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}

describe.each(CASES)('strict %s schema', (kind, wrongType, required) => {
  test('a valid object passes, and its schema cites its source', () => {
    const m = valid()[kind];
    expect(ManifestSchemas.issues(m)).toEqual([]);
    expect(ManifestSchemas.find(m.apiVersion, kind)!.source).toMatch(/v1\.1\.0|v1\.4\.1|gke-gateway-api|GKE docs/);
  });

  test('an unknown key fails, naming its path', () => {
    const m = valid()[kind];
    parentOf(m, [...wrongType])[`bogus`] = 1;
    const path = dotted([...wrongType.slice(0, -1), 'bogus']);
    expect(ManifestSchemas.issues(m)).toContainEqual({ path, message: 'unknown field' });
  });

  test('a wrong type fails, naming its path', () => {
    const m = valid()[kind];
    parentOf(m, wrongType)[wrongType[wrongType.length - 1]] = 'not-a-number';
    expect(ManifestSchemas.issues(m).map((i) => i.path)).toContain(dotted(wrongType));
  });

  test('a missing required field fails, naming its path', () => {
    const m = valid()[kind];
    delete parentOf(m, required)[required[required.length - 1]];
    expect(ManifestSchemas.issues(m)).toContainEqual({ path: dotted(required), message: 'required field is missing' });
  });
});

describe('GKE-only GCPBackendPolicy fields', () => {
  test('maxUtilization (the translated guide\'s name) is rejected; maxUtilizationPercent is the documented one', () => {
    const m = valid().GCPBackendPolicy;
    m.spec.default.customMetrics[0] = { name: 'gke.named_metrics.kv-cache', maxUtilization: 60 };
    const paths = ManifestSchemas.issues(m).map((i) => i.path);
    expect(paths).toContain('spec.default.customMetrics[0].maxUtilization');
    expect(paths).toContain('spec.default.customMetrics[0].maxUtilizationPercent');
  });

  test('IN_FLIGHT with maxInFlightRequestsPerEndpoint passes; an unknown balancingMode fails', () => {
    const m = valid().GCPBackendPolicy;
    m.spec.default = { timeoutSec: 300, trafficDuration: 'LONG', balancingMode: 'IN_FLIGHT', maxInFlightRequestsPerEndpoint: 1000 };
    expect(ManifestSchemas.issues(m)).toEqual([]);
    m.spec.default.balancingMode = 'RATE';
    expect(ManifestSchemas.issues(m).map((i) => i.path)).toEqual(['spec.default.balancingMode']);
  });

  test('a custom metric must be a gke.named_metrics name', () => {
    const m = valid().GCPBackendPolicy;
    m.spec.default.customMetrics[0].name = 'vllm:kv_cache_usage_perc';
    expect(ManifestSchemas.issues(m).map((i) => i.path)).toEqual(['spec.default.customMetrics[0].name']);
  });

  test('AutoscalingMetric exports at most 10 metrics', () => {
    const m = valid().AutoscalingMetric;
    m.spec.endpoints[0].metrics = Array.from({ length: 11 }, (_, i) => ({ name: `g${i}`, exportName: `e${i}` }));
    expect(ManifestSchemas.issues(m).map((i) => i.path)).toEqual(['spec.endpoints[0].metrics']);
  });

  test('an unknown metadata key is rejected', () => {
    const m = valid().InferencePool;
    m.metadata.uid = 'x';
    expect(ManifestSchemas.issues(m)).toContainEqual({ path: 'metadata.uid', message: 'unknown field' });
  });
});

describe('closeSchema', () => {
  test('closes a property named like a JSON-schema keyword (GCPBackendPolicy spec.default)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { closeSchema } = require('../../../lib/k8s');
    const closed = closeSchema({ type: 'object', properties: { default: { type: 'object', properties: { a: { type: 'string', default: 'x' } } } } });
    expect(closed.properties.default.additionalProperties).toBe(false);
    expect(closed.properties.default.properties.a).toEqual({ type: 'string', default: 'x' });
  });
});
