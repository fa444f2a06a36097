/**
 * The ONE place where the library writes CloudFormation properties that aws-cdk-lib 2.276 does not model.
 * aws-cdk-lib 2.278 adds both (`acceleratorConfig` on `Function`, `TargetTrackingScalingPolicy.gpuUtilization`):
 * when the pin moves, replace these two functions and nothing else.
 */
import { Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** `PredefinedMetricType` of GPU target tracking (CloudFormation `TargetTrackingScalingPolicy`). */
export const GPU_UTILIZATION_METRIC = 'LambdaCapacityProviderAverageGPUUtilization';
/** `PredefinedMetricType` of CPU target tracking. */
export const CPU_UTILIZATION_METRIC = 'LambdaCapacityProviderAverageCPUUtilization';

let versionPropertyClassified = false;

/**
 * Renders `AcceleratorConfig: { AcceleratorMemorySize }` on a function (Lambda API / CloudFormation
 * `AWS::Lambda::Function.AcceleratorConfig`, valid sizes 3, 6, 12, 16, 24, 48 GiB) with a raw property
 * override, and acknowledges `CloudFormation-Validate::F3002` ("Additional properties are not allowed")
 * on this CfnFunction only: aws-cdk-lib's bundled schema predates the property. The acknowledgement covers
 * every F3002 on the resource, which is why tests assert that `AcceleratorConfig` holds exactly
 * `{ AcceleratorMemorySize }`.
 *
 * It also classifies `AcceleratorConfig` as a version property, so `currentVersion` changes when the
 * accelerator memory changes (aws-cdk-lib refuses to hash unknown properties otherwise).
 */
export function renderAcceleratorConfig(cfnFunction: lambda.CfnFunction, acceleratorMemoryGiB: number): void {
  if (!versionPropertyClassified) {
    lambda.Function.classifyVersionProperty('AcceleratorConfig', true);
    versionPropertyClassified = true;
  }
  cfnFunction.addPropertyOverride('AcceleratorConfig', { AcceleratorMemorySize: acceleratorMemoryGiB });
  Validations.of(cfnFunction).acknowledge({
    id: 'CloudFormation-Validate::F3002',
    reason: 'AcceleratorConfig (Lambda Managed Instances GPU functions) is documented in the CloudFormation ' +
      'reference but missing from the schema bundled with aws-cdk-lib 2.276; added by cdk-gpu-inference ' +
      'with a raw override whose shape is unit-tested.',
  });
}

/** One target tracking policy of a capacity provider. */
export interface ScalingPolicyTarget {
  /** `PredefinedMetricType`. */
  readonly metric: typeof GPU_UTILIZATION_METRIC | typeof CPU_UTILIZATION_METRIC;
  /** Target, percent. */
  readonly targetValue: number;
}

/**
 * Renders the provider's `CapacityProviderScalingConfig` scaling mode and policies with a raw override,
 * for GPU target tracking (`LambdaCapacityProviderAverageGPUUtilization`, developer guide page
 * `lambda-managed-instances-gpu-scaling`), which aws-cdk-lib 2.276's `TargetTrackingScalingPolicy` cannot
 * express. The policy list replaces whatever the L2 rendered.
 */
export function renderScalingPolicies(cfnProvider: lambda.CfnCapacityProvider, policies: readonly ScalingPolicyTarget[]): void {
  cfnProvider.addPropertyOverride('CapacityProviderScalingConfig.ScalingMode', 'Manual');
  cfnProvider.addPropertyOverride('CapacityProviderScalingConfig.ScalingPolicies',
    policies.map((p) => ({ PredefinedMetricType: p.metric, TargetValue: p.targetValue })));
}
