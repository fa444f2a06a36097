import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Validator } from '../core';
import { ManagedInstancesCapacityProvider } from './capacity-provider';
import { MultiConcurrencyFunction } from './multi-concurrency-function';

/** Properties of {@link ManagedInstancesMonitoring}. */
export interface ManagedInstancesMonitoringProps {
  /** Dashboard name. @default - generated */
  readonly dashboardName?: string;
  /** Topic every alarm notifies. @default - alarms without actions */
  readonly alarmTopic?: sns.ITopic;
  /** Provider CPU utilization that raises the alarm, percent (1-100). @default 80 */
  readonly cpuUtilizationThreshold?: number;
  /** Execution environment concurrency, as percent of its limit, that raises the alarm (1-100). @default 90 */
  readonly concurrencySaturationThreshold?: number;
}

/**
 * A CloudWatch dashboard and alarms for capacity providers and their functions: provider CPU and memory
 * utilization and vCPU allocation; per function throttles (HTTP 429 when traffic more than doubles within
 * five minutes), errors, duration and execution environment concurrency against its limit.
 */
export class ManagedInstancesMonitoring extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Every alarm created, in order. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  private readonly props: ManagedInstancesMonitoringProps;

  constructor(scope: Construct, id: string, props: ManagedInstancesMonitoringProps = {}) {
    super(scope, id);
    const v = new Validator(this.node.path);
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'cpuUtilizationThreshold', props.cpuUtilizationThreshold, 1, 100);
    v.numberInRange('SCALING_TARGET_OUT_OF_RANGE', 'concurrencySaturationThreshold', props.concurrencySaturationThreshold, 1, 100);
    this.props = props;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
  }

  /** Adds a provider's graphs and its CPU utilization alarm. */
  public addCapacityProvider(provider: ManagedInstancesCapacityProvider): this {
    const name = provider.node.id;
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${name}: CPU and memory utilization (%)`,
        left: [provider.metricCpuUtilization(), provider.metricMemoryUtilization()], width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: `${name}: vCPUs allocated / available`,
        left: [provider.metricVCpuAllocated(), provider.metricVCpuAvailable()], width: 12,
      }),
    );
    this.addAlarm(provider.metricCpuUtilization().createAlarm(this, `${name}CpuHigh`, {
      alarmDescription: `${provider.node.path}: instance CPU utilization high; raise maxVCpuCount/maxGpus or the quota`,
      threshold: this.props.cpuUtilizationThreshold ?? 80, evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
    return this;
  }

  /** Adds a function's graphs and its throttle, error and concurrency saturation alarms. */
  public addFunction(fn: MultiConcurrencyFunction): this {
    const name = fn.node.id;
    const saturation = new cloudwatch.MathExpression({
      label: 'concurrency / limit (%)',
      expression: '100 * c / l',
      usingMetrics: { c: fn.metricExecutionEnvironmentConcurrency(), l: fn.metricExecutionEnvironmentConcurrencyLimit() },
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: `${name}: invocations, errors, throttles`, width: 8,
        left: [fn.metricInvocations(), fn.metricErrors(), fn.metricThrottles()] }),
      new cloudwatch.GraphWidget({ title: `${name}: duration p50 / p99`, width: 8,
        left: [fn.metricDuration({ statistic: 'p50' }), fn.metricDuration({ statistic: 'p99' })] }),
      new cloudwatch.GraphWidget({ title: `${name}: execution environments`, width: 8,
        left: [saturation], right: [fn.metricExecutionEnvironmentCpuUtilization(), fn.metricExecutionEnvironmentMemoryUtilization()] }),
    );
    const common = {
      evaluationPeriods: 1, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    };
    this.addAlarm(fn.metricThrottles({ statistic: 'Sum' }).createAlarm(this, `${name}Throttles`, {
      ...common, threshold: 0, alarmDescription: `${fn.node.path}: throttled (429) requests; traffic grew faster than scaling`,
    }));
    this.addAlarm(fn.metricErrors({ statistic: 'Sum' }).createAlarm(this, `${name}Errors`, {
      ...common, threshold: 0, alarmDescription: `${fn.node.path}: function errors`,
    }));
    this.addAlarm(saturation.createAlarm(this, `${name}ConcurrencySaturated`, {
      ...common, evaluationPeriods: 2, threshold: this.props.concurrencySaturationThreshold ?? 90,
      alarmDescription: `${fn.node.path}: execution environments near their concurrency limit`,
    }));
    return this;
  }

  private addAlarm(alarm: cloudwatch.Alarm): void {
    if (this.props.alarmTopic) alarm.addAlarmAction(new actions.SnsAction(this.props.alarmTopic));
    this.alarms.push(alarm);
  }
}
