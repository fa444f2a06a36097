import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  addAwsManagedInstancesApp, GemmaAgentManagedInstancesStack, PLACEHOLDER_IMAGES,
} from '../../apps/aws-managed-instances';
import { nagFindings, TEST_CONTEXT } from '../aws/support';
import { expectSynthSnapshot } from '../support/snapshot';

describe('AWS Lambda Managed Instances sample app', () => {
  const app = new App({ context: TEST_CONTEXT });
  const [stack] = addAwsManagedInstancesApp(app) as [GemmaAgentManagedInstancesStack];
  const t = Template.fromStack(stack);

  test('one stack', () => {
    expect(app.node.children.filter((c) => c instanceof Stack).map((c) => c.node.id)).toEqual(['GemmaAgentManagedInstances']);
  });

  test('GPU provider: g6.xlarge, maxGpus 3 -> 12 vCPUs, GPU target tracking 40 %', () => {
    expect(stack.gpuProvider.maxGpus).toBe(3);
    t.hasResourceProperties('AWS::Lambda::CapacityProvider', {
      InstanceRequirements: { AllowedInstanceTypes: ['g6.xlarge'], Architectures: ['x86_64'] },
      CapacityProviderScalingConfig: { MaxVCpuCount: 12, ScalingMode: 'Manual',
        ScalingPolicies: [{ PredefinedMetricType: 'LambdaCapacityProviderAverageGPUUtilization', TargetValue: 40 }] },
    });
  });

  test('CPU provider for the agent: Graviton, separate from the GPU provider', () => {
    t.hasResourceProperties('AWS::Lambda::CapacityProvider', {
      InstanceRequirements: { Architectures: ['arm64'],
        AllowedInstanceTypes: ['c7g.large', 'c7g.xlarge', 'm7g.large', 'm7g.xlarge'] },
      CapacityProviderScalingConfig: { MaxVCpuCount: 12 },
    });
    t.resourceCountIs('AWS::Lambda::CapacityProvider', 2);
  });

  test('model: GPU container function, 24 GiB accelerator, concurrency = OLLAMA_NUM_PARALLEL', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image', Code: { ImageUri: { Ref: 'ModelImageUri' } }, AcceleratorConfig: { AcceleratorMemorySize: 24 },
      Architectures: ['x86_64'], MemorySize: 8192,
      CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { PerExecutionEnvironmentMaxConcurrency: 4 } },
      Environment: { Variables: Match.objectLike({ OLLAMA_NUM_PARALLEL: '4', OLLAMA_HOST: '0.0.0.0:8080', AWS_LWA_PORT: '8080' }) },
    });
  });

  test('agent: arm64 container function calling the model through the signing proxy', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Code: { ImageUri: { Ref: 'AgentImageUri' } }, Architectures: ['arm64'],
      Environment: { Variables: Match.objectLike({
        OLLAMA_API_BASE: 'http://127.0.0.1:8081', GEMMA_MODEL_NAME: 'gemma3:4b',
        MODEL_FUNCTION_URL: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ModelAliasFunctionUrl'), 'FunctionUrl'] },
        SESSION_DB_SECRET_ARN: { Ref: Match.stringLikeRegexp('^SessionsSecretAttachment') },
      }) },
    });
  });

  test('both Function URLs are IAM-only; the agent may invoke the model URL', () => {
    const urls = Object.values(t.findResources('AWS::Lambda::Url'));
    expect(urls.map((u) => u.Properties.AuthType)).toEqual(['AWS_IAM', 'AWS_IAM']);
    t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([
      Match.objectLike({ Action: 'lambda:InvokeFunctionUrl', Resource: { Ref: Match.stringLikeRegexp('^ModelAlias') } }),
    ]) } });
  });

  test('no password in any function environment: the agent reads the secret', () => {
    for (const fn of Object.values(t.findResources('AWS::Lambda::Function'))) {
      expect(JSON.stringify(fn.Properties.Environment ?? {})).not.toMatch(/password|SecretString/i);
    }
    t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([
      Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] }),
    ]) } });
  });

  test('sessions: Aurora Serverless v2 PostgreSQL, encrypted, reachable from the agent provider only', () => {
    t.hasResourceProperties('AWS::RDS::DBCluster', { Engine: 'aurora-postgresql', StorageEncrypted: true,
      ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 2, SecondsUntilAutoPause: 600 } });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: 'tcp', Description: 'agent sessions',
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CpuProviderSecurityGroup'), 'GroupId'] } });
  });

  test('placeholder images synthesize; a rule stops the deploy until images are set', () => {
    expect(t.toJSON().Parameters.ModelImageUri.Default).toBe(PLACEHOLDER_IMAGES.model);
    expect(t.toJSON().Rules.ModelImageUriIsSet.Assertions[0].Assert).toEqual(
      { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ModelImageUri' }, PLACEHOLDER_IMAGES.model] }] });
    expect(t.toJSON().Rules.AgentImageUriIsSet.Assertions[0].AssertDescription).toContain('-c agentImageUri=');
  });

  test('alarms and a dashboard for both providers and both functions', () => {
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2 + 2 * 3);
  });

  test('no warnings', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('cdk-nag AwsSolutions: no unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('synthesizes with CloudFormation validation on', () => {
    expect(() => app.synth()).not.toThrow();
  });

  test('snapshot', () => expectSynthSnapshot(stack));
});

test('image URIs from context become the parameter defaults; scale to zero warns', () => {
  const app = new App({ context: { ...TEST_CONTEXT, modelImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/m:1' } });
  const [stack] = addAwsManagedInstancesApp(app, { agentImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/a:1',
    modelScaleToZero: true });
  const json = Template.fromStack(stack).toJSON();
  expect(json.Parameters.ModelImageUri.Default).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/m:1');
  expect(json.Parameters.AgentImageUri.Default).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/a:1');
  Annotations.fromStack(stack).hasWarning('/GemmaAgentManagedInstances/Model', Match.stringLikeRegexp('scales to zero'));
});
