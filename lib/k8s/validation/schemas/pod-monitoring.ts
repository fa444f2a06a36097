import { JsonSchema } from '../strict';

/*
 * Hand-written from the upstream CRD (no kubernetes-models package models it):
 * GoogleCloudPlatform/prometheus-engine v0.17.2 (7920a2a222af1c09535d8141684e2944670c5041),
 * charts/operator/crds/monitoring.googleapis.com_podmonitorings.yaml, version v1 (storage version).
 * Every object lists its properties and is closed (additionalProperties: false) by JsonSchema, as the
 * API server prunes/rejects unknown fields of a structural CRD schema.
 */

const LABEL_NAME = '^[a-zA-Z_][a-zA-Z0-9_]*$';
/** Prometheus duration (the CRD's `format: duration`), e.g. `5s`, `1m30s`. */
const DURATION = '^(([0-9]+)(y|w|d|h|m|s|ms))+$';
const TLS_VERSION = { type: 'string', enum: ['TLS10', 'TLS11', 'TLS12', 'TLS13'] };

const secretKeySelector = {
  type: 'object',
  properties: {
    secret: {
      type: 'object', required: ['key', 'name'],
      properties: { key: { type: 'string' }, name: { type: 'string' }, namespace: { type: 'string' } },
    },
  },
};

const tls = {
  type: 'object',
  properties: {
    ca: secretKeySelector, cert: secretKeySelector, key: secretKeySelector,
    insecureSkipVerify: { type: 'boolean' }, maxVersion: TLS_VERSION, minVersion: TLS_VERSION,
    serverName: { type: 'string' },
  },
};

const labelSelector = {
  type: 'object',
  properties: {
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object', required: ['key', 'operator'],
        properties: { key: { type: 'string' }, operator: { type: 'string' }, values: { type: 'array', items: { type: 'string' } } },
      },
    },
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const endpoint = {
  type: 'object', required: ['interval', 'port'],
  properties: {
    authorization: { type: 'object', properties: { credentials: secretKeySelector, type: { type: 'string' } } },
    basicAuth: { type: 'object', properties: { password: secretKeySelector, username: { type: 'string' } } },
    interval: { type: 'string', pattern: DURATION },
    metricRelabeling: {
      type: 'array', maxItems: 250,
      items: {
        type: 'object',
        properties: {
          action: { type: 'string', enum: ['replace', 'lowercase', 'uppercase', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labeldrop', 'labelkeep'] },
          modulus: { type: 'integer' },
          regex: { type: 'string' },
          replacement: { type: 'string' },
          separator: { type: 'string' },
          sourceLabels: { type: 'array', maxItems: 100, items: { type: 'string', pattern: LABEL_NAME } },
          targetLabel: { type: 'string', pattern: LABEL_NAME },
        },
      },
    },
    oauth2: {
      type: 'object',
      properties: {
        clientID: { type: 'string' }, clientSecret: secretKeySelector,
        endpointParams: { type: 'object', additionalProperties: { type: 'string' } },
        proxyUrl: { type: 'string' }, scopes: { type: 'array', items: { type: 'string' } }, tlsConfig: tls,
        tokenURL: { type: 'string' },
      },
    },
    params: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    path: { type: 'string' },
    port: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
    proxyUrl: { type: 'string' },
    scheme: { type: 'string', enum: ['http', 'https'] },
    timeout: { type: 'string', pattern: DURATION },
    tls,
  },
};

const objectMeta = {
  type: 'object',
  properties: {
    name: { type: 'string' }, namespace: { type: 'string' }, generateName: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/** Strict schema of `monitoring.googleapis.com/v1` PodMonitoring (prometheus-engine v0.17.2 CRD). */
export const POD_MONITORING_V1 = new JsonSchema(
  'GoogleCloudPlatform/prometheus-engine v0.17.2 charts/operator/crds/monitoring.googleapis.com_podmonitorings.yaml (v1)',
  {
    $comment: 'From GoogleCloudPlatform/prometheus-engine v0.17.2, charts/operator/crds/monitoring.googleapis.com_podmonitorings.yaml, version v1',
    type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'monitoring.googleapis.com/v1' },
      kind: { const: 'PodMonitoring' },
      metadata: objectMeta,
      spec: {
        type: 'object', required: ['endpoints', 'selector'],
        properties: {
          endpoints: { type: 'array', maxItems: 10, items: endpoint },
          filterRunning: { type: 'boolean' },
          limits: {
            type: 'object',
            properties: {
              labelNameLength: { type: 'integer' }, labelValueLength: { type: 'integer' },
              labels: { type: 'integer' }, samples: { type: 'integer' },
            },
          },
          selector: labelSelector,
          targetLabels: {
            type: 'object',
            properties: {
              fromPod: {
                type: 'array', maxItems: 100,
                items: { type: 'object', required: ['from'], properties: { from: { type: 'string' }, to: { type: 'string', pattern: LABEL_NAME } } },
              },
              metadata: { type: 'array', items: { type: 'string', enum: ['container', 'node', 'pod', 'top_level_controller_name', 'top_level_controller_type'] } },
            },
          },
        },
      },
    },
  },
);
