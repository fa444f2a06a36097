import { JsonSchema } from '../strict';
import { OBJECT_META_SCHEMA } from './object-meta';

/*
 * Hand-written from the upstream CRDs (no kubernetes-models package models them):
 * kubernetes-sigs/gateway-api-inference-extension v1.1.0 (f5bce5a2b2afa106fb70084186be051022704bec),
 * - config/crd/bases/inference.networking.k8s.io_inferencepools.yaml, version v1 (storage version);
 * - config/crd/bases/inference.networking.x-k8s.io_inferenceobjectives.yaml, version v1alpha2 (storage version).
 * Every object schema is closed (additionalProperties: false) by JsonSchema: unknown keys are rejected.
 */

const DNS_SUBDOMAIN_OR_EMPTY = '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const KIND = '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$';
const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';
const port = { type: 'object', required: ['number'], properties: { number: { type: 'integer', minimum: 1, maximum: 65535 } } };

/** Strict schema of `inference.networking.k8s.io/v1` InferencePool (gateway-api-inference-extension v1.1.0 CRD). */
export const INFERENCE_POOL_V1 = new JsonSchema(
  'kubernetes-sigs/gateway-api-inference-extension v1.1.0 config/crd/bases/inference.networking.k8s.io_inferencepools.yaml (v1)',
  {
    type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'inference.networking.k8s.io/v1' },
      kind: { const: 'InferencePool' },
      metadata: OBJECT_META_SCHEMA,
      spec: {
        type: 'object', required: ['endpointPickerRef', 'selector', 'targetPorts'],
        properties: {
          endpointPickerRef: {
            type: 'object', required: ['name'],
            properties: {
              failureMode: { type: 'string', enum: ['FailOpen', 'FailClose'] },
              group: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN_OR_EMPTY },
              kind: { type: 'string', minLength: 1, maxLength: 63, pattern: KIND },
              name: { type: 'string', minLength: 1, maxLength: 253 },
              port,
            },
          },
          selector: {
            type: 'object', required: ['matchLabels'],
            properties: {
              matchLabels: {
                type: 'object', minProperties: 1, maxProperties: 64,
                additionalProperties: { type: 'string', maxLength: 63, pattern: LABEL_VALUE },
              },
            },
          },
          targetPorts: { type: 'array', minItems: 1, maxItems: 8, items: port },
        },
      },
    },
  },
);

/** Strict schema of `inference.networking.x-k8s.io/v1alpha2` InferenceObjective (gateway-api-inference-extension v1.1.0 CRD). */
export const INFERENCE_OBJECTIVE_V1ALPHA2 = new JsonSchema(
  'kubernetes-sigs/gateway-api-inference-extension v1.1.0 config/crd/bases/inference.networking.x-k8s.io_inferenceobjectives.yaml (v1alpha2)',
  {
    type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'inference.networking.x-k8s.io/v1alpha2' },
      kind: { const: 'InferenceObjective' },
      metadata: OBJECT_META_SCHEMA,
      spec: {
        type: 'object', required: ['poolRef'],
        properties: {
          poolRef: {
            type: 'object', required: ['name'],
            properties: {
              group: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN_OR_EMPTY },
              kind: { type: 'string', minLength: 1, maxLength: 63, pattern: KIND },
              name: { type: 'string', minLength: 1, maxLength: 253 },
            },
          },
          priority: { type: 'integer' },
        },
      },
    },
  },
);
