import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ValidationError } from '../../lib';
import { ManagedInstancesCapacityProvider, ManagedInstancesMonitoring, MultiConcurrencyFunction } from '../../lib/aws';
import { expectSynthSnapshot } from '../support/snapshot';
import { nagFindings, newStack } from './support';

function fixture() {
  const { stack } = newStack();
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['a'],
    privateSubnetIds: ['subnet-1'], privateSubnetRouteTableIds: ['rtb-1'] });
  const provider = new ManagedInstancesCapacityProvider(stack, 'Provider', { vpc });
  const fn = new MultiConcurrencyFunction(stack, 'Fn', { capacityProvider: provider, runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler', code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Code', 'code-bucket'), 'fn.zip') });
  return { stack, provider, fn };
}

describe('ManagedInstancesMonitoring', () => {
  const { stack, provider, fn } = fixture();
  const topic = new sns.Topic(stack, 'Alarms', { enforceSSL: true });
  const mon = new ManagedInstancesMonitoring(stack, 'Monitoring', { alarmTopic: topic, dashboardName: 'gemma' })
    .addCapacityProvider(provider).addFunction(fn);
  const t = Template.fromStack(stack);

  test('dashboard and four alarms, each notifying the topic', () => {
    t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'gemma' });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    expect(mon.alarms).toHaveLength(4);
    for (const alarm of Object.values(t.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Alarms/) }]);
    }
  });

  test('provider CPU alarm: AWS/Lambda CPUUtilization > 80 % for 3 x 5 minutes', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda', MetricName: 'CPUUtilization', Threshold: 80, EvaluationPeriods: 3, Period: 300,
      ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'CapacityProviderName', Value: Match.anyValue() }],
    });
  });

  test('function alarms: throttles, errors, concurrency saturation', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Statistic: 'Sum', Threshold: 0 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Statistic: 'Sum', Threshold: 0 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 90, Metrics: Match.arrayWith([
      Match.objectLike({ Expression: '100 * c / l' })]) });
  });

  test('cdk-nag AwsSolutions: no unacknowledged findings', () => expect(nagFindings(stack)).toEqual([]));

  test('snapshot', () => expectSynthSnapshot(stack));
});

describe('ManagedInstancesMonitoring validation', () => {
  test.each([
    ['cpuUtilizationThreshold', 100, 0], ['concurrencySaturationThreshold', 1, 101],
  ] as const)('%s', (prop, ok, bad) => {
    expect(() => new ManagedInstancesMonitoring(newStack().stack, 'Monitoring', { [prop]: ok })).not.toThrow();
    let err: unknown;
    try { new ManagedInstancesMonitoring(newStack().stack, 'Monitoring', { [prop]: bad }); } catch (e) { err = e; }
    expect((err as ValidationError).code).toBe('SCALING_TARGET_OUT_OF_RANGE');
    expect((err as Error).message).toContain(`Test/Monitoring: ${prop} = ${bad} is invalid; allowed: a number from 1 to 100`);
  });
});
