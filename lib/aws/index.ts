/**
 * `cdk-gpu-inference/aws`: aws-cdk-lib constructs (Lambda Managed Instances capacity providers,
 * multi-concurrency and GPU functions, alarms and dashboards). Never imports cdktf.
 *
 * Notes:
 * - `ManagedInstancesCapacityProvider` wraps aws-cdk-lib's `lambda.CapacityProvider` (child id `Resource`);
 *   `MultiConcurrencyFunction` is a `lambda.Function` attached with `CapacityProvider.addFunction`.
 * - The two CloudFormation properties aws-cdk-lib 2.276 lacks (`AcceleratorConfig`, GPU target tracking) are
 *   written in one place, `overrides.ts`; aws-cdk-lib 2.278 models both, so a later pin replaces that file.
 * - GPU families are an assumption (`LAMBDA_GPU_FAMILIES_ASSUMED`): no AWS page lists them.
 */
export * from './instance-filter';
export * from './capacity-provider';
export * from './multi-concurrency-function';
export * from './monitoring';
export { GPU_UTILIZATION_METRIC, CPU_UTILIZATION_METRIC } from './overrides';
