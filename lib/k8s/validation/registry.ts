import { IManifestSchema, ManifestIssue, ObservedSchema } from './strict';
import { AUTOSCALING_METRIC_V1BETA1 } from './schemas/autoscaling-metric';
import { GATEWAY_V1, HTTP_ROUTE_V1 } from './schemas/gateway-api';
import { GCP_BACKEND_POLICY_V1, HEALTH_CHECK_POLICY_V1 } from './schemas/gke-gateway-policies';
import { INFERENCE_OBJECTIVE_V1ALPHA2, INFERENCE_POOL_V1 } from './schemas/inference-extension';
import { POD_MONITORING_V1 } from './schemas/pod-monitoring';

/** The `kubernetes-models` package version whose schemas validate built-in kinds. */
export const KUBERNETES_MODELS_VERSION = '4.5.1';

const registered = new Map<string, IManifestSchema>();
const resolved = new Map<string, IManifestSchema | null>();

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** A `kubernetes-models` / `@kubernetes-models/*` model class: its `validate()` runs the compiled schema on `this`. */
export interface KubernetesModelClass {
  /** The prototype whose `validate()` throws with the ajv errors. */
  readonly prototype: { validate(): void };
}

/**
 * The strict schema of a `kubernetes-models` / `@kubernetes-models/*` model class. `freeForm` lists paths the
 * upstream schema leaves open (see {@link ObservedSchema}).
 */
export function modelSchema(source: string, model: KubernetesModelClass, freeForm: readonly string[] = []): IManifestSchema {
  // The model's validate() runs its compiled ajv validator on `this` and throws with the ajv errors.
  const fn = Object.assign((data: unknown): boolean => {
    try {
      // Older models (base 4.0: argo-rollouts 0.3, istio 2.3, gateway-api 0.5) find their schema id through a
      // symbol on the prototype; plain data has none, so it is lent from the prototype (string keys still go
      // to the data, where they are observed).
      const self = new Proxy(data as object, {
        get: (t, k, r) => (typeof k === 'symbol' && !(k in t) ? (model.prototype as Record<symbol, unknown>)[k] : Reflect.get(t, k, r)),
      });
      model.prototype.validate.call(self);
      fn.errors = null;
      return true;
    } catch (e) {
      fn.errors = (e as { errors?: unknown[] }).errors ?? [{ instancePath: '', keyword: 'error', message: String(e) }];
      return false;
    }
  }, { errors: null as unknown[] | null });
  return new ObservedSchema(source, fn as never, freeForm);
}

/**
 * Loads the `kubernetes-models` model of a built-in kind (`apps/v1` + `Deployment` →
 * `kubernetes-models/apps/v1/Deployment`) and returns its strict schema, or null when no model exists.
 */
function kubernetesModel(apiVersion: string, kind: string): IManifestSchema | null {
  if (!/^[a-z0-9.]+\/v[0-9a-z]+$|^v1$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]+$/.test(kind)) return null;
  let mod: Record<string, KubernetesModelClass>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(`kubernetes-models/${apiVersion}/${kind}`);
  } catch {
    return null;
  }
  const model = mod[kind];
  return model ? modelSchema(`kubernetes-models@${KUBERNETES_MODELS_VERSION} ${apiVersion} ${kind}`, model) : null;
}

/**
 * Where manifest schemas come from. Built in: every kind `kubernetes-models` has a model for, and the
 * hand-written schemas of this library (PodMonitoring). Later constructs register the schemas of their
 * custom resources with {@link ManifestSchemas.register}.
 */
export class ManifestSchemas {
  /** Registers (or replaces) the schema of `apiVersion` + `kind`. */
  public static register(apiVersion: string, kind: string, schema: IManifestSchema): void {
    registered.set(key(apiVersion, kind), schema);
  }

  /**
   * Registers a `@kubernetes-models/*` model class as the strict schema of its kind, e.g.
   * `registerModel('keda.sh/v1alpha1', 'ScaledObject', require('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject').ScaledObject, '@kubernetes-models/keda@0.4.2')`.
   */
  public static registerModel(apiVersion: string, kind: string, model: KubernetesModelClass, source: string,
    freeForm: readonly string[] = []): void {
    ManifestSchemas.register(apiVersion, kind, modelSchema(`${source} ${apiVersion} ${kind}`, model, freeForm));
  }

  /** The schema of `apiVersion` + `kind`, or undefined when none is known. */
  public static find(apiVersion: string, kind: string): IManifestSchema | undefined {
    const k = key(apiVersion, kind);
    const own = registered.get(k);
    if (own) return own;
    if (!resolved.has(k)) resolved.set(k, kubernetesModel(apiVersion, kind));
    return resolved.get(k) ?? undefined;
  }

  /**
   * Every problem of `manifest` against its upstream schema; a manifest whose kind has no schema is itself
   * a problem (the library never emits an object it cannot check).
   */
  public static issues(manifest: unknown): ManifestIssue[] {
    const m = manifest as { apiVersion?: unknown; kind?: unknown } | null;
    if (!m || typeof m !== 'object' || typeof m.apiVersion !== 'string' || typeof m.kind !== 'string') {
      return [{ path: '(root)', message: 'a manifest needs string apiVersion and kind' }];
    }
    const schema = ManifestSchemas.find(m.apiVersion, m.kind);
    if (!schema) return [{ path: 'kind', message: `no schema is known for ${m.apiVersion} ${m.kind}` }];
    return schema.validate(manifest);
  }
}

ManifestSchemas.register('monitoring.googleapis.com/v1', 'PodMonitoring', POD_MONITORING_V1);
ManifestSchemas.register('inference.networking.k8s.io/v1', 'InferencePool', INFERENCE_POOL_V1);
ManifestSchemas.register('inference.networking.x-k8s.io/v1alpha2', 'InferenceObjective', INFERENCE_OBJECTIVE_V1ALPHA2);
ManifestSchemas.register('networking.gke.io/v1', 'HealthCheckPolicy', HEALTH_CHECK_POLICY_V1);
ManifestSchemas.register('networking.gke.io/v1', 'GCPBackendPolicy', GCP_BACKEND_POLICY_V1);
ManifestSchemas.register('autoscaling.gke.io/v1beta1', 'AutoscalingMetric', AUTOSCALING_METRIC_V1BETA1);
ManifestSchemas.register('gateway.networking.k8s.io/v1', 'Gateway', GATEWAY_V1);
ManifestSchemas.register('gateway.networking.k8s.io/v1', 'HTTPRoute', HTTP_ROUTE_V1);
