import { Construct } from 'constructs';
import { isUnresolved, Validator } from '../core/validate';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';
import { registerDeliverySchemas } from './validation/crds';

registerDeliverySchemas();

/** A destination of a route: a Kubernetes Service host (and optionally a DestinationRule subset). */
export interface TrafficDestination {
  /** Service host, e.g. `vllm-v1` or `vllm-v1.llm.svc.cluster.local`. */
  readonly host: string;
  /** Service port. @default - the Service's only port */
  readonly port?: number;
  /** DestinationRule subset. @default - none */
  readonly subset?: string;
}

/** A weighted destination of the default route. */
export interface WeightedDestination extends TrafficDestination {
  /** Percent of the traffic (integer 0-100); the weights of a route sum to 100. */
  readonly weight: number;
}

/** How a request header is matched (exactly one of the three). */
export interface HeaderMatch {
  /** Exact value. @default - not used */
  readonly exact?: string;
  /** Value prefix. @default - not used */
  readonly prefix?: string;
  /** RE2 regular expression. @default - not used */
  readonly regex?: string;
}

/** A header-matched route (A/B segment): requests whose headers all match go to `destination`. */
export interface HeaderRoute {
  /** Route name (a DNS-1123 label). */
  readonly name: string;
  /** Header name (lowercase, e.g. `x-model-version`, `x-user-segment`) → match. */
  readonly headers: Record<string, HeaderMatch>;
  /** Where matching requests go. */
  readonly destination: TrafficDestination;
}

/** Retry policy of every route. */
export interface TrafficRetries {
  /** Attempts (0-10; 0 disables retries). */
  readonly attempts: number;
  /** Timeout per attempt, seconds (1-3600; at most the route timeout). @default - the route timeout */
  readonly perTryTimeoutSeconds?: number;
  /** Envoy `retryOn` conditions. @default ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', '503'] */
  readonly retryOn?: string[];
}

/** Props of {@link TrafficSplit}. */
export interface TrafficSplitProps {
  /** VirtualService name (a DNS-1123 label). */
  readonly name: string;
  /** Namespace. @default 'default' */
  readonly namespace?: string;
  /** Hosts the VirtualService applies to (Service names or FQDNs). */
  readonly hosts: string[];
  /** Gateways (`namespace/name`, or `mesh`). @default - the mesh (sidecars) only */
  readonly gateways?: string[];
  /** The default route: weighted destinations (weights sum to 100). */
  readonly destinations: WeightedDestination[];
  /** Name of the default route (Argo Rollouts finds it by name). @default 'primary' */
  readonly routeName?: string;
  /** Header-matched routes, evaluated before the default route in order. @default - none */
  readonly headerRoutes?: HeaderRoute[];
  /** Request timeout of every route, seconds (1-3600). LLM responses stream for long: keep it generous. @default 300 */
  readonly timeoutSeconds?: number;
  /** Retries of every route. @default - 2 attempts on connection failures only */
  readonly retries?: TrafficRetries;
  /** `computed_fields` of the object (e.g. the default route's weights when Argo Rollouts manages them). @default - the provider's default */
  readonly computedFields?: string[];
}

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HEADER = /^[a-z0-9][-a-z0-9_]*$/;
/** Envoy retry conditions Istio accepts in `retryOn` (besides HTTP status codes). */
export const ISTIO_RETRY_ON = ['5xx', 'gateway-error', 'reset', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'cancelled', 'deadline-exceeded', 'internal',
  'resource-exhausted', 'unavailable'];

/**
 * An Istio `VirtualService` (networking.istio.io/v1beta1) splitting traffic between model versions: a
 * weighted default route (weights sum to 100) and header-matched routes for A/B segments (e.g.
 * `x-model-version: v2`, `x-user-segment: beta`), with a timeout and retries on every route.
 */
export class TrafficSplit extends Construct implements IManifestSource {
  /** The VirtualService. */
  public readonly object: KubernetesObject;
  /** Name. */
  public readonly name: string;
  /** Name of the default (weighted) route. */
  public readonly routeName: string;
  /** Index of the default route in `spec.http` (after the header routes). */
  public readonly routeIndex: number;

  constructor(scope: Construct, id: string, props: TrafficSplitProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    this.name = props.name;
    const namespace = props.namespace ?? 'default';
    this.routeName = props.routeName ?? 'primary';
    v.matches('NAME_INVALID', 'name', props.name, LABEL, 'a DNS-1123 label');
    v.matches('NAME_INVALID', 'namespace', namespace, LABEL, 'a DNS-1123 label');
    v.matches('NAME_INVALID', 'routeName', this.routeName, LABEL, 'a DNS-1123 label');
    if (props.hosts.length === 0) v.fail('HOSTS_MISSING', 'hosts', props.hosts, 'at least one host');
    props.hosts.forEach((h, i) => v.matches('HOST_INVALID', `hosts[${i}]`, h, HOST, 'a DNS name (optionally *.-prefixed)'));
    props.gateways?.forEach((g, i) => v.matches('GATEWAY_INVALID', `gateways[${i}]`, g, /^(mesh|([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/, 'mesh, name or namespace/name'));
    if (props.destinations.length === 0) v.fail('WEIGHTS_INVALID', 'destinations', props.destinations, 'at least one destination');
    props.destinations.forEach((d, i) => {
      this.checkDestination(v, `destinations[${i}]`, d);
      v.integerInRange('WEIGHTS_INVALID', `destinations[${i}].weight`, d.weight, 0, 100);
    });
    const weights = props.destinations.map((d) => d.weight);
    if (!weights.some(isUnresolved)) {
      const sum = weights.reduce((a, b) => a + b, 0);
      if (sum !== 100) v.fail('WEIGHTS_INVALID', 'destinations[].weight', weights, 'weights summing to 100', `they sum to ${sum}`);
    }
    const routes = props.headerRoutes ?? [];
    const names = [...routes.map((r) => r.name), this.routeName];
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) v.fail('ROUTE_INVALID', 'headerRoutes[].name', dup, 'unique route names');
    routes.forEach((r, i) => {
      v.matches('ROUTE_INVALID', `headerRoutes[${i}].name`, r.name, LABEL, 'a DNS-1123 label');
      const headers = Object.entries(r.headers);
      if (headers.length === 0) v.fail('HEADER_MATCH_INVALID', `headerRoutes[${i}].headers`, r.headers, 'at least one header');
      for (const [h, m] of headers) {
        v.matches('HEADER_MATCH_INVALID', `headerRoutes[${i}].headers`, h, HEADER, 'a lowercase header name (Istio matches lowercase keys)');
        const kinds = (['exact', 'prefix', 'regex'] as const).filter((k) => m[k] !== undefined);
        if (kinds.length !== 1) v.fail('HEADER_MATCH_INVALID', `headerRoutes[${i}].headers.${h}`, m, 'exactly one of exact, prefix, regex');
        const val = m[kinds[0]]!;
        if (!isUnresolved(val) && (typeof val !== 'string' || val === '')) v.fail('HEADER_MATCH_INVALID', `headerRoutes[${i}].headers.${h}.${kinds[0]}`, val, 'a non-empty string');
      }
      this.checkDestination(v, `headerRoutes[${i}].destination`, r.destination);
    });
    const timeout = props.timeoutSeconds ?? 300;
    v.integerInRange('TIMEOUT_OUT_OF_RANGE', 'timeoutSeconds', timeout, 1, 3600);
    const retries = props.retries ?? { attempts: 2, retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', '503'] };
    v.integerInRange('RETRIES_INVALID', 'retries.attempts', retries.attempts, 0, 10);
    v.integerInRange('RETRIES_INVALID', 'retries.perTryTimeoutSeconds', retries.perTryTimeoutSeconds, 1, timeout,
      'an attempt cannot outlast the route timeout');
    const retryOn = retries.retryOn ?? ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', '503'];
    retryOn.forEach((c, i) => {
      if (!ISTIO_RETRY_ON.includes(c) && !/^[1-5][0-9][0-9]$/.test(c)) {
        v.fail('RETRIES_INVALID', `retries.retryOn[${i}]`, c, `an HTTP status code or one of: ${ISTIO_RETRY_ON.join(', ')}`);
      }
    });

    const common = {
      timeout: `${timeout}s`,
      retries: retries.attempts === 0 ? { attempts: 0 } : {
        attempts: retries.attempts,
        ...(retries.perTryTimeoutSeconds !== undefined ? { perTryTimeout: `${retries.perTryTimeoutSeconds}s` } : {}),
        retryOn: retryOn.join(','),
      },
    };
    const http = [
      ...routes.map((r) => ({
        name: r.name,
        match: [{ headers: Object.fromEntries(Object.entries(r.headers).map(([h, m]) => [h, prune({ ...m })])) }],
        route: [{ destination: destination(r.destination), weight: 100 }],
        ...common,
      })),
      { name: this.routeName, route: props.destinations.map((d) => ({ destination: destination(d), weight: d.weight })), ...common },
    ];
    this.routeIndex = routes.length;
    this.object = new KubernetesObject(this, 'Resource', {
      manifest: {
        apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService',
        metadata: { name: props.name, namespace },
        spec: { hosts: props.hosts, ...(props.gateways ? { gateways: props.gateways } : {}), http },
      },
      computedFields: props.computedFields,
    });
  }

  /** The VirtualService, as a plain manifest (one element). */
  public get manifests(): readonly KubernetesManifest[] {
    return this.object.manifests;
  }

  private checkDestination(v: Validator, prop: string, d: TrafficDestination): void {
    v.matches('HOST_INVALID', `${prop}.host`, d.host, HOST, 'a Service name or FQDN');
    v.integerInRange('PORT_OUT_OF_RANGE', `${prop}.port`, d.port, 1, 65535);
    v.matches('NAME_INVALID', `${prop}.subset`, d.subset, LABEL, 'a DestinationRule subset name');
  }
}

function destination(d: TrafficDestination): Record<string, unknown> {
  return { host: d.host, ...(d.subset ? { subset: d.subset } : {}), ...(d.port !== undefined ? { port: { number: d.port } } : {}) };
}

function prune<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}
