/**
 * Sample app: the Gemma agent system on AWS Lambda Managed Instances.
 *
 * - Model: Ollama serving Gemma 3 4B, fronted by the AWS Lambda Web Adapter, as a GPU function on a GPU capacity
 *   provider (g6.xlarge, one NVIDIA L4 each; `maxGpus` budget; `AcceleratorMemorySize` 24 GiB).
 * - Agent: the ADK agent server (apps/gemma-agent) as a multi-concurrency container function on a Graviton CPU
 *   provider, behind a Function URL with IAM auth. It reaches the model's IAM-only Function URL through a SigV4
 *   signing proxy in its image (OLLAMA_API_BASE=http://127.0.0.1:8081).
 * - Sessions: Aurora Serverless v2 PostgreSQL; credentials in Secrets Manager, read at start-up by the agent image.
 * - A dashboard and alarms for both providers and both functions.
 *
 * Images are inputs (`-c modelImageUri=... -c agentImageUri=...`, or MODEL_IMAGE_URI / AGENT_IMAGE_URI): without them
 * the app synthesizes with placeholders and a CloudFormation rule stops `cdk deploy` before anything is created.
 */
import { App, CfnOutput, CfnParameter, CfnRule, Duration, Fn, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { Accelerator, Model, ModelServingSpec } from '../../lib';
import {
  InstanceFilter, LambdaAccelerator, ManagedInstancesCapacityProvider, ManagedInstancesMonitoring, MultiConcurrencyFunction,
  ProviderScaling,
} from '../../lib/aws';

/** Name of this app in `SAMPLE_APPS`. */
export const AWS_MANAGED_INSTANCES_APP = 'aws-managed-instances';

/** Placeholder image URIs: synth works without images; deploy stops at the CloudFormation rule. */
export const PLACEHOLDER_IMAGES = {
  model: '111111111111.dkr.ecr.us-east-1.amazonaws.com/set-context-modelImageUri:placeholder',
  agent: '111111111111.dkr.ecr.us-east-1.amazonaws.com/set-context-agentImageUri:placeholder',
} as const;

/** Options of {@link addAwsManagedInstancesApp}. */
export interface AwsManagedInstancesAppProps {
  /** Stack props (env, tags). @default - environment-agnostic */
  readonly stackProps?: StackProps;
  /** Model image URI (Ollama + Lambda Web Adapter). @default - context `modelImageUri`, env MODEL_IMAGE_URI, or a placeholder */
  readonly modelImageUri?: string;
  /** Agent image URI (ADK agent + Lambda Web Adapter + SigV4 proxy). @default - context `agentImageUri`, env AGENT_IMAGE_URI, or a placeholder */
  readonly agentImageUri?: string;
  /** Let the model function scale to zero (GPU instances stop when idle; the first request takes minutes). @default false */
  readonly modelScaleToZero?: boolean;
}

/** Function code from an image URI held in a CloudFormation parameter (no asset, no Docker at synth). */
class ImageUriCode extends lambda.Code {
  public readonly isInline = false;
  constructor(private readonly imageUri: string) { super(); }
  public bind(): lambda.CodeConfig {
    return { image: { imageUri: this.imageUri } };
  }
}

/** The Gemma agent system on Lambda Managed Instances (one stack). */
export class GemmaAgentManagedInstancesStack extends Stack {
  /** The model serving plan the stack renders. */
  public readonly spec: ModelServingSpec;
  /** GPU capacity provider of the model. */
  public readonly gpuProvider: ManagedInstancesCapacityProvider;
  /** CPU capacity provider of the agent. */
  public readonly cpuProvider: ManagedInstancesCapacityProvider;
  /** The model function (Ollama). */
  public readonly model: MultiConcurrencyFunction;
  /** The agent function. */
  public readonly agent: MultiConcurrencyFunction;

  constructor(scope: Construct, id: string, props: AwsManagedInstancesAppProps = {}) {
    super(scope, id, {
      description: 'cdk-gpu-inference: Gemma agent on AWS Lambda Managed Instances (GPU model + multi-concurrency agent)',
      ...props.stackProps,
    });

    this.spec = new ModelServingSpec({
      model: Model.gemma3('4b'), accelerator: Accelerator.nvidiaL4(), concurrency: 4, maxReplicas: 3,
    });

    const images = {
      model: this.imageParameter('ModelImageUri', props.modelImageUri ?? this.node.tryGetContext('modelImageUri') ??
        process.env.MODEL_IMAGE_URI, PLACEHOLDER_IMAGES.model, 'modelImageUri'),
      agent: this.imageParameter('AgentImageUri', props.agentImageUri ?? this.node.tryGetContext('agentImageUri') ??
        process.env.AGENT_IMAGE_URI, PLACEHOLDER_IMAGES.agent, 'agentImageUri'),
    };

    // One provider per trust boundary: the model and the agent never share instances.
    this.gpuProvider = new ManagedInstancesCapacityProvider(this, 'GpuProvider', {
      instanceFilter: InstanceFilter.types(['g6.xlarge']),
      maxGpus: this.spec.maxAccelerators,
      scaling: ProviderScaling.targetTracking({ gpuUtilization: 40 }),
    });
    this.cpuProvider = new ManagedInstancesCapacityProvider(this, 'CpuProvider', {
      vpc: this.gpuProvider.vpc,
      architecture: lambda.Architecture.ARM_64,
      instanceFilter: InstanceFilter.families(['c7g', 'm7g'], { sizes: ['large', 'xlarge'] }),
      maxVCpuCount: 12,
    });

    const scaleToZero = props.modelScaleToZero ?? false;
    this.model = new MultiConcurrencyFunction(this, 'Model', {
      capacityProvider: this.gpuProvider,
      description: `Ollama serving ${this.spec.model.ollamaTag} behind the Lambda Web Adapter`,
      runtime: lambda.Runtime.FROM_IMAGE, handler: lambda.Handler.FROM_IMAGE, code: new ImageUriCode(images.model),
      memorySize: 8192, memoryGiBPerVCpu: 4, timeout: Duration.minutes(5),
      accelerator: LambdaAccelerator.memoryGiB(24), model: this.spec.model,
      // Ollama serves OLLAMA_NUM_PARALLEL at once and queues the rest unseen: keep both equal.
      perExecutionEnvironmentMaxConcurrency: this.spec.ollamaNumParallel,
      minExecutionEnvironments: scaleToZero ? 0 : 1, maxExecutionEnvironments: this.spec.maxReplicas,
      environment: {
        ...this.spec.ollamaEnvironment(),
        HOME: '/tmp',
        AWS_LWA_PORT: String(this.spec.server.port),
        AWS_LWA_READINESS_CHECK_PATH: this.spec.server.healthPath,
        AWS_LWA_ASYNC_INIT: 'true',
      },
    });
    const modelUrl = this.model.alias.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

    const db = new rds.DatabaseCluster(this, 'Sessions', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
      vpc: this.gpuProvider.vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      serverlessV2MinCapacity: 0, serverlessV2MaxCapacity: 2, serverlessV2AutoPauseDuration: Duration.minutes(10),
      credentials: rds.Credentials.fromGeneratedSecret('gemma_agent'),
      defaultDatabaseName: 'sessions', storageEncrypted: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    db.connections.allowDefaultPortFrom(this.cpuProvider.securityGroup, 'agent sessions');
    const secret = db.secret!;
    Validations.of(db).acknowledge({ id: 'AwsSolutions-RDS10',
      reason: 'Sample app: cdk destroy must remove the session store; enable deletion protection for production data.' });
    Validations.of(db).acknowledge({ id: 'AwsSolutions-RDS11',
      reason: 'Only the agent capacity provider security group reaches the cluster; the port adds nothing.' });
    Validations.of(db).acknowledge({ id: 'AwsSolutions-RDS6',
      reason: 'The agent authenticates with the Secrets Manager credentials; IAM database auth needs agent code support.' });
    Validations.of(db).acknowledge({ id: 'AwsSolutions-SMG4',
      reason: 'Sample app: rotation needs a rotation function in the VPC; add db.addRotationSingleUser() for production.' });

    this.agent = new MultiConcurrencyFunction(this, 'Agent', {
      capacityProvider: this.cpuProvider,
      description: 'ADK agent server (apps/gemma-agent) behind the Lambda Web Adapter',
      runtime: lambda.Runtime.FROM_IMAGE, handler: lambda.Handler.FROM_IMAGE, code: new ImageUriCode(images.agent),
      architecture: lambda.Architecture.ARM_64, memorySize: 2048, timeout: Duration.minutes(5),
      minExecutionEnvironments: 1, maxExecutionEnvironments: 3,
      environment: {
        PORT: '8080', AWS_LWA_PORT: '8080', AWS_LWA_READINESS_CHECK_PATH: '/health',
        GEMMA_MODEL_NAME: this.spec.model.ollamaTag!,
        // The SigV4 proxy in the agent image signs for the model's IAM-only Function URL.
        OLLAMA_API_BASE: 'http://127.0.0.1:8081',
        MODEL_FUNCTION_URL: modelUrl.url,
        SESSION_DB_SECRET_ARN: secret.secretArn,
        SESSION_DB_NAME: 'sessions',
      },
    });
    this.model.alias.grantInvokeUrl(this.agent);
    this.model.alias.grantInvoke(this.agent);
    secret.grantRead(this.agent);
    const agentUrl = this.agent.alias.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

    new ManagedInstancesMonitoring(this, 'Monitoring')
      .addCapacityProvider(this.gpuProvider).addCapacityProvider(this.cpuProvider)
      .addFunction(this.model).addFunction(this.agent);

    new CfnOutput(this, 'AgentUrl', { value: agentUrl.url, description: 'IAM-auth Function URL of the agent (ADK REST API)' });
    new CfnOutput(this, 'ModelUrl', { value: modelUrl.url, description: 'IAM-auth Function URL of the model (agent only)' });
    new CfnOutput(this, 'MaxGpus', { value: String(this.gpuProvider.maxGpus) });
  }

  /**
   * A CloudFormation parameter holding an image URI (default: the given value or the placeholder) and a rule that
   * fails `cdk deploy` while the placeholder is in use.
   */
  private imageParameter(id: string, value: string | undefined, placeholder: string, contextKey: string): string {
    const param = new CfnParameter(this, id, {
      type: 'String', default: value ?? placeholder,
      description: `Container image URI (set with -c ${contextKey}=<uri>)`,
    });
    new CfnRule(this, `${id}IsSet`, {
      assertions: [{
        assert: Fn.conditionNot(Fn.conditionEquals(param.valueAsString, placeholder)),
        assertDescription: `${id} is the synth-only placeholder: build and push the image (README, "AWS Lambda Managed ` +
          `Instances app"), then deploy with -c ${contextKey}=<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`,
      }],
    });
    return param.valueAsString;
  }
}

/** Adds the sample app's stack to `app` (no side effects on import). */
export function addAwsManagedInstancesApp(app: App, props: AwsManagedInstancesAppProps = {}): Stack[] {
  return [new GemmaAgentManagedInstancesStack(app, 'GemmaAgentManagedInstances', props)];
}
