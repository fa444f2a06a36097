import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ValidationError } from '../../lib';
import {
  GPU_UTILIZATION_METRIC, InstanceFilter, ManagedInstancesCapacityProvider, ManagedInstancesCapacityProviderProps,
  ProviderScaling,
} from '../../lib/aws';
import { expectSynthSnapshot } from '../support/snapshot';
import { nagFindings, newStack } from './support';

/** A provider in a fresh stack that shares one imported VPC (fast: no VPC synthesized). */
function provider(props: ManagedInstancesCapacityProviderProps = {}) {
  const { app, stack } = newStack();
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['a', 'b', 'c'], privateSubnetIds: ['subnet-1', 'subnet-2', 'subnet-3'],
    privateSubnetRouteTableIds: ['rtb-1', 'rtb-2', 'rtb-3'],
  });
  const p = new ManagedInstancesCapacityProvider(stack, 'Provider', { vpc, ...props });
  return { app, stack, p, template: () => Template.fromStack(stack) };
}

function expectError(fn: () => unknown, code: string, ...fragments: string[]) {
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  expect(ValidationError.isValidationError(err)).toBe(true);
  expect((err as ValidationError).code).toBe(code);
  for (const f of ['Test/Provider', ...fragments]) expect((err as Error).message).toContain(f);
}

describe('ManagedInstancesCapacityProvider defaults', () => {
  const { app, stack, p } = provider();
  const t = Template.fromStack(stack);

  test('CPU provider: x86_64, auto scaling, no filter, no vCPU ceiling', () => {
    t.hasResourceProperties('AWS::Lambda::CapacityProvider', {
      InstanceRequirements: { Architectures: ['x86_64'] },
      VpcConfig: { SubnetIds: ['subnet-1', 'subnet-2', 'subnet-3'] },
      CapacityProviderScalingConfig: Match.absent(),
    });
    expect(p.isGpu).toBe(false);
    expect(p.maxVCpuCount).toBeUndefined();
    expect(p.instanceTypes.every((i) => i.architecture === 'x86_64' && i.gpuCount === 0)).toBe(true);
  });

  test('dedicated security group without inbound rules', () => {
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }], SecurityGroupIngress: Match.absent(),
    });
  });

  test('operator role: managed operator policy, trust limited to this account', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{
        Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSLambdaManagedEC2ResourceOperator']] }],
    });
  });

  test('cdk-nag AwsSolutions: no unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('synthesizes with CloudFormation validation on', () => {
    expect(() => app.synth()).not.toThrow();
  });

  test('snapshot', () => {
    expectSynthSnapshot(stack);
  });
});

describe('created VPC', () => {
  const { stack } = newStack();
  new ManagedInstancesCapacityProvider(stack, 'Provider');
  const t = Template.fromStack(stack);

  test('private subnets with a NAT gateway (egress to AWS services) and flow logs', () => {
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
    const subnets = t.findResources('AWS::EC2::Subnet', { Properties: { MapPublicIpOnLaunch: false } });
    const ids = Object.keys(subnets).map((id) => ({ Ref: id }));
    t.hasResourceProperties('AWS::Lambda::CapacityProvider', { VpcConfig: { SubnetIds: Match.arrayWith(ids) } });
  });

  test('cdk-nag AwsSolutions: no unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('GPU providers', () => {
  test('maxGpus on one GPU type is exact: 4 x g6.2xlarge (8 vCPUs per GPU) = 32 vCPUs', () => {
    const { p, template, stack } = provider({ instanceFilter: InstanceFilter.types(['g6.2xlarge']), maxGpus: 4 });
    expect(p.isGpu).toBe(true);
    template().hasResourceProperties('AWS::Lambda::CapacityProvider', {
      InstanceRequirements: { AllowedInstanceTypes: ['g6.2xlarge'], Architectures: ['x86_64'] },
      CapacityProviderScalingConfig: { MaxVCpuCount: 32 },
    });
    expect(Annotations.fromStack(stack).findWarning('/Test/Provider', Match.anyValue())).toEqual([]);
  });

  test('default budget is 3 GPUs; never below what three instances need (warning)', () => {
    const { p, stack } = provider({ instanceFilter: InstanceFilter.types(['g6.4xlarge']) });
    expect(p.maxGpus).toBe(3);
    expect(p.maxVCpuCount).toBe(48);
    const small = provider({ instanceFilter: InstanceFilter.types(['g6.xlarge']), maxGpus: 1 });
    expect(small.p.maxVCpuCount).toBe(12);
    Annotations.fromStack(small.stack).hasWarning('/Test/Provider', Match.stringLikeRegexp('raised from 4 .* to 12'));
    expect(Annotations.fromStack(stack).findWarning('/Test/Provider', Match.anyValue())).toEqual([]);
  });

  test('several GPU types: the smallest vCPU-per-GPU ratio bounds the GPUs, with a warning', () => {
    const { p, stack } = provider({ instanceFilter: InstanceFilter.types(['g6.xlarge', 'g6.12xlarge']), maxGpus: 8 });
    expect(p.maxVCpuCount).toBe(32); // 8 GPUs x 4 vCPUs per GPU (g6.xlarge); g6.12xlarge also has 12 per GPU
    Annotations.fromStack(stack).hasWarning('/Test/Provider',
      Match.stringLikeRegexp('smallest vCPU-per-GPU ratio \\(4, g6.xlarge\\).*reaches only 2 GPUs'));
  });

  test('families filter allows every catalog size, optionally a subset', () => {
    const { template } = provider({ instanceFilter: InstanceFilter.families(['g6e'], { sizes: ['xlarge', '2xlarge'] }) });
    template().hasResourceProperties('AWS::Lambda::CapacityProvider', {
      InstanceRequirements: { AllowedInstanceTypes: ['g6e.xlarge', 'g6e.2xlarge'] },
    });
  });

  test('GPU target tracking is rendered next to CPU target tracking', () => {
    const { app, template } = provider({
      instanceFilter: InstanceFilter.types(['g6.xlarge']),
      scaling: ProviderScaling.targetTracking({ cpuUtilization: 70, gpuUtilization: 50 }),
    });
    template().hasResourceProperties('AWS::Lambda::CapacityProvider', {
      CapacityProviderScalingConfig: {
        MaxVCpuCount: 12, ScalingMode: 'Manual',
        ScalingPolicies: [
          { PredefinedMetricType: 'LambdaCapacityProviderAverageCPUUtilization', TargetValue: 70 },
          { PredefinedMetricType: GPU_UTILIZATION_METRIC, TargetValue: 50 },
        ],
      },
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('families outside the assumed Lambda GPU families warn', () => {
    const { stack } = provider({ instanceFilter: InstanceFilter.types(['g4dn.xlarge']) });
    Annotations.fromStack(stack).hasWarning('/Test/Provider', Match.stringLikeRegexp('g4dn are not known'));
  });

  test('snapshot', () => {
    const { stack } = provider({ instanceFilter: InstanceFilter.types(['g6.xlarge', 'g6.2xlarge']), maxGpus: 4,
      scaling: ProviderScaling.targetTracking({ gpuUtilization: 40 }) });
    expectSynthSnapshot(stack);
  });
});

describe('props pass through to lambda.CapacityProvider', () => {
  test('name, KMS key, tags, log group and level, CPU target tracking, exclude filter, arm64', () => {
    const { stack } = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef1', availabilityZones: ['a'], privateSubnetIds: ['subnet-1'], privateSubnetRouteTableIds: ['rtb-1'] });
    const kmsKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const logGroup = new logs.LogGroup(stack, 'Logs');
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    const role = new iam.Role(stack, 'Op', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const p = new ManagedInstancesCapacityProvider(stack, 'Provider', {
      vpc, capacityProviderName: 'agents', kmsKey, logGroup, systemLogLevel: lambda.SystemLogLevel.WARN, securityGroup: sg,
      operatorRole: role, architecture: lambda.Architecture.ARM_64, propagateTags: lambda.PropagateTags.explicit({ team: 'ml' }),
      instanceFilter: InstanceFilter.exclude(['c6g.large']), maxVCpuCount: 64, ec2VcpuQuota: 64,
      scaling: ProviderScaling.targetTracking({ cpuUtilization: 60 }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::CapacityProvider', {
      CapacityProviderName: 'agents',
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      PropagateTags: { Mode: 'Explicit', ExplicitTags: [{ Key: 'team', Value: 'ml' }] },
      TelemetryConfig: { LoggingConfig: { SystemLogLevel: 'WARN', LogGroup: { Ref: Match.stringLikeRegexp('^Logs') } } },
      InstanceRequirements: { Architectures: ['arm64'], ExcludedInstanceTypes: ['c6g.large'] },
      PermissionsConfig: { CapacityProviderOperatorRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Op'), 'Arn'] } },
      VpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Sg'), 'GroupId'] }] },
      CapacityProviderScalingConfig: { MaxVCpuCount: 64, ScalingMode: 'Manual',
        ScalingPolicies: [{ PredefinedMetricType: 'LambdaCapacityProviderAverageCPUUtilization', TargetValue: 60 }] },
    });
    expect(p.instanceTypes.some((i) => i.instanceType === 'c6g.large')).toBe(false);
    expect(p.instanceTypes.every((i) => i.architecture === 'arm64')).toBe(true);
  });
});

describe('metrics and grants', () => {
  const { stack, p } = provider();

  test('provider metrics: AWS/Lambda, CapacityProviderName, 5-minute average, optional InstanceType', () => {
    const names = [p.metricCpuUtilization(), p.metricMemoryUtilization(), p.metricVCpuAvailable(), p.metricVCpuAllocated(),
      p.metricMemoryAvailable(), p.metricMemoryAllocated()].map((m) => m.metricName);
    expect(names).toEqual(['CPUUtilization', 'MemoryUtilization', 'vCPUAvailable', 'vCPUAllocated', 'MemoryAvailable', 'MemoryAllocated']);
    const m = p.metricCpuUtilization({ instanceType: 'c7i.large' });
    expect(m.namespace).toBe('AWS/Lambda');
    expect(m.period.toMinutes()).toBe(5);
    expect(m.statistic).toBe('Average');
    expect(Object.keys(m.dimensions!)).toEqual(['CapacityProviderName', 'InstanceType']);
  });

  test('grantPass grants lambda:PassCapacityProvider on the provider', () => {
    const role = new iam.Role(stack, 'Deployer', { assumedBy: new iam.AccountRootPrincipal() });
    p.grantPass(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'lambda:PassCapacityProvider', Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Provider'), 'Arn'] } }] },
    });
  });
});

describe('validation', () => {
  const g6 = InstanceFilter.types(['g6.xlarge']);
  test.each<[string, ManagedInstancesCapacityProviderProps, ManagedInstancesCapacityProviderProps, string, string[]]>([
    ['unknown type', { instanceFilter: InstanceFilter.types(['c7i.large']) }, { instanceFilter: InstanceFilter.types(['t3.large']) },
      'UNKNOWN_INSTANCE_TYPE', ['"t3.large"', 'catalog']],
    ['unknown family', { instanceFilter: InstanceFilter.families(['m7i']) }, { instanceFilter: InstanceFilter.families(['x9']) },
      'UNKNOWN_INSTANCE_TYPE', ['"x9"']],
    ['empty filter', { instanceFilter: InstanceFilter.types(['c7i.large']) }, { instanceFilter: InstanceFilter.types([]) },
      'INSTANCE_FILTER_EMPTY', ['at least one']],
    ['no size of the family', { instanceFilter: InstanceFilter.families(['g6'], { sizes: ['xlarge'] }) },
      { instanceFilter: InstanceFilter.families(['g6'], { sizes: ['medium'] }) }, 'INSTANCE_FILTER_EMPTY', ['"medium"']],
    ['arm64 GPU type', { instanceFilter: g6 }, { instanceFilter: InstanceFilter.types(['g5g.xlarge']) },
      'ARCHITECTURE_MISMATCH', ['"g5g.xlarge"', 'x86_64', 'GPU functions']],
    ['architecture of types', { architecture: lambda.Architecture.ARM_64, instanceFilter: InstanceFilter.types(['m7g.large']) },
      { architecture: lambda.Architecture.ARM_64, instanceFilter: InstanceFilter.types(['m7i.large']) }, 'ARCHITECTURE_MISMATCH', ['arm64']],
    ['mixed GPU and CPU types', { instanceFilter: InstanceFilter.types(['g6.xlarge', 'g6e.xlarge']) },
      { instanceFilter: InstanceFilter.types(['g6.xlarge', 'c7i.large']) }, 'MIXED_GPU_AND_CPU_TYPES', ['only GPU types']],
    ['maxGpus range', { instanceFilter: g6, maxGpus: 1 }, { instanceFilter: g6, maxGpus: 0 }, 'GPU_COUNT_OUT_OF_RANGE', ['maxGpus = 0', '1 to 10000']],
    ['maxGpus past the service range', { instanceFilter: g6, maxGpus: 3750 }, { instanceFilter: g6, maxGpus: 3751 },
      'VCPU_COUNT_OUT_OF_RANGE', ['15004', '12 to 15000']],
    ['maxGpus on a CPU provider', {}, { maxGpus: 2 }, 'GPU_SETTING_ON_CPU_PROVIDER', ['maxGpus = 2']],
    ['maxGpus with maxVCpuCount', { instanceFilter: g6, maxVCpuCount: 24 }, { instanceFilter: g6, maxVCpuCount: 24, maxGpus: 2 },
      'EXCLUSIVE_PROPERTIES', ['one of maxGpus, maxVCpuCount']],
    ['maxVCpuCount range', { maxVCpuCount: 12 }, { maxVCpuCount: 11 }, 'VCPU_COUNT_OUT_OF_RANGE', ['maxVCpuCount = 11']],
    ['maxVCpuCount upper', { maxVCpuCount: 15000 }, { maxVCpuCount: 15001 }, 'VCPU_COUNT_OUT_OF_RANGE', ['15001']],
    ['G quota', { instanceFilter: g6, maxGpus: 4, ec2VcpuQuota: 16 }, { instanceFilter: g6, maxGpus: 5, ec2VcpuQuota: 16 },
      'VCPU_QUOTA_EXCEEDED', ['maxVCpuCount = 20', 'at most ec2VcpuQuota = 16', 'L-DB2E81BA', 'Running On-Demand G and VT instances']],
    ['P quota', { instanceFilter: InstanceFilter.types(['p5.4xlarge']), ec2VcpuQuota: 48 },
      { instanceFilter: InstanceFilter.types(['p5.4xlarge']), ec2VcpuQuota: 47 }, 'VCPU_QUOTA_EXCEEDED', ['L-417A185B']],
    ['Standard quota (service default 400 vCPUs)', { ec2VcpuQuota: 400 }, { ec2VcpuQuota: 399 }, 'VCPU_QUOTA_EXCEEDED',
      ['maxVCpuCount = 400', 'L-1216C47A', 'Standard']],
    ['GPU target on a CPU provider', { scaling: ProviderScaling.targetTracking({ cpuUtilization: 50 }) },
      { scaling: ProviderScaling.targetTracking({ gpuUtilization: 50 }) }, 'GPU_SETTING_ON_CPU_PROVIDER', ['scaling.gpuUtilization']],
    ['target range', { scaling: ProviderScaling.targetTracking({ cpuUtilization: 100 }) },
      { scaling: ProviderScaling.targetTracking({ cpuUtilization: 101 }) }, 'SCALING_TARGET_OUT_OF_RANGE', ['101', '1 to 100']],
    ['name', { capacityProviderName: 'gpu_pool-1' }, { capacityProviderName: 'gpu pool' }, 'NAME_INVALID', ['"gpu pool"']],
    ['propagated tags', { propagateTags: lambda.PropagateTags.explicit(Object.fromEntries([...Array(40).keys()].map((i) => [`k${i}`, 'v']))) },
      { propagateTags: lambda.PropagateTags.explicit(Object.fromEntries([...Array(41).keys()].map((i) => [`k${i}`, 'v']))) },
      'TAGS_OUT_OF_RANGE', ['propagateTags = 41', '0 to 40']],
    ['no target', { scaling: ProviderScaling.auto() }, { scaling: ProviderScaling.targetTracking({}) },
      'SCALING_TARGET_OUT_OF_RANGE', ['at least one of']],
  ])('%s', (_name, ok, bad, code, fragments) => {
    expect(() => provider(ok)).not.toThrow();
    expectError(() => provider(bad), code, ...fragments);
  });
});
