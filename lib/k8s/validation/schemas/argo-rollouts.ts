import { JsonSchema } from '../strict';
import { OBJECT_META_SCHEMA } from './object-meta';

/*
 * Argo Rollouts Rollout and AnalysisTemplate (argoproj.io/v1alpha1), hand-written from the upstream CRDs:
 * argoproj/argo-rollouts v1.8.4 (55e89ddc5329db9ebd72edff5503f2822d2e80ff), manifests/crds/rollout-crd.yaml
 * and manifests/crds/analysis-template-crd.yaml (shared/crds/argoproj.io_rollouts.yaml,
 * argoproj.io_analysistemplates.yaml).
 *
 * Why not @kubernetes-models/argo-rollouts 0.3.2: it is generated from v1.5.0 (no `workloadRef.scaleDown`)
 * and its validator compiles the whole upstream schema graph (the Rollout's PodTemplateSpec included) on
 * first use, about half a second of synth time for the two objects the library emits.
 *
 * Scope: the listed properties are the upstream ones CanaryRollout, Analysis and CanaryStep emit, with the
 * CRD's names and types (int32 = integer, int-or-string = integer or string). Every object schema is closed:
 * any other key is rejected - including upstream fields not listed here; add them from the CRD when emitted.
 */

/** `x-kubernetes-int-or-string` of the CRD. */
const INT_OR_STRING = { anyOf: [{ type: 'integer' }, { type: 'string' }] };

/**
 * `spec.workloadRef.scaleDown`: the v1.8.4 CRD types it as a plain string; the values the controller knows
 * are its `ScaleDown*` constants (pkg/apis/rollouts/v1alpha1, v1.8.4), so anything else is rejected here.
 */
export const ROLLOUT_WORKLOAD_SCALE_DOWN = ['never', 'onsuccess', 'progressively'] as const;

const CANARY_STEP = {
  type: 'object',
  properties: {
    setWeight: { type: 'integer' },
    pause: { type: 'object', properties: { duration: INT_OR_STRING } },
    analysis: {
      type: 'object',
      properties: {
        templates: { type: 'array', items: { type: 'object', properties: { templateName: { type: 'string' } } } },
        args: {
          type: 'array',
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, value: { type: 'string' } } },
        },
      },
    },
  },
};

/** Strict schema of `argoproj.io/v1alpha1` Rollout (Argo Rollouts v1.8.4 CRD, the fields this library emits). */
export const ROLLOUT_V1ALPHA1 = new JsonSchema(
  'argoproj/argo-rollouts v1.8.4 manifests/crds/rollout-crd.yaml (v1alpha1; emitted fields; replaces @kubernetes-models/argo-rollouts@0.3.2 = v1.5.0)',
  {
    type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'argoproj.io/v1alpha1' },
      kind: { const: 'Rollout' },
      metadata: OBJECT_META_SCHEMA,
      spec: {
        type: 'object',
        properties: {
          replicas: { type: 'integer' },
          revisionHistoryLimit: { type: 'integer' },
          selector: { type: 'object', properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } } },
          workloadRef: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' },
              scaleDown: { type: 'string', enum: [...ROLLOUT_WORKLOAD_SCALE_DOWN] },
            },
          },
          strategy: {
            type: 'object',
            properties: {
              canary: {
                type: 'object',
                properties: {
                  stableService: { type: 'string' },
                  canaryService: { type: 'string' },
                  trafficRouting: {
                    type: 'object',
                    properties: {
                      istio: {
                        type: 'object',
                        properties: {
                          virtualService: {
                            type: 'object', required: ['name'],
                            properties: { name: { type: 'string' }, routes: { type: 'array', items: { type: 'string' } } },
                          },
                        },
                      },
                    },
                  },
                  steps: { type: 'array', items: CANARY_STEP },
                },
              },
            },
          },
        },
      },
    },
  },
);

/** Strict schema of `argoproj.io/v1alpha1` AnalysisTemplate (Argo Rollouts v1.8.4 CRD, the fields this library emits). */
export const ANALYSIS_TEMPLATE_V1ALPHA1 = new JsonSchema(
  'argoproj/argo-rollouts v1.8.4 manifests/crds/analysis-template-crd.yaml (v1alpha1; emitted fields; replaces @kubernetes-models/argo-rollouts@0.3.2 = v1.5.0)',
  {
    type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'argoproj.io/v1alpha1' },
      kind: { const: 'AnalysisTemplate' },
      metadata: OBJECT_META_SCHEMA,
      spec: {
        // v1.8.4 lists no required field here: a template holds `metrics` or nests other `templates`. This
        // schema leaves `templates` out (never emitted), so `metrics` is required (as in v1.5.0).
        type: 'object', required: ['metrics'],
        properties: {
          args: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
          metrics: {
            type: 'array',
            items: {
              type: 'object', required: ['name', 'provider'],
              properties: {
                name: { type: 'string' },
                interval: { type: 'string' },
                count: INT_OR_STRING,
                failureLimit: INT_OR_STRING,
                successCondition: { type: 'string' },
                provider: {
                  type: 'object',
                  properties: {
                    prometheus: { type: 'object', properties: { address: { type: 'string' }, query: { type: 'string' } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
);
