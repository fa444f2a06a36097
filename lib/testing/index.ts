/**
 * `cdk-gpu-inference/testing`: the upgrade guard. One call in a jest test checks a stack against its
 * committed snapshot and fails when the change would replace or destroy a deployed resource.
 */
export * from './findings';
export * from './force-new-attributes';
export * from './cloudformation-upgrade';
export * from './terraform-upgrade';
export * from './allow-list';
export * from './normalize';
export * from './snapshot-guard';
