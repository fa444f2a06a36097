import { Annotations, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Model, Precision, ValidationError, Validator, isUnresolved } from '../core';
import { ManagedInstancesCapacityProvider } from './capacity-provider';
import { renderAcceleratorConfig } from './overrides';

const GIB = 1024 ** 3;

/** Limits of functions on Lambda Managed Instances (Lambda API reference and developer guide, 2025-12). */
export const MULTI_CONCURRENCY_LIMITS = {
  /** `PerExecutionEnvironmentMaxConcurrency`. */
  concurrency: { min: 1, max: 1600 },
  /** `ExecutionEnvironmentMemoryGiBPerVCpu`. */
  memoryGiBPerVCpu: { min: 2, max: 8 },
  /** Function memory, MB. */
  minMemoryMB: 2048,
  /** `MinExecutionEnvironments` / `MaxExecutionEnvironments`. */
  executionEnvironments: { min: 0, max: 15_000 },
} as const;

/** Documented default concurrency per vCPU of each runtime family (developer guide, runtime pages). */
export const DEFAULT_CONCURRENCY_PER_VCPU = { nodejs: 64, java: 32, dotnet: 32, python: 16 } as const;

/** `AcceleratorMemorySize` values the Lambda API accepts, GiB. */
export const ACCELERATOR_MEMORY_SIZES_GIB = [3, 6, 12, 16, 24, 48] as const;

/**
 * The accelerator of a GPU function: the minimum memory of each accelerator device exposed to an execution
 * environment (`AcceleratorConfig.AcceleratorMemorySize`; Lambda may allocate more).
 */
export class LambdaAccelerator {
  /** `AcceleratorMemorySize` in GiB: 3, 6, 12, 16, 24 or 48. */
  public static memoryGiB(gib: number): LambdaAccelerator {
    new Validator('LambdaAccelerator.memoryGiB').oneOf('ACCELERATOR_MEMORY_INVALID', 'acceleratorMemorySize', gib,
      ACCELERATOR_MEMORY_SIZES_GIB as readonly number[]);
    return new LambdaAccelerator(gib);
  }

  /** The smallest documented size that holds `model` at `precision` (OLLAMA_DEFAULT by default). */
  public static forModel(model: Model, precision: Precision = Precision.OLLAMA_DEFAULT): LambdaAccelerator {
    const need = model.requiredAcceleratorMemoryBytes(precision);
    const size = ACCELERATOR_MEMORY_SIZES_GIB.find((s) => s * GIB >= need);
    if (size === undefined) {
      throw new ValidationError({
        code: 'MODEL_DOES_NOT_FIT', path: 'LambdaAccelerator.forModel', property: 'model', value: `${model.name}@${precision}`,
        allowed: `a model needing at most 48 GiB (needs ${(need / GIB).toFixed(1)} GiB)`,
      });
    }
    return new LambdaAccelerator(size);
  }

  private constructor(
    /** Minimum accelerator memory per device, GiB. */
    public readonly memoryGiB: number,
  ) {}
}

/** Properties of a {@link MultiConcurrencyFunction}. */
export interface MultiConcurrencyFunctionProps extends lambda.FunctionProps {
  /** The capacity provider the function runs on. */
  readonly capacityProvider: ManagedInstancesCapacityProvider;
  /**
   * Requests one execution environment serves at once (1-1600).
   * @default - the runtime's default per vCPU (Node.js 64, Java 32, .NET 32, Python 16), decided by Lambda
   */
  readonly perExecutionEnvironmentMaxConcurrency?: number;
  /** Memory per vCPU of an execution environment, GiB (2-8). @default 2 */
  readonly memoryGiBPerVCpu?: number;
  /**
   * Minimum execution environments of the published version (0-15000; set together with the maximum).
   * 0 with a maximum of 0 deactivates the version; 0 with a maximum above 0 (scale to zero) is allowed for GPU
   * functions only, with a warning.
   * @default - service default (3)
   */
  readonly minExecutionEnvironments?: number;
  /** Maximum execution environments of the published version (0-15000, at least the minimum). @default - no maximum */
  readonly maxExecutionEnvironments?: number;
  /** GPU memory per execution environment (GPU functions: container image, x86_64, GPU provider). @default - no GPU */
  readonly accelerator?: LambdaAccelerator;
  /** The model the function serves, checked to fit the accelerator memory. @default - not checked */
  readonly model?: Model;
  /** Precision the model is served at. @default Precision.OLLAMA_DEFAULT */
  readonly modelPrecision?: Precision;
  /** Name of the alias that points at the published version. @default 'live' */
  readonly aliasName?: string;
}

/** The runtime family and whether Lambda Managed Instances supports the version. */
function runtimeSupport(runtime: lambda.Runtime): { family: string; supported: boolean } {
  if (runtime === lambda.Runtime.FROM_IMAGE) return { family: 'image', supported: true };
  const name = runtime.name;
  const num = (re: RegExp) => Number((re.exec(name) ?? [])[1] ?? NaN);
  if (name.startsWith('nodejs')) return { family: 'nodejs', supported: num(/^nodejs(\d+)/) >= 22 };
  if (name.startsWith('python')) return { family: 'python', supported: num(/^python3\.(\d+)/) >= 13 };
  if (name.startsWith('java')) return { family: 'java', supported: num(/^java(\d+)/) >= 21 };
  if (name.startsWith('dotnet')) return { family: 'dotnet', supported: num(/^dotnet(\d+)/) >= 8 };
  if (name.startsWith('provided')) return { family: 'provided', supported: num(/^provided\.al(\d+)/) >= 2023 };
  return { family: name, supported: false };
}

const THREAD_SAFETY: Record<string, string> = {
  nodejs: 'Node.js runs concurrent requests on worker threads with async/await: requests on one worker share ' +
    'its global state and handler object; keep per-request state out of module scope.',
  java: 'Java runs concurrent requests on OS threads in one process: shared state must be thread-safe.',
  dotnet: '.NET runs concurrent requests as tasks in one process: shared state must be thread-safe.',
  python: 'Python runs each concurrent request in its own process: memory is not shared, but /tmp is; use ' +
    'request-unique file names.',
  provided: 'OS-only runtimes receive concurrent requests (AWS_LAMBDA_MAX_CONCURRENCY): the handler must be thread-safe.',
  image: 'Container images receive concurrent requests (AWS_LAMBDA_MAX_CONCURRENCY): the server in the image must ' +
    'handle them, and memory, GPU memory and /tmp are shared.',
};

/**
 * A Lambda function on a {@link ManagedInstancesCapacityProvider}: runtime-aware multi-concurrency, validated
 * Lambda Managed Instances limits, optional GPU (`accelerator`), a published version with an alias (`live`),
 * and the execution environment metrics. It is a `lambda.Function`: `grantInvoke`, `metricErrors`,
 * `metricThrottles`, `metricDuration` and `addFunctionUrl` work as usual; invoke through {@link alias}.
 */
export class MultiConcurrencyFunction extends lambda.Function {
  /** The alias (default `live`) of the published version. */
  public readonly alias: lambda.Alias;
  /** The published version. */
  public readonly version: lambda.Version;
  /** The capacity provider. */
  public readonly capacityProvider: ManagedInstancesCapacityProvider;
  /** GPU memory per execution environment, GiB, for GPU functions. */
  public readonly acceleratorMemoryGiB?: number;

  constructor(scope: Construct, id: string, props: MultiConcurrencyFunctionProps) {
    const path = scope.node.path ? `${scope.node.path}/${id}` : id;
    const memorySize = props.memorySize ?? MULTI_CONCURRENCY_LIMITS.minMemoryMB;
    const architecture = props.architecture ?? props.capacityProvider.architecture;
    MultiConcurrencyFunction.validate(path, props, memorySize, architecture);
    const { capacityProvider, perExecutionEnvironmentMaxConcurrency, memoryGiBPerVCpu, minExecutionEnvironments,
      maxExecutionEnvironments, accelerator, model, modelPrecision, aliasName, ...functionProps } = props;
    super(scope, id, { ...functionProps, memorySize, architecture });
    this.capacityProvider = capacityProvider;
    if (!props.role && this.role) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The default Lambda execution role: AWSLambdaBasicExecutionRole only lets the function write its own logs.',
      });
    }

    const gpuScaleToZero = accelerator !== undefined && minExecutionEnvironments === 0 && (maxExecutionEnvironments ?? 0) > 0;
    capacityProvider.addFunction(this, {
      perExecutionEnvironmentMaxConcurrency,
      executionEnvironmentMemoryGiBPerVCpu: memoryGiBPerVCpu ?? 2,
      // The function publishes its own version (below); $LATEST.PUBLISHED would start a second set of environments.
      publishToLatestPublished: false,
    });
    if (accelerator) {
      this.acceleratorMemoryGiB = accelerator.memoryGiB;
      renderAcceleratorConfig(this.node.defaultChild as lambda.CfnFunction, accelerator.memoryGiB);
    }
    if (gpuScaleToZero) {
      Annotations.of(this).addWarningV2('cdk-gpu-inference:GpuScaleToZero',
        'minExecutionEnvironments = 0: the GPU function scales to zero. Scaling out from zero takes minutes while ' +
        'Lambda launches GPU instances, and requests fail when no GPU capacity is free (lambda-managed-instances-gpu-scaling).');
    }

    const family = runtimeSupport(props.runtime).family;
    Annotations.of(this).addInfo(`Multi-concurrency: ${THREAD_SAFETY[family] ?? THREAD_SAFETY.image}`);

    this.version = this.currentVersion;
    if (minExecutionEnvironments !== undefined || maxExecutionEnvironments !== undefined) {
      (this.version.node.defaultChild as lambda.CfnVersion).functionScalingConfig = {
        minExecutionEnvironments, maxExecutionEnvironments,
      };
    }
    this.alias = new lambda.Alias(this, 'Alias', { aliasName: aliasName ?? 'live', version: this.version });
  }

  /** An execution environment metric (`AWS/Lambda`, dimensions `CapacityProviderName`, `FunctionName`), 5-minute average. */
  public metricExecutionEnvironment(metricName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Lambda', metricName,
      dimensionsMap: { CapacityProviderName: this.capacityProvider.capacityProviderName, FunctionName: this.functionName },
      period: Duration.minutes(5), statistic: cloudwatch.Stats.AVERAGE, ...options,
    });
  }

  /** Requests in flight per execution environment. */
  public metricExecutionEnvironmentConcurrency(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricExecutionEnvironment('ExecutionEnvironmentConcurrency', options);
  }

  /** The concurrency limit per execution environment. */
  public metricExecutionEnvironmentConcurrencyLimit(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricExecutionEnvironment('ExecutionEnvironmentConcurrencyLimit', options);
  }

  /** CPU utilization of the execution environments, percent. */
  public metricExecutionEnvironmentCpuUtilization(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricExecutionEnvironment('ExecutionEnvironmentCPUUtilization', { unit: cloudwatch.Unit.PERCENT, ...options });
  }

  /** Memory utilization of the execution environments, percent. */
  public metricExecutionEnvironmentMemoryUtilization(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricExecutionEnvironment('ExecutionEnvironmentMemoryUtilization', { unit: cloudwatch.Unit.PERCENT, ...options });
  }

  private static validate(path: string, props: MultiConcurrencyFunctionProps, memorySize: number,
    architecture: lambda.Architecture): void {
    const v = new Validator(path);
    const provider = props.capacityProvider;
    const L = MULTI_CONCURRENCY_LIMITS;
    const rt = runtimeSupport(props.runtime);
    if (!rt.supported) {
      v.fail('RUNTIME_NOT_SUPPORTED', 'runtime', props.runtime.name,
        'Node.js 22+, Python 3.13+, Java 21+, .NET 8+, provided.al2023 or a container image (Runtime.FROM_IMAGE)');
    }
    v.integerInRange('CONCURRENCY_OUT_OF_RANGE', 'perExecutionEnvironmentMaxConcurrency',
      props.perExecutionEnvironmentMaxConcurrency, L.concurrency.min, L.concurrency.max);
    v.numberInRange('MEMORY_PER_VCPU_OUT_OF_RANGE', 'memoryGiBPerVCpu', props.memoryGiBPerVCpu,
      L.memoryGiBPerVCpu.min, L.memoryGiBPerVCpu.max);
    v.integerInRange('MEMORY_OUT_OF_RANGE', 'memorySize', memorySize, L.minMemoryMB, Number.MAX_SAFE_INTEGER,
      'functions on Lambda Managed Instances need at least 2 GB');
    if (!isUnresolved(architecture.name) && architecture.name !== provider.architecture.name) {
      v.fail('ARCHITECTURE_MISMATCH', 'architecture', architecture.name, `the provider's architecture, ${provider.architecture.name}`);
    }
    const { minExecutionEnvironments: min, maxExecutionEnvironments: max } = props;
    if ((min === undefined) !== (max === undefined)) {
      v.fail('EXECUTION_ENVIRONMENTS_INCOMPLETE', 'minExecutionEnvironments/maxExecutionEnvironments',
        { minExecutionEnvironments: min, maxExecutionEnvironments: max }, 'both set, or neither');
    }
    v.integerInRange('EXECUTION_ENVIRONMENTS_OUT_OF_RANGE', 'minExecutionEnvironments', min,
      L.executionEnvironments.min, L.executionEnvironments.max);
    v.integerInRange('EXECUTION_ENVIRONMENTS_OUT_OF_RANGE', 'maxExecutionEnvironments', max,
      L.executionEnvironments.min, L.executionEnvironments.max);
    v.ordered('MIN_GREATER_THAN_MAX', 'minExecutionEnvironments', min, 'maxExecutionEnvironments', max);
    if (min === 0 && max !== undefined && !isUnresolved(max) && max > 0 && !props.accelerator) {
      v.fail('SCALE_TO_ZERO_NOT_SUPPORTED', 'minExecutionEnvironments', 0,
        'at least 1 when maxExecutionEnvironments > 0 (0 only with maxExecutionEnvironments = 0, which deactivates the version)',
        'scale to zero is documented for GPU functions only');
    }
    if (props.accelerator) {
      if (props.runtime !== lambda.Runtime.FROM_IMAGE) {
        v.fail('GPU_NEEDS_CONTAINER_IMAGE', 'runtime', props.runtime.name, 'Runtime.FROM_IMAGE (a container image function)');
      }
      if (architecture.name !== 'x86_64') {
        v.fail('ARCHITECTURE_MISMATCH', 'architecture', architecture.name, 'x86_64 (GPU functions run on x86_64 only)');
      }
      if (!provider.isGpu) {
        v.fail('GPU_PROVIDER_REQUIRED', 'capacityProvider', provider.node.path, 'a provider whose instance filter admits GPU types');
      }
      if (props.accelerator.memoryGiB > provider.maxGpuMemoryGiB) {
        v.fail('ACCELERATOR_MEMORY_INVALID', 'accelerator', props.accelerator.memoryGiB,
          `at most ${provider.maxGpuMemoryGiB} GiB, the largest GPU of the provider's instance types`);
      }
      if (props.model) {
        const precision = props.modelPrecision ?? Precision.OLLAMA_DEFAULT;
        const need = props.model.requiredAcceleratorMemoryBytes(precision);
        if (need > props.accelerator.memoryGiB * GIB) {
          v.fail('MODEL_DOES_NOT_FIT', 'model', `${props.model.name}@${precision}`,
            `a model needing at most ${props.accelerator.memoryGiB} GiB`, `needs ${(need / GIB).toFixed(1)} GiB; raise accelerator memory`);
        }
      }
    } else if (props.model) {
      v.fail('GPU_PROVIDER_REQUIRED', 'model', props.model.name, 'a model only together with an accelerator');
    }
  }
}
