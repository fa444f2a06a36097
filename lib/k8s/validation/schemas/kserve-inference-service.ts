import { JsonSchema } from '../strict';

/*
 * Hand-written for the subset of InferenceService that KServeInferenceService emits (no kubernetes-models
 * package models KServe), from the upstream CRD: kserve/kserve v0.15.2
 * (d623ea29e4a7312e509829f9104209cd6f820268), config/crd/full/serving.kserve.io_inferenceservices.yaml,
 * version v1beta1 (storage version). Field names, types and enums are the CRD's; every object is closed
 * (additionalProperties: false), so a field outside the subset is reported as unknown. The CRD puts no
 * bounds on minReplicas, maxReplicas or canaryTrafficPercent: the construct validates those itself.
 */

/** A Kubernetes quantity (the CRD's `x-kubernetes-int-or-string` resource pattern). */
const QUANTITY = {
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
};
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };

const model = {
  type: 'object',
  properties: {
    modelFormat: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, version: { type: 'string' } } },
    runtime: { type: 'string' },
    storageUri: { type: 'string' },
    protocolVersion: { type: 'string' },
    args: { type: 'array', items: { type: 'string' } },
    env: {
      type: 'array',
      items: {
        type: 'object', required: ['name'],
        properties: {
          name: { type: 'string' },
          value: { type: 'string' },
          valueFrom: {
            type: 'object',
            properties: {
              secretKeyRef: {
                type: 'object', required: ['key'],
                properties: { key: { type: 'string' }, name: { type: 'string' }, optional: { type: 'boolean' } },
              },
            },
          },
        },
      },
    },
    resources: {
      type: 'object',
      properties: {
        limits: { type: 'object', additionalProperties: QUANTITY },
        requests: { type: 'object', additionalProperties: QUANTITY },
      },
    },
  },
};

/** The strict schema of the `serving.kserve.io/v1beta1` InferenceService subset the library emits. */
export const KSERVE_INFERENCE_SERVICE_V1BETA1 = new JsonSchema(
  'kserve/kserve v0.15.2 config/crd/full/serving.kserve.io_inferenceservices.yaml (v1beta1, subset)',
  {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'serving.kserve.io/v1beta1' },
      kind: { const: 'InferenceService' },
      metadata: {
        type: 'object', required: ['name'],
        properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: STRING_MAP, annotations: STRING_MAP },
      },
      spec: {
        type: 'object', required: ['predictor'],
        properties: {
          predictor: {
            type: 'object',
            properties: {
              minReplicas: { type: 'integer' },
              maxReplicas: { type: 'integer' },
              scaleMetric: { type: 'string', enum: ['cpu', 'memory', 'concurrency', 'rps'] },
              scaleTarget: { type: 'integer' },
              canaryTrafficPercent: { type: 'integer' },
              timeout: { type: 'integer' },
              serviceAccountName: { type: 'string' },
              nodeSelector: STRING_MAP,
              tolerations: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    effect: { type: 'string' }, key: { type: 'string' }, operator: { type: 'string' },
                    tolerationSeconds: { type: 'integer' }, value: { type: 'string' },
                  },
                },
              },
              model,
            },
          },
        },
      },
    },
  },
);
