import {
  CloudRunV2Service,
  CloudRunV2ServiceTemplateContainersStartupProbe,
} from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Construct } from 'constructs';
import { isUnresolved, Validator } from '../core';
import { ITerraformDependable } from '../tf';
import { CLOUD_RUN_LIMITS } from './cloud-run-limits';

/** Where a Cloud Run service accepts traffic from (`ingress`). */
export enum CloudRunIngress {
  /** From the internet and from inside the project (Cloud Run's default). */
  ALL = 'INGRESS_TRAFFIC_ALL',
  /** Only from VPC networks and services of the project. */
  INTERNAL_ONLY = 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  /** From inside the project and from an external Application Load Balancer. */
  INTERNAL_AND_CLOUD_LOAD_BALANCING = 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
}

/** The startup probe of the serving container. */
export interface StartupProbeOptions {
  /** HTTP path to probe. @default - a TCP probe on the container port */
  readonly httpPath?: string;
  /** Seconds before the first probe (0-240). @default - the construct's default (model-load time for a model service, else 0) */
  readonly initialDelaySeconds?: number;
  /** Seconds between probes (1-240, at least `timeoutSeconds`). @default 10 */
  readonly periodSeconds?: number;
  /** Seconds one probe may take (1 up to `periodSeconds`). @default 5 */
  readonly timeoutSeconds?: number;
  /**
   * Failed probes before the container is shut down; `failureThreshold x periodSeconds` may not exceed
   * 240 s. @default - as many as fit in 240 s (24 at the default period)
   */
  readonly failureThreshold?: number;
}

/** An identity that can be granted access to a Cloud Run service. */
export interface IGrantee {
  /** IAM member string, e.g. `serviceAccount:agent@p.iam.gserviceaccount.com`. */
  readonly grantPrincipal: string;
}

/** Options every Cloud Run service construct of this library takes. */
export interface CloudRunServiceOptions {
  /** Service name: lowercase letters, digits and hyphens, starting with a letter, fewer than 50 characters. */
  readonly serviceName: string;
  /** Region, e.g. `europe-west1`. */
  readonly region: string;
  /** Project id. @default - the provider's project */
  readonly project?: string;
  /** Maximum concurrent requests per instance (1-1000). @default - the construct's default */
  readonly concurrency?: number;
  /** Minimum instances (0-1000). @default 0 */
  readonly minInstances?: number;
  /** Maximum instances (1-1000, at least minInstances). @default - the construct's default */
  readonly maxInstances?: number;
  /** Request timeout in seconds (1-3600). @default 300 */
  readonly timeoutSeconds?: number;
  /** Extra environment variables; they win over the ones the construct derives. @default - none */
  readonly environment?: Record<string, string>;
  /** Where the service accepts traffic from. @default CloudRunIngress.ALL (IAM still decides who may invoke) */
  readonly ingress?: CloudRunIngress;
  /** Labels on the service. @default - none */
  readonly labels?: Record<string, string>;
  /**
   * Whether Terraform refuses to delete the service. @default - the provider's default (true: `cdktf
   * destroy` fails until it is set to false and applied)
   */
  readonly deletionProtection?: boolean;
  /** Port the container listens on. @default 8080 */
  readonly containerPort?: number;
  /** Startup probe. @default - a TCP probe on the container port, sized by the construct */
  readonly startupProbe?: StartupProbeOptions;
  /** Id of the dedicated service account (6-30 characters). @default - derived from the service name */
  readonly serviceAccountId?: string;
  /** Resources that must exist first (e.g. `ProjectServices.dependables`). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/** What a subclass decides for the container and template. */
export interface CloudRunServiceSpec {
  /** Container image URL. */
  readonly image: string;
  /** vCPUs (rendered as the `cpu` limit). */
  readonly cpu: number;
  /** Memory in GiB (rendered as `<n>Gi`, or `<n>Mi` for fractions). */
  readonly memoryGiB: number;
  /** Maximum concurrent requests per instance. */
  readonly concurrency: number;
  /** Maximum instances. */
  readonly maxInstances: number;
  /** Environment the construct derives (options.environment is merged over it). */
  readonly environment: Record<string, string>;
  /** Extra container `limits` (e.g. `nvidia.com/gpu`). */
  readonly extraLimits?: Record<string, string>;
  /** `cpuIdle` (false = instance-based billing). */
  readonly cpuIdle?: boolean;
  /** `startupCpuBoost`. */
  readonly startupCpuBoost?: boolean;
  /** GPU node selector value. */
  readonly accelerator?: string;
  /** `gpuZonalRedundancyDisabled`. */
  readonly gpuZonalRedundancyDisabled?: boolean;
  /** Service launch stage, when not GA. */
  readonly launchStage?: string;
  /** Default startup probe initial delay, seconds. */
  readonly defaultProbeInitialDelaySeconds?: number;
  /** Default startup probe HTTP path. */
  readonly defaultProbeHttpPath?: string;
}

/**
 * The Cloud Run v2 service, its dedicated service account and its invoker bindings: what
 * {@link CloudRunGpuService} and {@link AgentService} share. Nothing here makes a service public: the
 * only invoker bindings are the ones {@link grantInvoke} adds.
 */
export abstract class CloudRunServiceBase extends Construct implements IGrantee {
  /** The `google_cloud_run_v2_service` (construct id `Resource`). */
  public readonly service: CloudRunV2Service;
  /** The service's dedicated service account (construct id `ServiceAccount`). */
  public readonly serviceAccount: ServiceAccount;
  /** Service name. */
  public readonly serviceName: string;
  /** Region. */
  public readonly region: string;
  /** Maximum concurrent requests per instance. */
  public readonly concurrency: number;
  /** Maximum instances. */
  public readonly maxInstances: number;
  /** Minimum instances. */
  public readonly minInstances: number;
  /** The environment the container gets, after merging. */
  public readonly environment: Readonly<Record<string, string>>;
  /** IAM member of the service's identity: `serviceAccount:<email>`. */
  public readonly grantPrincipal: string;
  private readonly invokers = new Map<string, CloudRunV2ServiceIamMember>();
  private readonly project?: string;

  protected constructor(scope: Construct, id: string, options: CloudRunServiceOptions,
    spec: (v: Validator) => CloudRunServiceSpec) {
    super(scope, id);
    const v = new Validator(this.node.path);
    v.matches('INVALID_NAME', 'serviceName', options.serviceName, CLOUD_RUN_LIMITS.serviceName,
      'lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, fewer than 50 characters');
    const accountId = options.serviceAccountId ?? defaultAccountId(options.serviceName);
    v.matches('INVALID_NAME', 'serviceAccountId', accountId, CLOUD_RUN_LIMITS.serviceAccountId,
      '6-30 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen');
    const s = spec(v);
    this.serviceName = options.serviceName;
    this.region = options.region;
    this.project = options.project;
    this.concurrency = s.concurrency;
    this.maxInstances = s.maxInstances;
    this.minInstances = options.minInstances ?? 0;

    const L = CLOUD_RUN_LIMITS;
    v.integerInRange('CONCURRENCY_OUT_OF_RANGE', 'concurrency', s.concurrency, L.concurrency.min, L.concurrency.max,
      'Cloud Run allows 1-1000 requests per instance');
    v.integerInRange('REPLICAS_OUT_OF_RANGE', 'minInstances', this.minInstances, L.instances.min, L.instances.max);
    v.integerInRange('REPLICAS_OUT_OF_RANGE', 'maxInstances', s.maxInstances, 1, L.instances.max);
    v.ordered('MIN_GREATER_THAN_MAX', 'minInstances', this.minInstances, 'maxInstances', s.maxInstances);
    const timeoutSeconds = options.timeoutSeconds ?? 300;
    v.integerInRange('TIMEOUT_OUT_OF_RANGE', 'timeoutSeconds', timeoutSeconds, L.timeoutSeconds.min, L.timeoutSeconds.max);
    const containerPort = options.containerPort ?? 8080;
    v.integerInRange('PORT_OUT_OF_RANGE', 'containerPort', containerPort, 1, 65535);
    const probe = startupProbe(v, containerPort, options.startupProbe ?? {}, s);

    this.environment = { ...s.environment, ...options.environment };
    for (const name of Object.keys(this.environment)) {
      if (RESERVED_ENV.includes(name)) {
        v.fail('RESERVED_ENV', `environment.${name}`, this.environment[name],
          `a name other than ${RESERVED_ENV.join(', ')}`, 'Cloud Run sets these itself');
      }
    }

    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', {
      accountId,
      project: options.project,
      displayName: `Cloud Run service ${options.serviceName}`,
      dependsOn: options.dependsOn,
    });
    this.grantPrincipal = this.serviceAccount.member;

    this.service = new CloudRunV2Service(this, 'Resource', {
      name: options.serviceName,
      location: options.region,
      project: options.project,
      ingress: options.ingress ?? CloudRunIngress.ALL,
      labels: options.labels,
      launchStage: s.launchStage,
      deletionProtection: options.deletionProtection,
      dependsOn: options.dependsOn,
      template: {
        serviceAccount: this.serviceAccount.email,
        maxInstanceRequestConcurrency: s.concurrency,
        timeout: `${timeoutSeconds}s`,
        scaling: { minInstanceCount: this.minInstances, maxInstanceCount: s.maxInstances },
        labels: options.labels,
        nodeSelector: s.accelerator ? { accelerator: s.accelerator } : undefined,
        gpuZonalRedundancyDisabled: s.gpuZonalRedundancyDisabled,
        containers: [{
          image: s.image,
          ports: { containerPort },
          env: Object.keys(this.environment).length === 0 ? undefined
            : Object.entries(this.environment).map(([name, value]) => ({ name, value })),
          resources: {
            limits: { cpu: String(s.cpu), memory: memoryQuantity(s.memoryGiB), ...s.extraLimits },
            cpuIdle: s.cpuIdle,
            startupCpuBoost: s.startupCpuBoost,
          },
          startupProbe: probe,
        }],
      },
    });
  }

  /** The service URL (`https://<name>-<hash>.<region>.run.app`), known after deploy. */
  public get uri(): string {
    return this.service.uri;
  }


  /**
   * Grants `roles/run.invoker` on this service to `member` (an IAM member string such as
   * `serviceAccount:x@p.iam.gserviceaccount.com`, `user:a@b.com`, or `allUsers` for public access).
   * Calling it twice for one member adds one binding. `id` names the binding construct.
   * @param id construct id of the binding @default - `PublicInvoker` for allUsers, else `Invoker<n>`
   */
  public grantInvoke(member: string, id?: string): CloudRunV2ServiceIamMember {
    const existing = this.invokers.get(member);
    if (existing) return existing;
    const bindingId = id ?? (member === 'allUsers' ? 'PublicInvoker' : `Invoker${this.invokers.size + 1}`);
    const binding = new CloudRunV2ServiceIamMember(this, bindingId, {
      name: this.service.name,
      location: this.service.location,
      project: this.project,
      role: 'roles/run.invoker',
      member,
    });
    this.invokers.set(member, binding);
    return binding;
  }

  /**
   * Lets `grantee` (e.g. an {@link AgentService}) invoke this service with a Google-signed ID token
   * whose audience is this service's URL. Idempotent.
   */
  public allowInvokeFrom(grantee: IGrantee): CloudRunV2ServiceIamMember {
    const id = grantee instanceof Construct ? `InvokerFrom${grantee.node.id}` : undefined;
    return this.grantInvoke(grantee.grantPrincipal, id);
  }
}

/** Environment variables Cloud Run reserves (https://cloud.google.com/run/docs/container-contract#env-vars). */
const RESERVED_ENV = ['PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION'];

/** `sa-<service name>` cut to 30 characters, without a trailing hyphen, padded to 6. */
function defaultAccountId(serviceName: string): string {
  if (isUnresolved(serviceName)) return 'run-service';
  let id = serviceName.slice(0, 30).replace(/-+$/, '');
  while (id.length < 6) id += '-sa';
  return id.slice(0, 30).replace(/-+$/, '');
}

function memoryQuantity(gib: number): string {
  return Number.isInteger(gib) ? `${gib}Gi` : `${Math.round(gib * 1024)}Mi`;
}

function startupProbe(v: Validator, port: number, o: StartupProbeOptions, s: CloudRunServiceSpec):
CloudRunV2ServiceTemplateContainersStartupProbe {
  const P = CLOUD_RUN_LIMITS.startupProbe;
  const periodSeconds = o.periodSeconds ?? 10;
  const timeoutSeconds = o.timeoutSeconds ?? Math.min(5, periodSeconds);
  const initialDelaySeconds = o.initialDelaySeconds ?? s.defaultProbeInitialDelaySeconds ?? 0;
  v.integerInRange('PROBE_OUT_OF_RANGE', 'startupProbe.periodSeconds', periodSeconds, P.periodSeconds.min, P.periodSeconds.max);
  v.integerInRange('PROBE_OUT_OF_RANGE', 'startupProbe.timeoutSeconds', timeoutSeconds, P.timeoutSeconds.min, periodSeconds,
    'at most periodSeconds');
  v.integerInRange('PROBE_OUT_OF_RANGE', 'startupProbe.initialDelaySeconds', initialDelaySeconds,
    P.initialDelaySeconds.min, P.initialDelaySeconds.max);
  const maxFailures = Math.max(1, Math.floor(P.windowSeconds / periodSeconds));
  const failureThreshold = o.failureThreshold ?? maxFailures;
  v.integerInRange('PROBE_OUT_OF_RANGE', 'startupProbe.failureThreshold', failureThreshold, 1, maxFailures,
    `failureThreshold x periodSeconds may not exceed ${P.windowSeconds} s`);
  const httpPath = o.httpPath ?? s.defaultProbeHttpPath;
  return {
    initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold,
    ...(httpPath !== undefined ? { httpGet: { path: httpPath, port } } : { tcpSocket: { port } }),
  };
}
