import { JsonSchema } from '../strict';
import { OBJECT_META_SCHEMA } from './object-meta';

/*
 * GKE Gateway policy kinds, hand-written (no kubernetes-models package models them) from:
 * - the public CRDs of GoogleCloudPlatform/gke-gateway-api, main @ fc40d606a5332f11a8883f85caff66b63c4e88ef
 *   (same property paths as tag v1.4.0): config/crd/networking.gke.io_healthcheckpolicies.yaml and
 *   config/crd/networking.gke.io_gcpbackendpolicies.yaml, version v1;
 * - PLUS the GKE-only `spec.default` fields of GCPBackendPolicy that the public CRD lacks, as GKE documents them
 *   for the multi-cluster GKE Inference Gateway:
 *   https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multicluster-inference-gateway and
 *   https://cloud.google.com/kubernetes-engine/docs/how-to/customize-backend-multicluster-inference-gateway
 *   (`balancingMode` CUSTOM_METRICS | IN_FLIGHT, `trafficDuration`, `customMetrics[] { name, dryRun,
 *   maxUtilizationPercent }`, `maxInFlightRequestsPerEndpoint`, `dryRun`). A translated copy of the guide writes
 *   `maxUtilization`; every Google page writes `maxUtilizationPercent`, and GKE rejects unknown fields at apply
 *   (GoogleCloudPlatform/gke-gateway-api #32), so this schema knows only `maxUtilizationPercent`.
 * Every object schema is closed (additionalProperties: false) by JsonSchema: unknown keys are rejected.
 */

const DNS_SUBDOMAIN_OR_EMPTY = '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const KIND = '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$';
const PORT_SPEC = { type: 'string', enum: ['USE_FIXED_PORT', 'USE_NAMED_PORT', 'USE_SERVING_PORT'] };
const PROXY_HEADER = { type: 'string', enum: ['NONE', 'PROXY_V1'] };
const HOST = { type: 'string', maxLength: 2048, pattern: DNS_SUBDOMAIN_OR_EMPTY.slice(4) };
const REQUEST_PATH = { type: 'string', maxLength: 2048, pattern: "\\/[A-Za-z0-9\\/\\-._~%!?$&'()*+,;=:]*$" };
const PORT = { type: 'integer', minimum: 1, maximum: 65535 };
const PORT_NAME = { type: 'string', maxLength: 63, pattern: '[a-z]([-a-z0-9]*[a-z0-9])?' };
const PAYLOAD = { type: 'string', maxLength: 1024 };

const targetRef = {
  type: 'object', required: ['group', 'kind', 'name'],
  properties: {
    group: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN_OR_EMPTY },
    kind: { type: 'string', minLength: 1, maxLength: 63, pattern: KIND },
    name: { type: 'string', minLength: 1, maxLength: 253 },
    namespace: { type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
  },
};

const httpCheck = {
  type: 'object',
  properties: {
    host: HOST, port: PORT, portName: PORT_NAME, portSpecification: PORT_SPEC, proxyHeader: PROXY_HEADER,
    requestPath: REQUEST_PATH, response: PAYLOAD,
  },
};

/** Strict schema of `networking.gke.io/v1` HealthCheckPolicy (gke-gateway-api CRD). */
export const HEALTH_CHECK_POLICY_V1 = new JsonSchema(
  'GoogleCloudPlatform/gke-gateway-api fc40d606 config/crd/networking.gke.io_healthcheckpolicies.yaml (v1)',
  {
    type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'networking.gke.io/v1' },
      kind: { const: 'HealthCheckPolicy' },
      metadata: OBJECT_META_SCHEMA,
      spec: {
        type: 'object', required: ['targetRef'],
        properties: {
          targetRef,
          default: {
            type: 'object',
            properties: {
              checkIntervalSec: { type: 'integer', minimum: 1, maximum: 300 },
              timeoutSec: { type: 'integer', minimum: 1, maximum: 300 },
              healthyThreshold: { type: 'integer', minimum: 1, maximum: 10 },
              unhealthyThreshold: { type: 'integer', minimum: 1, maximum: 10 },
              logConfig: { type: 'object', properties: { enabled: { type: 'boolean' } } },
              config: {
                type: 'object', minProperties: 2, maxProperties: 2, required: ['type'],
                properties: {
                  type: { type: 'string', enum: ['TCP', 'HTTP', 'HTTPS', 'HTTP2', 'GRPC'] },
                  httpHealthCheck: httpCheck,
                  httpsHealthCheck: httpCheck,
                  http2HealthCheck: httpCheck,
                  grpcHealthCheck: {
                    type: 'object',
                    properties: { grpcServiceName: PAYLOAD, port: PORT, portName: PORT_NAME, portSpecification: PORT_SPEC },
                  },
                  tcpHealthCheck: {
                    type: 'object',
                    properties: {
                      port: PORT, portName: PORT_NAME, portSpecification: PORT_SPEC, proxyHeader: PROXY_HEADER,
                      request: PAYLOAD, response: PAYLOAD,
                    },
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

/** `spec.default` of GCPBackendPolicy: the public CRD's fields plus GKE's documented inference-gateway fields. */
const backendDefault = {
  type: 'object',
  properties: {
    // Public CRD fields.
    backendPreference: { type: 'string', enum: ['DEFAULT', 'PREFERRED'] },
    connectionDraining: { type: 'object', properties: { drainingTimeoutSec: { type: 'integer', minimum: 0, maximum: 3600 } } },
    iap: {
      type: 'object',
      properties: {
        clientID: { type: 'string' }, enabled: { type: 'boolean' },
        oauth2ClientSecret: { type: 'object', properties: { name: { type: 'string' } } },
      },
    },
    logging: {
      type: 'object',
      properties: { enabled: { type: 'boolean' }, sampleRate: { type: 'integer', minimum: 0, maximum: 1000000 } },
    },
    maxRatePerEndpoint: { type: 'integer', minimum: 1, maximum: 1000000000 },
    securityPolicy: { type: 'string' },
    sessionAffinity: {
      type: 'object',
      properties: {
        cookieTtlSec: { type: 'integer', minimum: 0, maximum: 1209600 },
        type: { type: 'string', enum: ['CLIENT_IP', 'CLIENT_IP_PORT_PROTO', 'CLIENT_IP_PROTO', 'GENERATED_COOKIE', 'HEADER_FIELD', 'HTTP_COOKIE', 'NONE'] },
      },
    },
    timeoutSec: { type: 'integer', minimum: 1, maximum: 2147483647 },
    // GKE-only fields (multi-cluster GKE Inference Gateway docs, see the file comment).
    balancingMode: { type: 'string', enum: ['CUSTOM_METRICS', 'IN_FLIGHT'] },
    trafficDuration: { type: 'string', enum: ['LONG', 'SHORT'] },
    dryRun: { type: 'boolean' },
    maxInFlightRequestsPerEndpoint: { type: 'integer', minimum: 1 },
    customMetrics: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', required: ['name', 'maxUtilizationPercent'],
        properties: {
          name: { type: 'string', pattern: '^gke\\.named_metrics\\.[A-Za-z0-9_-]+$' },
          dryRun: { type: 'boolean' },
          maxUtilizationPercent: { type: 'integer', minimum: 0, maximum: 100 },
        },
      },
    },
  },
};

/**
 * Strict schema of `networking.gke.io/v1` GCPBackendPolicy: the gke-gateway-api CRD plus the GKE-only
 * `spec.default` fields of the multi-cluster GKE Inference Gateway (cited in this file).
 */
export const GCP_BACKEND_POLICY_V1 = new JsonSchema(
  'GoogleCloudPlatform/gke-gateway-api fc40d606 config/crd/networking.gke.io_gcpbackendpolicies.yaml (v1) + GKE docs setup-multicluster-inference-gateway / customize-backend-multicluster-inference-gateway',
  {
    type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'networking.gke.io/v1' },
      kind: { const: 'GCPBackendPolicy' },
      metadata: OBJECT_META_SCHEMA,
      spec: { type: 'object', required: ['targetRef'], properties: { targetRef, default: backendDefault } },
    },
  },
);
