/**
 * Schemas of the custom resources the delivery constructs emit (KEDA, Argo Rollouts, Istio, Knative, KServe).
 *
 * The `@kubernetes-models/*` packages are generated from older upstream releases than the CRDs this library
 * was checked against (`shared/crds/SOURCES.md`); every field the constructs emit exists, with the same
 * name and type, in both:
 * - `@kubernetes-models/keda` 0.4.2: KEDA v2.10.1 (checked against v2.17.3 `keda.sh_scaledobjects.yaml`,
 *   `keda.sh_triggerauthentications.yaml`);
 * - `@kubernetes-models/argo-rollouts` 0.3.2: Argo Rollouts v1.5.0 (checked against v1.8.4). v1.8.4 adds
 *   `spec.workloadRef.scaleDown` (`never` | `onsuccess` | `progressively`), which the model lacks: it is
 *   validated here against the v1.8.4 enum and the rest of the object against the model;
 * - `@kubernetes-models/istio` 2.3.0: Istio 1.18.0. It models `networking.istio.io/v1alpha3` and `v1beta1`
 *   only; Istio 1.26.8 also serves `v1` (same schema), so the constructs emit the storage version `v1beta1`.
 *   1.26.8 requires `http[].route[].destination` and its `host`, which the model does not: checked here;
 * - `@kubernetes-models/knative` 2.4.4: Knative Serving v1.10.1 (checked against knative-v1.18.2);
 * - KServe has no model: a hand-written strict schema from kserve v0.15.2 (see `schemas/kserve-inference-service.ts`).
 *
 * Models load lazily, on the first manifest of their kind.
 */
import { KubernetesModelClass, ManifestSchemas, modelSchema } from './registry';
import { KSERVE_INFERENCE_SERVICE_V1BETA1 } from './schemas/kserve-inference-service';
import { IManifestSchema, ManifestIssue } from './strict';

/** Package versions of the CRD models registered by {@link registerDeliverySchemas}. */
export const CRD_MODEL_VERSIONS = {
  keda: '@kubernetes-models/keda@0.4.2',
  argoRollouts: '@kubernetes-models/argo-rollouts@0.3.2',
  istio: '@kubernetes-models/istio@2.3.0',
  knative: '@kubernetes-models/knative@2.4.4',
} as const;

/** A model schema loaded on first use. */
class LazyModelSchema implements IManifestSchema {
  private inner?: IManifestSchema;

  constructor(public readonly source: string, private readonly load: () => KubernetesModelClass,
    private readonly freeForm: readonly string[] = []) {}

  public validate(manifest: unknown): ManifestIssue[] {
    this.inner ??= modelSchema(this.source, this.load(), this.freeForm);
    return this.inner.validate(manifest);
  }
}

const SCALE_DOWN = ['never', 'onsuccess', 'progressively'];

/** The Rollout model (Argo Rollouts v1.5.0) plus `spec.workloadRef.scaleDown` from the v1.8.4 CRD. */
class RolloutSchema implements IManifestSchema {
  constructor(public readonly source: string, private readonly model: IManifestSchema) {}

  public validate(manifest: unknown): ManifestIssue[] {
    const m = manifest as { spec?: { workloadRef?: Record<string, unknown> } };
    const ref = m?.spec?.workloadRef;
    if (!ref || typeof ref !== 'object' || !('scaleDown' in ref)) return this.model.validate(manifest);
    const { scaleDown, ...rest } = ref;
    const issues = this.model.validate({ ...m, spec: { ...m.spec, workloadRef: rest } });
    if (typeof scaleDown !== 'string' || !SCALE_DOWN.includes(scaleDown)) {
      issues.push({ path: 'spec.workloadRef.scaleDown', message: `must be one of ${SCALE_DOWN.join(', ')}` });
    }
    return issues;
  }
}

/**
 * A schema plus required fields that a newer upstream CRD adds (paths with `[]` for every list item): a
 * missing one is reported as `required field is missing` where its parent exists.
 */
class WithRequired implements IManifestSchema {
  constructor(public readonly source: string, private readonly inner: IManifestSchema, private readonly required: readonly string[]) {}

  public validate(manifest: unknown): ManifestIssue[] {
    const issues = this.inner.validate(manifest);
    for (const req of this.required) {
      const parts = req.split('.');
      const walk = (node: unknown, i: number, at: string): void => {
        if (node === null || typeof node !== 'object') return;
        const part = parts[i];
        const list = part.endsWith('[]');
        const key = list ? part.slice(0, -2) : part;
        const here = at ? `${at}.${key}` : key;
        const child = (node as Record<string, unknown>)[key];
        if (i === parts.length - 1) {
          if (child === undefined) issues.push({ path: here, message: 'required field is missing' });
          return;
        }
        if (list) (Array.isArray(child) ? child : []).forEach((item, j) => walk(item, i + 1, `${here}[${j}]`));
        else walk(child, i + 1, here);
      };
      walk(manifest, 0, '');
    }
    return issues;
  }
}

/* eslint-disable @typescript-eslint/no-require-imports */
function lazy(pkg: string, apiVersion: string, kind: string, load: () => Record<string, KubernetesModelClass>,
  freeForm: readonly string[] = []): LazyModelSchema {
  return new LazyModelSchema(`${pkg} ${apiVersion} ${kind}`, () => load()[kind], freeForm);
}

let registered = false;

/**
 * Registers the schemas of KEDA ScaledObject/TriggerAuthentication, Argo Rollout/AnalysisTemplate, Istio
 * VirtualService, Knative Service and KServe InferenceService with {@link ManifestSchemas} (once; the
 * delivery constructs call it when their module loads).
 */
export function registerDeliverySchemas(): void {
  if (registered) return;
  registered = true;
  const { keda, argoRollouts, istio, knative } = CRD_MODEL_VERSIONS;
  ManifestSchemas.register('keda.sh/v1alpha1', 'ScaledObject',
    lazy(keda, 'keda.sh/v1alpha1', 'ScaledObject', () => require('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject')));
  ManifestSchemas.register('keda.sh/v1alpha1', 'TriggerAuthentication',
    lazy(keda, 'keda.sh/v1alpha1', 'TriggerAuthentication', () => require('@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication')));
  const rollout = lazy(argoRollouts, 'argoproj.io/v1alpha1', 'Rollout', () => require('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout'));
  ManifestSchemas.register('argoproj.io/v1alpha1', 'Rollout', new RolloutSchema(`${rollout.source} (+ workloadRef.scaleDown of v1.8.4)`, rollout));
  ManifestSchemas.register('argoproj.io/v1alpha1', 'AnalysisTemplate',
    lazy(argoRollouts, 'argoproj.io/v1alpha1', 'AnalysisTemplate', () => require('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate')));
  const vs = lazy(istio, 'networking.istio.io/v1beta1', 'VirtualService', () => require('@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService'));
  // Istio 1.26.8 requires http[].route[].destination and its host; the 1.18 model does not.
  ManifestSchemas.register('networking.istio.io/v1beta1', 'VirtualService', new WithRequired(`${vs.source} (+ required fields of 1.26.8)`, vs,
    ['spec.http[].route[].destination', 'spec.http[].route[].destination.host']));
  ManifestSchemas.register('serving.knative.dev/v1', 'Service',
    lazy(knative, 'serving.knative.dev/v1', 'Service', () => require('@kubernetes-models/knative/serving.knative.dev/v1/Service'),
      // Feature-flagged pod fields: the model leaves them open; knative-v1.18.2 has nodeSelector as a string
      // map and tolerations items as x-kubernetes-preserve-unknown-fields.
      ['spec.template.spec.nodeSelector', 'spec.template.spec.tolerations[]']));
  ManifestSchemas.register('serving.kserve.io/v1beta1', 'InferenceService', KSERVE_INFERENCE_SERVICE_V1BETA1);
}

registerDeliverySchemas();
