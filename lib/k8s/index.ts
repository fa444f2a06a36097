/**
 * `cdk-gpu-inference/k8s`: cdktf constructs on `@cdktf/provider-kubernetes` (HPA on inference metrics,
 * metrics adapters, KEDA, KServe, Argo Rollouts, Istio, Knative, Gateway API Inference Extension).
 */
export { TfTemplate, objectLike } from '../tf';
export type { TfJson, TfResource } from '../tf';
export * from './cluster';
export * from './manifest';
export * from './validation';
export * from './inference-metric';
export * from './metrics-adapter';
export * from './pod-monitoring';
export * from './inference-server';
export * from './inference-hpa';
export * from './balancing';
export * from './autoscaling-metric';
export * from './inference-pool';
export * from './inference-objective';
export * from './cross-regional-gateway';
export * from './inference-import-policies';
export * from './gpu-utilization-hpa';
export * from './keda-trigger';
export * from './keda-scaled-object';
export * from './kserve-inference-service';
export * from './analysis';
export * from './traffic-split';
export * from './canary-rollout';
export * from './knative-service';
