/**
 * The part of Kubernetes `ObjectMeta` this library emits (name, namespace, labels, annotations), shared by
 * the hand-written CRD schemas. Closed like every other object schema: an unknown metadata key is rejected.
 */
export const OBJECT_META_SCHEMA = {
  type: 'object', required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 253 },
    namespace: { type: 'string', minLength: 1, maxLength: 63 },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;
