/**
 * `cdk-gpu-inference/aws`: aws-cdk-lib constructs (Lambda Managed Instances capacity providers,
 * multi-concurrency and GPU functions, alarms and dashboards). Never imports cdktf.
 */
export {};
