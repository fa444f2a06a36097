import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Model, Precision, ValidationError } from '../../lib';
import {
  InstanceFilter, LambdaAccelerator, ManagedInstancesCapacityProvider, MultiConcurrencyFunction,
  MultiConcurrencyFunctionProps,
} from '../../lib/aws';
import { expectSynthSnapshot } from '../support/snapshot';
import { imageCode, nagFindings, newStack } from './support';

interface Fixture { app: App; stack: Stack; cpu: ManagedInstancesCapacityProvider; gpu: ManagedInstancesCapacityProvider }

function fixture(): Fixture {
  const { app, stack } = newStack();
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['a', 'b', 'c'],
    privateSubnetIds: ['subnet-1', 'subnet-2', 'subnet-3'], privateSubnetRouteTableIds: ['rtb-1', 'rtb-2', 'rtb-3'],
  });
  const cpu = new ManagedInstancesCapacityProvider(stack, 'Cpu', { vpc });
  const gpu = new ManagedInstancesCapacityProvider(stack, 'Gpu', { vpc, instanceFilter: InstanceFilter.types(['g6.xlarge', 'g6e.xlarge']) });
  return { app, stack, cpu, gpu };
}

type Overrides = Partial<MultiConcurrencyFunctionProps> & { provider?: 'cpu' | 'gpu' };

function nodeFn(f: Fixture, o: Overrides = {}, id = 'Fn'): MultiConcurrencyFunction {
  const { provider, ...rest } = o;
  return new MultiConcurrencyFunction(f.stack, id, {
    capacityProvider: provider === 'gpu' ? f.gpu : f.cpu,
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler',
    code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(f.stack, `${id}Code`, 'code-bucket'), 'fn.zip'),
    ...rest,
  });
}

function gpuFn(f: Fixture, o: Overrides = {}, id = 'Model'): MultiConcurrencyFunction {
  return nodeFn(f, { provider: 'gpu', runtime: lambda.Runtime.FROM_IMAGE, handler: lambda.Handler.FROM_IMAGE,
    code: imageCode(f.stack), memorySize: 8192, accelerator: LambdaAccelerator.memoryGiB(24), ...o }, id);
}

describe('CPU function defaults', () => {
  const f = fixture();
  const fn = nodeFn(f);
  fn.grantInvoke(new iam.Role(f.stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
  const t = Template.fromStack(f.stack);

  test('attached to the provider: 2 GiB per vCPU, runtime default concurrency, 2 GB, provider architecture', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048, Architectures: ['x86_64'], PublishToLatestPublished: false,
      CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: {
        CapacityProviderArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cpu'), 'Arn'] },
        ExecutionEnvironmentMemoryGiBPerVCpu: 2, PerExecutionEnvironmentMaxConcurrency: Match.absent(),
      } },
      AcceleratorConfig: Match.absent(),
    });
  });

  test('publishes a version with the alias live', () => {
    t.resourceCountIs('AWS::Lambda::Version', 1);
    t.hasResourceProperties('AWS::Lambda::Version', { FunctionScalingConfig: Match.absent() });
    t.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', FunctionVersion: { 'Fn::GetAtt': [Match.anyValue(), 'Version'] } });
    expect(fn.alias.aliasName).toBe('live');
  });

  test('thread-safety note suited to Node.js', () => {
    Annotations.fromStack(f.stack).hasInfo('/Test/Fn', Match.stringLikeRegexp('worker threads'));
  });

  test('execution environment metrics carry CapacityProviderName and FunctionName', () => {
    const metrics = [fn.metricExecutionEnvironmentConcurrency(), fn.metricExecutionEnvironmentConcurrencyLimit(),
      fn.metricExecutionEnvironmentCpuUtilization(), fn.metricExecutionEnvironmentMemoryUtilization()];
    expect(metrics.map((m) => m.metricName)).toEqual(['ExecutionEnvironmentConcurrency', 'ExecutionEnvironmentConcurrencyLimit',
      'ExecutionEnvironmentCPUUtilization', 'ExecutionEnvironmentMemoryUtilization']);
    for (const m of metrics) {
      expect(m.namespace).toBe('AWS/Lambda');
      expect(Object.keys(m.dimensions!)).toEqual(['CapacityProviderName', 'FunctionName']);
    }
  });

  test('grantInvoke covers the alias', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Resource: Match.arrayWith([
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Fn'), 'Arn'] }, ':*']] }]) }] },
    });
  });
});

describe('CPU function with every option', () => {
  const f = fixture();
  nodeFn(f, { perExecutionEnvironmentMaxConcurrency: 200, memoryGiBPerVCpu: 4, memorySize: 8192,
    minExecutionEnvironments: 3, maxExecutionEnvironments: 30, aliasName: 'prod' });
  const t = Template.fromStack(f.stack);

  test('renders concurrency, memory per vCPU and the version scaling config', () => {
    t.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 8192, CapacityProviderConfig: {
      LambdaManagedInstancesCapacityProviderConfig: { PerExecutionEnvironmentMaxConcurrency: 200, ExecutionEnvironmentMemoryGiBPerVCpu: 4 } } });
    t.hasResourceProperties('AWS::Lambda::Version', { FunctionScalingConfig: { MinExecutionEnvironments: 3, MaxExecutionEnvironments: 30 } });
    t.hasResourceProperties('AWS::Lambda::Alias', { Name: 'prod' });
  });

  test('snapshot', () => expectSynthSnapshot(f.stack));
});

describe('thread-safety notes per runtime', () => {
  test.each([
    [lambda.Runtime.PYTHON_3_13, '/tmp'], [lambda.Runtime.JAVA_21, 'OS threads'], [lambda.Runtime.DOTNET_8, 'tasks'],
    [lambda.Runtime.PROVIDED_AL2023, 'OS-only'],
  ])('%s', (runtime, text) => {
    const f = fixture();
    nodeFn(f, { runtime });
    Annotations.fromStack(f.stack).hasInfo('/Test/Fn', Match.stringLikeRegexp(text));
  });
});

describe('GPU function', () => {
  const f = fixture();
  const fn = gpuFn(f, { model: Model.gemma3('12b'), perExecutionEnvironmentMaxConcurrency: 4,
    minExecutionEnvironments: 0, maxExecutionEnvironments: 3 });
  const t = Template.fromStack(f.stack);
  const cfn = Object.values(t.findResources('AWS::Lambda::Function'))[0];

  test('AcceleratorConfig holds exactly { AcceleratorMemorySize }', () => {
    expect(cfn.Properties.AcceleratorConfig).toEqual({ AcceleratorMemorySize: 24 });
    expect(cfn.Properties.PackageType).toBe('Image');
    expect(cfn.Properties.Architectures).toEqual(['x86_64']);
    expect(fn.acceleratorMemoryGiB).toBe(24);
  });

  test('nothing else is added by raw override (the F3002 acknowledgement covers the whole resource)', () => {
    const cfnFn = fn.node.defaultChild as lambda.CfnFunction;
    const overrides = (cfnFn as unknown as { rawOverrides: Record<string, unknown> }).rawOverrides;
    expect(overrides).toEqual({ Properties: { AcceleratorConfig: { AcceleratorMemorySize: 24 } } });
  });

  test('F3002 is acknowledged on the GPU CfnFunction only, and the app synthesizes with validation on', () => {
    const acks = (c: { node: { metadata: Array<{ type: string; data: unknown }> } }) =>
      JSON.stringify(c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data));
    expect(acks(fn.node.defaultChild as lambda.CfnFunction)).toContain('CloudFormation-Validate::F3002');
    expect(acks(f.stack as never)).not.toContain('F3002');
    expect(() => f.app.synth()).not.toThrow();
  });

  test('scale to zero is allowed with a warning', () => {
    t.hasResourceProperties('AWS::Lambda::Version', { FunctionScalingConfig: { MinExecutionEnvironments: 0, MaxExecutionEnvironments: 3 } });
    Annotations.fromStack(f.stack).hasWarning('/Test/Model', Match.stringLikeRegexp('scales to zero'));
  });

  test('the version hash follows the accelerator memory', () => {
    const other = fixture();
    const fn12 = gpuFn(other, { accelerator: LambdaAccelerator.memoryGiB(12) });
    expect(other.stack.resolve((fn12.version.node.defaultChild as lambda.CfnVersion).logicalId))
      .not.toEqual(f.stack.resolve((fn.version.node.defaultChild as lambda.CfnVersion).logicalId));
  });

  test('cdk-nag AwsSolutions: no unacknowledged findings', () => {
    expect(nagFindings(f.stack)).toEqual([]);
  });

  test('snapshot', () => expectSynthSnapshot(f.stack));
});

describe('LambdaAccelerator', () => {
  test.each([3, 6, 12, 16, 24, 48])('memoryGiB(%i)', (gib) => expect(LambdaAccelerator.memoryGiB(gib).memoryGiB).toBe(gib));
  test('other sizes fail', () => {
    expect(() => LambdaAccelerator.memoryGiB(32)).toThrow('[ACCELERATOR_MEMORY_INVALID] LambdaAccelerator.memoryGiB: ' +
      'acceleratorMemorySize = 32 is invalid; allowed: one of: 3, 6, 12, 16, 24, 48');
  });
  test('forModel picks the smallest size that fits', () => {
    expect(LambdaAccelerator.forModel(Model.gemma3('270m')).memoryGiB).toBe(3);
    expect(LambdaAccelerator.forModel(Model.gemma3('12b')).memoryGiB).toBe(12);
    expect(LambdaAccelerator.forModel(Model.gemma3('27b')).memoryGiB).toBe(24);
    expect(() => LambdaAccelerator.forModel(Model.gemma3('27b'), Precision.BF16)).toThrow(/MODEL_DOES_NOT_FIT.*48 GiB/);
  });
});

describe('validation', () => {
  function expectError(make: (f: Fixture) => unknown, code: string, ...fragments: string[]) {
    let err: unknown;
    try { make(fixture()); } catch (e) { err = e; }
    expect(ValidationError.isValidationError(err)).toBe(true);
    expect((err as ValidationError).code).toBe(code);
    for (const s of fragments) expect((err as Error).message).toContain(s);
  }

  test.each<[string, (f: Fixture) => unknown, (f: Fixture) => unknown, string, string[]]>([
    ['runtime', (f) => nodeFn(f, { runtime: lambda.Runtime.NODEJS_22_X }), (f) => nodeFn(f, { runtime: lambda.Runtime.NODEJS_20_X }),
      'RUNTIME_NOT_SUPPORTED', ['"nodejs20.x"', 'Node.js 22+']],
    ['python', (f) => nodeFn(f, { runtime: lambda.Runtime.PYTHON_3_13 }), (f) => nodeFn(f, { runtime: lambda.Runtime.PYTHON_3_12 }),
      'RUNTIME_NOT_SUPPORTED', ['"python3.12"']],
    ['java', (f) => nodeFn(f, { runtime: lambda.Runtime.JAVA_21 }), (f) => nodeFn(f, { runtime: lambda.Runtime.JAVA_17 }),
      'RUNTIME_NOT_SUPPORTED', ['"java17"']],
    ['concurrency', (f) => nodeFn(f, { perExecutionEnvironmentMaxConcurrency: 1600 }),
      (f) => nodeFn(f, { perExecutionEnvironmentMaxConcurrency: 1601 }), 'CONCURRENCY_OUT_OF_RANGE', ['1601', '1 to 1600']],
    ['concurrency zero', (f) => nodeFn(f, { perExecutionEnvironmentMaxConcurrency: 1 }),
      (f) => nodeFn(f, { perExecutionEnvironmentMaxConcurrency: 0 }), 'CONCURRENCY_OUT_OF_RANGE', ['= 0']],
    ['memory per vCPU', (f) => nodeFn(f, { memoryGiBPerVCpu: 8 }), (f) => nodeFn(f, { memoryGiBPerVCpu: 9 }),
      'MEMORY_PER_VCPU_OUT_OF_RANGE', ['memoryGiBPerVCpu = 9', '2 to 8']],
    ['memory', (f) => nodeFn(f, { memorySize: 2048 }), (f) => nodeFn(f, { memorySize: 1024 }), 'MEMORY_OUT_OF_RANGE', ['memorySize = 1024', '2 GB']],
    ['architecture', (f) => nodeFn(f, { architecture: lambda.Architecture.X86_64 }),
      (f) => nodeFn(f, { architecture: lambda.Architecture.ARM_64 }), 'ARCHITECTURE_MISMATCH', ['"arm64"', 'x86_64']],
    ['min and max together', (f) => nodeFn(f, { minExecutionEnvironments: 1, maxExecutionEnvironments: 1 }),
      (f) => nodeFn(f, { minExecutionEnvironments: 1 }), 'EXECUTION_ENVIRONMENTS_INCOMPLETE', ['both set']],
    ['min <= max', (f) => nodeFn(f, { minExecutionEnvironments: 5, maxExecutionEnvironments: 5 }),
      (f) => nodeFn(f, { minExecutionEnvironments: 6, maxExecutionEnvironments: 5 }), 'MIN_GREATER_THAN_MAX', ['"minExecutionEnvironments":6']],
    ['max range', (f) => nodeFn(f, { minExecutionEnvironments: 1, maxExecutionEnvironments: 15000 }),
      (f) => nodeFn(f, { minExecutionEnvironments: 1, maxExecutionEnvironments: 15001 }), 'EXECUTION_ENVIRONMENTS_OUT_OF_RANGE', ['15001']],
    ['min 0 only with max 0 on CPU', (f) => nodeFn(f, { minExecutionEnvironments: 0, maxExecutionEnvironments: 0 }),
      (f) => nodeFn(f, { minExecutionEnvironments: 0, maxExecutionEnvironments: 2 }), 'SCALE_TO_ZERO_NOT_SUPPORTED', ['GPU functions only']],
    ['GPU needs an image', (f) => gpuFn(f), (f) => gpuFn(f, { runtime: lambda.Runtime.PYTHON_3_13, handler: 'a.b',
      code: lambda.Code.fromInline('x') }), 'GPU_NEEDS_CONTAINER_IMAGE', ['Runtime.FROM_IMAGE']],
    ['GPU needs a GPU provider', (f) => gpuFn(f), (f) => gpuFn(f, { provider: 'cpu' }), 'GPU_PROVIDER_REQUIRED', ['"Test/Cpu"']],
    ['GPU memory within the provider', (f) => gpuFn(f, { accelerator: LambdaAccelerator.memoryGiB(48) }),
      (f) => { f.gpu = new ManagedInstancesCapacityProvider(f.stack, 'G6', { vpc: f.cpu.vpc, instanceFilter: InstanceFilter.types(['g6.xlarge']) });
        return gpuFn(f, { accelerator: LambdaAccelerator.memoryGiB(48) }); }, 'ACCELERATOR_MEMORY_INVALID', ['= 48', 'at most 24 GiB']],
    ['model fits', (f) => gpuFn(f, { model: Model.gemma3('27b') }),
      (f) => gpuFn(f, { model: Model.gemma3('27b'), accelerator: LambdaAccelerator.memoryGiB(16) }), 'MODEL_DOES_NOT_FIT',
      ['"gemma3-27b@ollama-default"', 'at most 16 GiB']],
    ['model only with an accelerator', (f) => gpuFn(f, { model: Model.gemma3('1b') }),
      (f) => nodeFn(f, { model: Model.gemma3('1b') }), 'GPU_PROVIDER_REQUIRED', ['"gemma3-1b"']],
  ])('%s', (_name, ok, bad, code, fragments) => {
    expect(() => ok(fixture())).not.toThrow();
    expectError(bad, code, 'Test/', ...fragments);
  });

  test('arm64 GPU function fails', () => {
    const f = fixture();
    const arm = new ManagedInstancesCapacityProvider(f.stack, 'Arm', { vpc: f.cpu.vpc, architecture: lambda.Architecture.ARM_64 });
    expect(() => new MultiConcurrencyFunction(f.stack, 'G', { capacityProvider: arm, runtime: lambda.Runtime.FROM_IMAGE,
      handler: lambda.Handler.FROM_IMAGE, code: imageCode(f.stack), accelerator: LambdaAccelerator.memoryGiB(24) }))
      .toThrow(/\[ARCHITECTURE_MISMATCH\] Test\/G: architecture = "arm64".*x86_64/);
  });
});
