import { JsonSchema } from '../strict';
import { OBJECT_META_SCHEMA } from './object-meta';

/*
 * Gateway API v1 Gateway and HTTPRoute, hand-written from the upstream CRDs:
 * kubernetes-sigs/gateway-api v1.4.1 (477d172e6ac5eccb82b65781ddb8f924afec4170), standard channel,
 * config/crd/standard/gateway.networking.k8s.io_gateways.yaml and ..._httproutes.yaml, version v1.
 *
 * Why not @kubernetes-models/gateway-api 0.5.1: its models validate through @kubernetes-models/validate 3,
 * which never reads the object's keys through the manifest itself (so the key-observing strictness of
 * ObservedSchema cannot see them, and every key reads as unknown); its plain validate() ignores unknown keys.
 *
 * Scope: the listed properties are the upstream ones this library emits (Gateway: gatewayClassName, addresses,
 * listeners with name/hostname/port/protocol; HTTPRoute: parentRefs, hostnames, rules with matches.path,
 * backendRefs and timeouts), with the CRD's types, patterns and bounds. Every object schema is closed:
 * any other key is rejected - including upstream fields not listed here; add them from the CRD when emitted.
 */

const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const GROUP = { type: 'string', maxLength: 253, pattern: `^$|${DNS_SUBDOMAIN}` };
const KIND = { type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$' };
const NAMESPACE = { type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
const PORT = { type: 'integer', minimum: 1, maximum: 65535 };
const HOSTNAME = { type: 'string', minLength: 1, maxLength: 253, pattern: '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' };
const DURATION = { type: 'string', pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$' };

/** Strict schema of `gateway.networking.k8s.io/v1` Gateway (gateway-api v1.4.1 CRD, the fields this library emits). */
export const GATEWAY_V1 = new JsonSchema(
  'kubernetes-sigs/gateway-api v1.4.1 config/crd/standard/gateway.networking.k8s.io_gateways.yaml (v1; emitted fields)',
  {
    type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'gateway.networking.k8s.io/v1' },
      kind: { const: 'Gateway' },
      metadata: OBJECT_META_SCHEMA,
      spec: {
        type: 'object', required: ['gatewayClassName', 'listeners'],
        properties: {
          gatewayClassName: { type: 'string', minLength: 1, maxLength: 253 },
          addresses: {
            type: 'array', maxItems: 16,
            items: {
              type: 'object', required: ['value'],
              properties: {
                type: {
                  type: 'string', minLength: 1, maxLength: 253,
                  pattern: "^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$",
                },
                value: { type: 'string', maxLength: 253 },
              },
            },
          },
          listeners: {
            type: 'array', minItems: 1, maxItems: 64,
            items: {
              type: 'object', required: ['name', 'port', 'protocol'],
              properties: {
                name: { type: 'string', minLength: 1, maxLength: 253, pattern: DNS_SUBDOMAIN },
                hostname: HOSTNAME,
                port: PORT,
                protocol: {
                  type: 'string', minLength: 1, maxLength: 255,
                  pattern: '^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9]+$',
                },
              },
            },
          },
        },
      },
    },
  },
);

/** Strict schema of `gateway.networking.k8s.io/v1` HTTPRoute (gateway-api v1.4.1 CRD, the fields this library emits). */
export const HTTP_ROUTE_V1 = new JsonSchema(
  'kubernetes-sigs/gateway-api v1.4.1 config/crd/standard/gateway.networking.k8s.io_httproutes.yaml (v1; emitted fields)',
  {
    type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'gateway.networking.k8s.io/v1' },
      kind: { const: 'HTTPRoute' },
      metadata: OBJECT_META_SCHEMA,
      spec: {
        type: 'object',
        properties: {
          hostnames: { type: 'array', maxItems: 16, items: HOSTNAME },
          parentRefs: {
            type: 'array', maxItems: 32,
            items: {
              type: 'object', required: ['name'],
              properties: {
                group: GROUP, kind: KIND, name: { type: 'string', minLength: 1, maxLength: 253 }, namespace: NAMESPACE, port: PORT,
                sectionName: { type: 'string', minLength: 1, maxLength: 253, pattern: DNS_SUBDOMAIN },
              },
            },
          },
          rules: {
            type: 'array', maxItems: 16,
            items: {
              type: 'object',
              properties: {
                matches: {
                  type: 'array', maxItems: 64,
                  items: {
                    type: 'object',
                    properties: {
                      path: {
                        type: 'object',
                        properties: {
                          type: { type: 'string', enum: ['Exact', 'PathPrefix', 'RegularExpression'] },
                          value: { type: 'string', maxLength: 1024 },
                        },
                      },
                    },
                  },
                },
                backendRefs: {
                  type: 'array', maxItems: 16,
                  items: {
                    type: 'object', required: ['name'],
                    properties: {
                      group: GROUP, kind: KIND, name: { type: 'string', minLength: 1, maxLength: 253 }, namespace: NAMESPACE,
                      port: PORT, weight: { type: 'integer', minimum: 0, maximum: 1000000 },
                    },
                  },
                },
                timeouts: { type: 'object', properties: { request: DURATION, backendRequest: DURATION } },
              },
            },
          },
        },
      },
    },
  },
);
