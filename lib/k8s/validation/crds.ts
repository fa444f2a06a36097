/**
 * Schemas of the custom resources the delivery constructs emit (KEDA, Argo Rollouts, Istio, Knative, KServe).
 *
 * KEDA and Knative validate through their `@kubernetes-models/*` packages, generated from older upstream
 * releases than the CRDs this library was checked against (`shared/crds/SOURCES.md`); every field the
 * constructs emit exists, with the same name and type, in both:
 * - `@kubernetes-models/keda` 0.4.2: KEDA v2.10.1 (checked against v2.17.3 `keda.sh_scaledobjects.yaml`,
 *   `keda.sh_triggerauthentications.yaml`);
 * - `@kubernetes-models/knative` 2.4.4: Knative Serving v1.10.1 (checked against knative-v1.18.2).
 *
 * Argo Rollouts, Istio and KServe have hand-written strict schemas of the fields the constructs emit, taken
 * from the upstream CRDs (unknown keys rejected):
 * - Rollout and AnalysisTemplate (`argoproj.io/v1alpha1`) from Argo Rollouts v1.8.4 (`schemas/argo-rollouts.ts`),
 *   including `spec.workloadRef.scaleDown` (`never` | `onsuccess` | `progressively`). They replace
 *   `@kubernetes-models/argo-rollouts` 0.3.2 (v1.5.0), whose validator compiled the whole upstream schema
 *   graph (PodTemplateSpec included) on first use: about half a second of every synth that emits a Rollout;
 * - VirtualService (`networking.istio.io/v1beta1`, the storage version) from Istio 1.26.8
 *   (`schemas/istio.ts`), which requires `http[].route[].destination` and its `host`. It replaces
 *   `@kubernetes-models/istio` 2.3.0 (Istio 1.18, same cost);
 * - InferenceService from kserve v0.15.2 (`schemas/kserve-inference-service.ts`); KServe has no model.
 *
 * Models load lazily, on the first manifest of their kind; hand-written schemas compile on first use.
 */
import { KubernetesModelClass, ManifestSchemas, modelSchema } from './registry';
import { ANALYSIS_TEMPLATE_V1ALPHA1, ROLLOUT_V1ALPHA1 } from './schemas/argo-rollouts';
import { VIRTUAL_SERVICE_V1BETA1 } from './schemas/istio';
import { KSERVE_INFERENCE_SERVICE_V1BETA1 } from './schemas/kserve-inference-service';
import { IManifestSchema, ManifestIssue } from './strict';

/** Package versions of the CRD models registered by {@link registerDeliverySchemas}. */
export const CRD_MODEL_VERSIONS = {
  keda: '@kubernetes-models/keda@0.4.2',
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
  const { keda, knative } = CRD_MODEL_VERSIONS;
  ManifestSchemas.register('keda.sh/v1alpha1', 'ScaledObject',
    lazy(keda, 'keda.sh/v1alpha1', 'ScaledObject', () => require('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject')));
  ManifestSchemas.register('keda.sh/v1alpha1', 'TriggerAuthentication',
    lazy(keda, 'keda.sh/v1alpha1', 'TriggerAuthentication', () => require('@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication')));
  ManifestSchemas.register('argoproj.io/v1alpha1', 'Rollout', ROLLOUT_V1ALPHA1);
  ManifestSchemas.register('argoproj.io/v1alpha1', 'AnalysisTemplate', ANALYSIS_TEMPLATE_V1ALPHA1);
  ManifestSchemas.register('networking.istio.io/v1beta1', 'VirtualService', VIRTUAL_SERVICE_V1BETA1);
  ManifestSchemas.register('serving.knative.dev/v1', 'Service',
    lazy(knative, 'serving.knative.dev/v1', 'Service', () => require('@kubernetes-models/knative/serving.knative.dev/v1/Service'),
      // Feature-flagged pod fields: the model leaves them open; knative-v1.18.2 has nodeSelector as a string
      // map and tolerations items as x-kubernetes-preserve-unknown-fields.
      ['spec.template.spec.nodeSelector', 'spec.template.spec.tolerations[]']));
  ManifestSchemas.register('serving.kserve.io/v1beta1', 'InferenceService', KSERVE_INFERENCE_SERVICE_V1BETA1);
}

registerDeliverySchemas();
