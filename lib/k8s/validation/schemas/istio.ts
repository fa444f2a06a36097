import { JsonSchema } from '../strict';
import { OBJECT_META_SCHEMA } from './object-meta';

/*
 * Istio VirtualService (networking.istio.io/v1beta1, the storage version), hand-written from the upstream
 * CRD: istio/istio 1.26.8 (4ea27a1efd955d5ed1db8b817d3c8dd70a7ae52a),
 * manifests/charts/base/files/crd-all.gen.yaml, document `virtualservices.networking.istio.io`
 * (shared/crds/networking.istio.io_virtualservices.yaml). 1.26.8 serves v1, v1alpha3 and v1beta1 with this
 * schema.
 *
 * Why not @kubernetes-models/istio 2.3.0: it is generated from Istio 1.18 (where `route[].destination` and its
 * `host` are not required) and its validator compiles the whole upstream schema graph on first use.
 *
 * Scope: the listed properties are the upstream ones TrafficSplit (and CanaryRollout through it) emits, with
 * the CRD's names, types, bounds and the header match `oneOf`. Every object schema is closed: any other key
 * is rejected - including upstream fields not listed here; add them from the CRD when emitted.
 */

/** `StringMatch` of the CRD: at most one of exact, prefix, regex. */
const STRING_MATCH = {
  type: 'object',
  oneOf: [
    { not: { anyOf: [{ required: ['exact'] }, { required: ['prefix'] }, { required: ['regex'] }] } },
    { required: ['exact'] }, { required: ['prefix'] }, { required: ['regex'] },
  ],
  properties: { exact: { type: 'string' }, prefix: { type: 'string' }, regex: { type: 'string' } },
};

/** Strict schema of `networking.istio.io/v1beta1` VirtualService (Istio 1.26.8 CRD, the fields this library emits). */
export const VIRTUAL_SERVICE_V1BETA1 = new JsonSchema(
  'istio/istio 1.26.8 manifests/charts/base/files/crd-all.gen.yaml virtualservices.networking.istio.io (v1beta1; emitted fields; replaces @kubernetes-models/istio@2.3.0 = Istio 1.18)',
  {
    type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'networking.istio.io/v1beta1' },
      kind: { const: 'VirtualService' },
      metadata: OBJECT_META_SCHEMA,
      spec: {
        type: 'object',
        properties: {
          hosts: { type: 'array', items: { type: 'string' } },
          gateways: { type: 'array', items: { type: 'string' } },
          http: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                match: {
                  type: 'array',
                  items: { type: 'object', properties: { headers: { type: 'object', additionalProperties: STRING_MATCH } } },
                },
                route: {
                  type: 'array',
                  items: {
                    type: 'object', required: ['destination'],
                    properties: {
                      destination: {
                        type: 'object', required: ['host'],
                        properties: {
                          host: { type: 'string' },
                          subset: { type: 'string' },
                          port: { type: 'object', properties: { number: { type: 'integer', minimum: 0, maximum: 4294967295 } } },
                        },
                      },
                      weight: { type: 'integer' },
                    },
                  },
                },
                // The CRD adds a CEL rule (a duration of at least 1ms) that JSON schema cannot express.
                timeout: { type: 'string' },
                retries: {
                  type: 'object',
                  properties: { attempts: { type: 'integer' }, perTryTimeout: { type: 'string' }, retryOn: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
  },
);
