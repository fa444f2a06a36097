/**
 * `cdk-gpu-inference/gcp`: cdktf constructs on `@cdktf/provider-google` (Cloud Run GPU, GKE, fleets,
 * the multi-cluster inference gateway). Provider classes are imported by deep path only.
 */
export { TfTemplate, objectLike } from '../tf';
export type { TfJson, TfResource } from '../tf';
export * from './cloud-run-limits';
export * from './cloud-run-service-base';
export * from './cloud-run-gpu-service';
export * from './ollama-model-service';
export * from './agent-service';
export * from './project-services';
export * from './artifact-repository';
export * from './gke-inference-cluster';
export * from './accelerator-node-pool';
export * from './gke-providers';
export * from './secret-manager-kubernetes-secret';
export * from './upstream-crd-install';
export * from './multi-cluster-inference-gateway';
