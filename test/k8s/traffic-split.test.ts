import { ManifestSchemas, TfTemplate, TrafficSplit, TrafficSplitProps } from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidation, stack } from './fixtures';

const BASE: TrafficSplitProps = {
  name: 'gemma-ab', namespace: 'llm', hosts: ['gemma.llm.svc.cluster.local'],
  destinations: [{ host: 'gemma-v1', port: 8000, weight: 90 }, { host: 'gemma-v2', port: 8000, weight: 10 }],
};

describe('TrafficSplit', () => {
  test('90/10 split, header routes for A/B (x-model-version, x-user-segment), timeout and retries', () => {
    const s = stack();
    const split = new TrafficSplit(s, 'Split', {
      ...BASE,
      headerRoutes: [
        { name: 'model-v2', headers: { 'x-model-version': { exact: 'v2' } }, destination: { host: 'gemma-v2', port: 8000 } },
        { name: 'beta-users', headers: { 'x-user-segment': { prefix: 'beta' } }, destination: { host: 'gemma-v2', port: 8000 } },
      ],
      timeoutSeconds: 600, retries: { attempts: 3, perTryTimeoutSeconds: 200, retryOn: ['connect-failure', '503'] },
    });
    const m = split.manifests[0] as any;
    const common = { timeout: '600s', retries: { attempts: 3, perTryTimeout: '200s', retryOn: 'connect-failure,503' } };
    expect(m.spec.http).toEqual([
      { name: 'model-v2', match: [{ headers: { 'x-model-version': { exact: 'v2' } } }], route: [{ destination: { host: 'gemma-v2', port: { number: 8000 } }, weight: 100 }], ...common },
      { name: 'beta-users', match: [{ headers: { 'x-user-segment': { prefix: 'beta' } } }], route: [{ destination: { host: 'gemma-v2', port: { number: 8000 } }, weight: 100 }], ...common },
      {
        name: 'primary', ...common,
        route: [{ destination: { host: 'gemma-v1', port: { number: 8000 } }, weight: 90 }, { destination: { host: 'gemma-v2', port: { number: 8000 } }, weight: 10 }],
      },
    ]);
    expect(split.routeIndex).toBe(2);
    expect(m.apiVersion).toBe('networking.istio.io/v1beta1');
    expect(ManifestSchemas.issues(m)).toEqual([]);
    TfTemplate.fromStack(s).hasResourceProperties('kubernetes_manifest', { manifest: { kind: 'VirtualService', spec: { hosts: ['gemma.llm.svc.cluster.local'] } } });
    expectSynthSnapshot(s);
  });

  test('defaults: 300 s timeout, 2 attempts on connection failures, mesh only', () => {
    const m = new TrafficSplit(stack(), 'Split', BASE).manifests[0] as any;
    expect(m.spec.gateways).toBeUndefined();
    expect(m.spec.http[0]).toMatchObject({ timeout: '300s', retries: { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,503' } });
  });

  test.each([
    [{ destinations: [{ host: 'a', weight: 50 }, { host: 'b', weight: 40 }] }, 'WEIGHTS_INVALID', 'they sum to 90'],
    [{ destinations: [{ host: 'a', weight: 100 }, { host: 'b', weight: 0 }] }, null, null],
    [{ destinations: [{ host: 'a', weight: 101 }] }, 'WEIGHTS_INVALID', 'destinations[0].weight = 101'],
    [{ destinations: [{ host: 'a', weight: 50.5 }, { host: 'b', weight: 49.5 }] }, 'WEIGHTS_INVALID', 'an integer from 0 to 100'],
    [{ destinations: [] }, 'WEIGHTS_INVALID', 'at least one destination'],
    [{ hosts: [] }, 'HOSTS_MISSING', 'hosts'],
    [{ hosts: ['Bad Host'] }, 'HOST_INVALID', 'hosts[0] = "Bad Host"'],
    [{ gateways: ['istio-system/gw', 'mesh'] }, null, null],
    [{ gateways: ['a/b/c'] }, 'GATEWAY_INVALID', 'gateways[0]'],
    [{ headerRoutes: [{ name: 'ab', headers: { 'X-Model-Version': { exact: 'v2' } }, destination: { host: 'b' } }] }, 'HEADER_MATCH_INVALID', 'a lowercase header name'],
    [{ headerRoutes: [{ name: 'ab', headers: { 'x-model-version': { exact: 'v2', prefix: 'v' } }, destination: { host: 'b' } }] }, 'HEADER_MATCH_INVALID', 'exactly one of exact, prefix, regex'],
    [{ headerRoutes: [{ name: 'ab', headers: { 'x-model-version': {} }, destination: { host: 'b' } }] }, 'HEADER_MATCH_INVALID', 'exactly one of'],
    [{ headerRoutes: [{ name: 'ab', headers: { 'x-model-version': { regex: '' } }, destination: { host: 'b' } }] }, 'HEADER_MATCH_INVALID', 'a non-empty string'],
    [{ headerRoutes: [{ name: 'ab', headers: {}, destination: { host: 'b' } }] }, 'HEADER_MATCH_INVALID', 'at least one header'],
    [{ headerRoutes: [{ name: 'primary', headers: { 'x-a': { exact: '1' } }, destination: { host: 'b' } }] }, 'ROUTE_INVALID', 'unique route names'],
    [{ headerRoutes: [{ name: 'ab', headers: { 'x-a': { exact: '1' } }, destination: { host: 'b', port: 70000 } }] }, 'PORT_OUT_OF_RANGE', 'headerRoutes[0].destination.port = 70000'],
    [{ timeoutSeconds: 0 }, 'TIMEOUT_OUT_OF_RANGE', 'timeoutSeconds = 0'],
    [{ retries: { attempts: 11 } }, 'RETRIES_INVALID', 'retries.attempts = 11'],
    [{ retries: { attempts: 0 } }, null, null],
    [{ timeoutSeconds: 60, retries: { attempts: 2, perTryTimeoutSeconds: 61 } }, 'RETRIES_INVALID', 'an attempt cannot outlast the route timeout'],
    [{ retries: { attempts: 2, retryOn: ['sometimes'] } }, 'RETRIES_INVALID', 'retries.retryOn[0] = "sometimes"'],
  ] as const)('validation %#: %p', (props, code, part) => {
    const make = () => new TrafficSplit(stack(), 'Split', { ...BASE, ...props as any });
    if (code) expectValidation(make, code, part!, 'K8s/Split');
    else expect(make).not.toThrow();
  });
});
