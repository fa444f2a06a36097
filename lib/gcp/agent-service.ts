import { Construct } from 'constructs';
import { isUnresolved, Validator } from '../core';
import { Annotations } from '../tf';
import { CLOUD_RUN_LIMITS } from './cloud-run-limits';
import { CloudRunServiceBase, CloudRunServiceOptions } from './cloud-run-service-base';
import { OllamaModelService } from './ollama-model-service';

/** Props of {@link AgentService}. */
export interface AgentServiceProps extends CloudRunServiceOptions {
  /** Container image of the agent server (apps/gemma-agent/agent/Dockerfile). */
  readonly image: string;
  /**
   * The model backend. The agent gets `OLLAMA_API_BASE` (its URL) and `GEMMA_MODEL_NAME` (its tag),
   * and its service account is allowed to invoke it (`model.allowInvokeFrom(agent)`).
   */
  readonly model: OllamaModelService;
  /** vCPUs: 1, 2, 4, 6 or 8. @default 1 */
  readonly cpu?: number;
  /** Memory in GiB, within the range Cloud Run allows for `cpu` (e.g. 0.5-4 for 1 vCPU). @default 2 */
  readonly memoryGiB?: number;
  /** Maximum concurrent requests per instance (1-1000). @default 10 */
  readonly concurrency?: number;
  /** Maximum instances (1-1000). @default 1 */
  readonly maxInstances?: number;
  /** ADK app name (`ADK_APP_NAME`). @default - not set: the agent server's own default */
  readonly appName?: string;
  /**
   * Session store URL (`SESSION_DB_URL`), e.g. `sqlite:///tmp/sessions.db` or a PostgreSQL URL. Keep
   * passwords out of it (use IAM database auth or a secret): a plain environment variable is readable
   * by anyone who can view the service. @default - not set: the agent server's embedded store, which
   * one instance alone sees (a warning fires when maxInstances > 1)
   */
  readonly sessionDbUrl?: string;
  /**
   * Let anyone on the internet invoke the agent (an `allUsers` `roles/run.invoker` binding). Never
   * the default: without it, callers need `roles/run.invoker` and an ID token. @default false
   */
  readonly publicAccess?: boolean;
}

/**
 * The ADK agent server on a CPU-only Cloud Run service, wired to an {@link OllamaModelService}:
 * `OLLAMA_API_BASE` is the backend's URL, `GEMMA_MODEL_NAME` its model tag, `GOOGLE_CLOUD_LOCATION`
 * the region (and `GOOGLE_CLOUD_PROJECT` when `project` is given). The agent's dedicated service
 * account gets `roles/run.invoker` on the backend and calls it with a Google-signed ID token; the
 * backend stays private. The agent is public only with `publicAccess: true`.
 */
export class AgentService extends CloudRunServiceBase {
  /** The model backend the agent calls. */
  public readonly model: OllamaModelService;

  constructor(scope: Construct, id: string, props: AgentServiceProps) {
    super(scope, id, props, (v) => agentSpec(v, props));
    this.model = props.model;
    props.model.allowInvokeFrom(this);
    if (props.publicAccess === true) this.grantInvoke('allUsers');

    if (props.sessionDbUrl === undefined && this.maxInstances > 1 && !isUnresolved(this.maxInstances)) {
      Annotations.of(this).addWarning(`maxInstances=${this.maxInstances} without sessionDbUrl: each instance keeps ` +
        'its own sessions, so a conversation breaks when a request lands on another instance. Set sessionDbUrl ' +
        'to a shared store (PostgreSQL / Cloud SQL).');
    }
    if (props.sessionDbUrl !== undefined && /:\/\/[^/@:]+:[^/@]+@/.test(props.sessionDbUrl)) {
      Annotations.of(this).addWarning('sessionDbUrl holds a password in a plain environment variable: use IAM ' +
        'database authentication or a Secret Manager secret instead.');
    }
  }
}

function agentSpec(v: Validator, props: AgentServiceProps) {
  const cpu = props.cpu ?? 1;
  const allowedCpu = Object.keys(CLOUD_RUN_LIMITS.cpuMemoryGiB).map(Number);
  v.oneOf('CPU_OUT_OF_RANGE', 'cpu', cpu, allowedCpu,
    'whole vCPUs (https://cloud.google.com/run/docs/configuring/services/cpu)');
  const memoryGiB = props.memoryGiB ?? 2;
  const range = CLOUD_RUN_LIMITS.cpuMemoryGiB[cpu];
  if (range && !isUnresolved(memoryGiB)) {
    v.numberInRange('MEMORY_OUT_OF_RANGE', 'memoryGiB', memoryGiB, range.min, range.max,
      `Cloud Run allows ${range.min}-${range.max} GiB with ${cpu} vCPU`);
  }
  const environment: Record<string, string> = {
    OLLAMA_API_BASE: props.model.uri,
    GEMMA_MODEL_NAME: props.model.modelTag,
    GOOGLE_CLOUD_LOCATION: props.region,
  };
  if (props.project !== undefined) environment.GOOGLE_CLOUD_PROJECT = props.project;
  if (props.appName !== undefined) environment.ADK_APP_NAME = props.appName;
  if (props.sessionDbUrl !== undefined) environment.SESSION_DB_URL = props.sessionDbUrl;
  return {
    image: props.image,
    cpu,
    memoryGiB,
    concurrency: props.concurrency ?? 10,
    maxInstances: props.maxInstances ?? 1,
    environment,
  };
}
