/**
 * Property-based: random provider and function props either synthesize or throw a ValidationError —
 * never any other error (aws-cdk-lib's own checks, TypeErrors, CloudFormation validation).
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as fc from 'fast-check';
import { ec2Instances, Model, ValidationError } from '../../lib';
import { InstanceFilter, LambdaAccelerator, ManagedInstancesCapacityProvider, MultiConcurrencyFunction, ProviderScaling } from '../../lib/aws';
import { imageCode, newStack } from './support';

const TYPES = ec2Instances().map((i) => i.instanceType).filter((t) => !t.startsWith('zz'));
const FAMILIES = [...new Set(ec2Instances().map((i) => i.family))];
/** Mostly undefined (3 in 4), so valid combinations stay common. */
const rarely = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: a, weight: 1 });
const int = (min: number, max: number) => rarely(fc.integer({ min, max }));

const filter = (gpu: boolean) => fc.oneof(
  { arbitrary: gpu ? fc.constantFrom(InstanceFilter.types(['g6.xlarge']), InstanceFilter.families(['g6e'], { sizes: ['xlarge', '2xlarge'] }))
    : fc.constant(undefined), weight: 6 },
  { arbitrary: fc.subarray(TYPES, { minLength: 0, maxLength: 3 }).map((t) => InstanceFilter.types(t)), weight: 1 },
  { arbitrary: fc.subarray(FAMILIES, { minLength: 1, maxLength: 2 }).map((f) => InstanceFilter.families(f)), weight: 1 },
  { arbitrary: fc.subarray(TYPES, { minLength: 1, maxLength: 3 }).map((t) => InstanceFilter.exclude(t)), weight: 1 },
);
const scaling = rarely(fc.oneof(fc.constant(ProviderScaling.auto()),
  fc.record({ cpuUtilization: int(0, 105), gpuUtilization: int(0, 105) }).map((t) => ProviderScaling.targetTracking(t))));

const scenario = fc.boolean().chain((gpu) => fc.record({
  gpu: fc.constant(gpu),
  provider: fc.record({
    architecture: fc.oneof({ arbitrary: fc.constant(lambda.Architecture.X86_64), weight: 5 }, fc.constant(lambda.Architecture.ARM_64)),
    instanceFilter: filter(gpu), maxGpus: int(0, 4000), maxVCpuCount: int(10, 15100), ec2VcpuQuota: int(10, 20000), scaling,
  }),
  fn: fc.record({
    image: gpu ? fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, fc.constant(false)) : fc.boolean(),
    runtime: fc.constantFrom(lambda.Runtime.NODEJS_20_X, lambda.Runtime.NODEJS_22_X, lambda.Runtime.NODEJS_24_X,
      lambda.Runtime.PYTHON_3_13, lambda.Runtime.JAVA_21),
    perExecutionEnvironmentMaxConcurrency: int(0, 1700),
    memoryGiBPerVCpu: rarely(fc.double({ min: 1.5, max: 8.5, noNaN: true })),
    memorySize: int(1536, 20480),
    environments: rarely(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }))),
    accelerator: gpu ? fc.constantFrom(3, 6, 12, 16, 24, 48) : rarely(fc.constantFrom(3, 24)),
    model: rarely(fc.constantFrom('270m', '1b', '4b', '12b', '27b') as fc.Arbitrary<'270m'>),
    architecture: rarely(fc.constantFrom(lambda.Architecture.X86_64, lambda.Architecture.ARM_64)),
  }),
}));

test('only ValidationError is ever thrown', () => {
  let synthesized = 0;
  const codes = new Set<string>();
  fc.assert(fc.property(scenario, ({ provider: p, fn: f }) => {
    const { stack } = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['a'],
      privateSubnetIds: ['subnet-1'], privateSubnetRouteTableIds: ['rtb-1'] });
    try {
      const provider = new ManagedInstancesCapacityProvider(stack, 'Provider', { vpc, ...p });
      new MultiConcurrencyFunction(stack, 'Fn', {
        capacityProvider: provider,
        runtime: f.image ? lambda.Runtime.FROM_IMAGE : f.runtime,
        handler: f.image ? lambda.Handler.FROM_IMAGE : 'index.handler',
        code: f.image ? imageCode(stack) : lambda.Code.fromInline('exports.handler = async () => 1'),
        perExecutionEnvironmentMaxConcurrency: f.perExecutionEnvironmentMaxConcurrency, memoryGiBPerVCpu: f.memoryGiBPerVCpu,
        memorySize: f.memorySize, minExecutionEnvironments: f.environments?.[0], maxExecutionEnvironments: f.environments?.[1],
        accelerator: f.accelerator === undefined ? undefined : LambdaAccelerator.memoryGiB(f.accelerator),
        model: f.model === undefined ? undefined : Model.gemma3(f.model), architecture: f.architecture,
      });
      Template.fromStack(stack);
      synthesized++;
    } catch (e) {
      if (!ValidationError.isValidationError(e)) throw e;
      codes.add(e.code);
    }
  }), { numRuns: 50, seed: 5 });
  expect(synthesized).toBeGreaterThan(5);
  expect(codes.size).toBeGreaterThan(5);
});
