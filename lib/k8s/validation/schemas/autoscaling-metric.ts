import { JsonSchema } from '../strict';
import { OBJECT_META_SCHEMA } from './object-meta';

/*
 * GKE `AutoscalingMetric` (`autoscaling.gke.io/v1beta1`, Preview). NO PUBLIC CRD EXISTS: no CRD YAML or Go type
 * definition is published (see ../shared/crds/SOURCES.md, "Not found"). This schema is written from the example
 * resources of GKE's documentation, for the layout the multi-cluster GKE Inference Gateway guide uses:
 * https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multicluster-inference-gateway and
 * https://cloud.google.com/kubernetes-engine/docs/how-to/expose-custom-metrics-autoscaling
 * (`spec.selector.matchLabels` + `spec.endpoints[] { port, path, metrics[] { name, exportName } }`; gauges only,
 * values 0-1, at most 10 exported metrics per cluster; the load balancer reads `gke.named_metrics.<exportName>`).
 * GKE 1.35.1-gke.1396000 adds a newer layout (`spec.metrics[].pod...`); it is not emitted, so not accepted here.
 * Every object schema is closed: unknown keys are rejected, as GKE rejects them at apply.
 */

/** Export names: what follows `gke.named_metrics.` in a GCPBackendPolicy. */
export const EXPORT_NAME_PATTERN = '^[a-z0-9]([-a-z0-9_]{0,61}[a-z0-9])?$';

/** Strict schema of `autoscaling.gke.io/v1beta1` AutoscalingMetric, from GKE's documentation (no public CRD). */
export const AUTOSCALING_METRIC_V1BETA1 = new JsonSchema(
  'GKE docs (no public CRD): setup-multicluster-inference-gateway, expose-custom-metrics-autoscaling (autoscaling.gke.io/v1beta1)',
  {
    type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'autoscaling.gke.io/v1beta1' },
      kind: { const: 'AutoscalingMetric' },
      metadata: OBJECT_META_SCHEMA,
      spec: {
        type: 'object', required: ['selector', 'endpoints'],
        properties: {
          selector: {
            type: 'object', required: ['matchLabels'],
            properties: { matchLabels: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } } },
          },
          endpoints: {
            type: 'array', minItems: 1,
            items: {
              type: 'object', required: ['port', 'metrics'],
              properties: {
                port: { type: 'integer', minimum: 1, maximum: 65535 },
                path: { type: 'string', pattern: '^/' },
                metrics: {
                  type: 'array', minItems: 1, maxItems: 10,
                  items: {
                    type: 'object', required: ['name', 'exportName'],
                    properties: {
                      name: { type: 'string', pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$' },
                      exportName: { type: 'string', pattern: EXPORT_NAME_PATTERN },
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
