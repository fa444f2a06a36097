/**
 * cdk-gpu-inference: the cloud-neutral core. It imports neither aws-cdk-lib nor cdktf; the cloud
 * adapters live in the `cdk-gpu-inference/aws`, `cdk-gpu-inference/gcp` and `cdk-gpu-inference/k8s`
 * entry points.
 */
export * from './core';
