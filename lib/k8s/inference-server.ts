import { DeploymentV1, DeploymentV1Config } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Construct } from 'constructs';
import { AcceleratorKind } from '../core/accelerator';
import { ModelServingSpec, ServerKind } from '../core/serving';
import { Validator } from '../core/validate';
import { IAcceleratorPool, Toleration } from './cluster';
import { IManifestSource, KubernetesManifest, validateManifest } from './manifest';
import { PodMonitoring } from './pod-monitoring';

/** JetStream (MaxText engine) settings. */
export interface JetStreamOptions {
  /** `load_parameters_path`: the MaxText checkpoint (converted weights) in Cloud Storage, e.g. `gs://bucket/final/unscanned/gemma3_4b/0/items`. */
  readonly checkpointPath: string;
  /** MaxText `model_name`. @default - from the model, e.g. `gemma3-4b` */
  readonly maxTextModelName?: string;
  /** MaxText `tokenizer_path`. @default 'assets/tokenizer.gemma3' */
  readonly tokenizerPath?: string;
  /** `per_device_batch_size` (decode slots per device). @default - the spec's concurrency */
  readonly perDeviceBatchSize?: number;
  /** `max_prefill_predict_length`. @default 1024 */
  readonly maxPrefillPredictLength?: number;
  /** `max_target_length`. @default 2048 */
  readonly maxTargetLength?: number;
  /** JetStream HTTP server image. @default 'us-docker.pkg.dev/cloud-tpu-images/inference/jetstream-http:v0.2.2' */
  readonly httpImage?: string;
}

/** vLLM settings. */
export interface VllmOptions {
  /** Secret (key `hf_api_token`) holding a Hugging Face token, for gated models such as Gemma. @default - no token */
  readonly huggingFaceTokenSecret?: string;
  /** `--max-model-len`. @default - the model's own */
  readonly maxModelLen?: number;
}

/** Props of {@link InferenceServer}. */
export interface InferenceServerProps {
  /** What to serve: model, server (JetStream or vLLM), accelerator, concurrency, replica bounds. */
  readonly spec: ModelServingSpec;
  /** The accelerator node pool the replicas run on. @default - no node selector (the cluster must offer the accelerator resource) */
  readonly nodePool?: IAcceleratorPool;
  /** Namespace. @default 'default' */
  readonly namespace?: string;
  /** Name of the Deployment, Service and labels. @default - the spec's name */
  readonly name?: string;
  /** JetStream settings (required with `ModelServer.jetstream()`). @default - none */
  readonly jetstream?: JetStreamOptions;
  /** vLLM settings. @default - none */
  readonly vllm?: VllmOptions;
  /** CPU request per replica. @default '4' */
  readonly cpu?: string;
  /** Memory request per replica. @default '16Gi' */
  readonly memory?: string;
  /** Scrape interval of the server-metrics PodMonitoring, seconds (5-15). @default 15 */
  readonly metricsScrapeIntervalSeconds?: number;
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A model server on Kubernetes: a Deployment and a ClusterIP Service running JetStream (MaxText engine + HTTP
 * server) or vLLM from a `ModelServingSpec`, with the accelerator requested as an extended resource,
 * readiness on the server's health endpoint, the metrics port exposed and scraped by a `PodMonitoring`.
 *
 * Replicas are left to the HPA: the Deployment sets no `replicas` (Kubernetes starts one), and Terraform
 * ignores changes to `spec[0].replicas` so it never scales the Deployment back on the next apply
 * (hashicorp/terraform-provider-kubernetes #584, #1058).
 */
export class InferenceServer extends Construct implements IManifestSource {
  /** The Deployment. */
  public readonly deployment: DeploymentV1;
  /** The Service. */
  public readonly service: ServiceV1;
  /** The PodMonitoring of the server metrics. */
  public readonly podMonitoring: PodMonitoring;
  /** Deployment (and Service) name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;
  /** The serving spec. */
  public readonly spec: ModelServingSpec;
  /** The node pool, if any. */
  public readonly nodePool?: IAcceleratorPool;
  /** Pod labels. */
  public readonly labels: Record<string, string>;
  /** The Deployment and Service, as plain manifests. */
  public readonly ownManifests: readonly KubernetesManifest[];

  constructor(scope: Construct, id: string, props: InferenceServerProps) {
    super(scope, id);
    const v: Validator = new Validator(this.node.path);
    const spec = props.spec;
    this.spec = spec;
    this.nodePool = props.nodePool;
    this.name = props.name ?? spec.name;
    this.namespace = props.namespace ?? 'default';
    v.matches('NAME_INVALID', 'name', this.name, NAME, 'a DNS-1123 label (lowercase letters, digits, hyphens; at most 63)');
    v.matches('NAME_INVALID', 'namespace', this.namespace, NAME, 'a DNS-1123 label');
    v.oneOf('SERVER_NOT_SUPPORTED', 'spec.server', spec.server.kind, [ServerKind.JETSTREAM, ServerKind.VLLM],
      'InferenceServer runs servers that export Prometheus metrics');
    if (spec.server.kind === ServerKind.JETSTREAM && !props.jetstream) {
      v.fail('JETSTREAM_OPTIONS_MISSING', 'jetstream', undefined, 'JetStreamOptions with a checkpointPath');
    }
    if (props.nodePool) {
      v.integerInRange('ACCELERATOR_COUNT_OUT_OF_RANGE', 'spec.acceleratorsPerReplica', spec.acceleratorsPerReplica, 1,
        props.nodePool.acceleratorsPerNode, 'a replica must fit on one node of the pool');
    }
    this.labels = { 'app': this.name, 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/managed-by': 'cdk-gpu-inference' };

    const deployment = this.deploymentManifest(props);
    const metricsPort = spec.server.metricsPort ?? spec.server.port;
    const service: KubernetesManifest = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: this.name, namespace: this.namespace, labels: this.labels },
      spec: {
        type: 'ClusterIP', selector: { app: this.name },
        ports: [
          { name: 'http', port: spec.server.port, targetPort: spec.server.port, protocol: 'TCP' },
          ...(metricsPort !== spec.server.port ? [{ name: 'metrics', port: metricsPort, targetPort: metricsPort, protocol: 'TCP' }] : []),
        ],
      },
    };
    validateManifest(deployment, this.node.path);
    validateManifest(service, this.node.path);
    this.ownManifests = [deployment, service];

    this.deployment = new DeploymentV1(this, 'Deployment', {
      ...toDeploymentConfig(deployment),
      waitForRollout: false,
      lifecycle: { ignoreChanges: ['spec[0].replicas'] },
    });
    const svcSpec = service.spec as { type: string; selector: Record<string, string>; ports: Array<{ name: string; port: number; targetPort: number; protocol: string }> };
    this.service = new ServiceV1(this, 'Service', {
      metadata: { name: this.name, namespace: this.namespace, labels: this.labels },
      spec: {
        type: svcSpec.type, selector: svcSpec.selector,
        port: svcSpec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: String(p.targetPort), protocol: p.protocol })),
      },
    });
    this.podMonitoring = new PodMonitoring(this, 'Metrics', {
      name: `${this.name}-metrics`.slice(0, 63), namespace: this.namespace, matchLabels: { app: this.name },
      port: metricsPort, path: spec.server.metricsPath ?? '/metrics', intervalSeconds: props.metricsScrapeIntervalSeconds ?? 15,
    });
  }

  /** The Deployment, Service and PodMonitoring, as plain manifests. */
  public get manifests(): readonly KubernetesManifest[] {
    return this.ownManifests;
  }

  private deploymentManifest(props: InferenceServerProps): KubernetesManifest {
    const spec = props.spec;
    const pool = props.nodePool;
    const accel = String(spec.acceleratorsPerReplica);
    const accelResource = pool?.resourceName ?? (spec.accelerator.kind === AcceleratorKind.TPU ? 'google.com/tpu' : 'nvidia.com/gpu');
    const resources = {
      requests: { cpu: props.cpu ?? '4', memory: props.memory ?? '16Gi', [accelResource]: accel },
      limits: { memory: props.memory ?? '16Gi', [accelResource]: accel },
    };
    const readiness = {
      httpGet: { path: spec.server.healthPath, port: spec.server.port },
      initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 3,
    };
    let containers: unknown[];
    let volumes: unknown[] | undefined;
    if (spec.server.kind === ServerKind.JETSTREAM) {
      const js = props.jetstream!;
      const v = new Validator(this.node.path);
      v.integerInRange('BATCH_SIZE_OUT_OF_RANGE', 'jetstream.perDeviceBatchSize', js.perDeviceBatchSize, 1, 1024);
      v.integerInRange('SEQUENCE_LENGTH_OUT_OF_RANGE', 'jetstream.maxPrefillPredictLength', js.maxPrefillPredictLength, 1, 1_048_576);
      v.integerInRange('SEQUENCE_LENGTH_OUT_OF_RANGE', 'jetstream.maxTargetLength', js.maxTargetLength, 1, 1_048_576);
      v.ordered('SEQUENCE_LENGTH_OUT_OF_RANGE', 'maxPrefillPredictLength', js.maxPrefillPredictLength ?? 1024, 'maxTargetLength', js.maxTargetLength ?? 2048);
      containers = [
        {
          name: 'maxengine-server',
          image: spec.server.image,
          args: [
            `model_name=${js.maxTextModelName ?? `${spec.model.family}-${spec.model.size}`}`,
            `tokenizer_path=${js.tokenizerPath ?? 'assets/tokenizer.gemma3'}`,
            `per_device_batch_size=${js.perDeviceBatchSize ?? spec.concurrency}`,
            `max_prefill_predict_length=${js.maxPrefillPredictLength ?? 1024}`,
            `max_target_length=${js.maxTargetLength ?? 2048}`,
            'async_checkpointing=false',
            'ici_fsdp_parallelism=1',
            'ici_autoregressive_parallelism=-1',
            'ici_tensor_parallelism=1',
            'scan_layers=false',
            'weight_dtype=bfloat16',
            `load_parameters_path=${js.checkpointPath}`,
            `prometheus_port=${spec.server.metricsPort}`,
          ],
          ports: [{ name: 'grpc', containerPort: 9000 }, { name: 'metrics', containerPort: spec.server.metricsPort }],
          resources,
        },
        {
          name: 'jetstream-http',
          image: js.httpImage ?? 'us-docker.pkg.dev/cloud-tpu-images/inference/jetstream-http:v0.2.2',
          ports: [{ name: 'http', containerPort: spec.server.port }],
          readinessProbe: readiness,
          resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ];
    } else {
      const vl = props.vllm ?? {};
      new Validator(this.node.path).integerInRange('SEQUENCE_LENGTH_OUT_OF_RANGE', 'vllm.maxModelLen', vl.maxModelLen, 1, 1_048_576);
      containers = [{
        name: 'vllm',
        image: spec.server.image,
        command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
        args: [
          `--model=${spec.model.huggingFaceId}`,
          `--tensor-parallel-size=${spec.acceleratorsPerReplica}`,
          `--port=${spec.server.port}`,
          `--max-num-seqs=${spec.concurrency}`,
          ...(vl.maxModelLen ? [`--max-model-len=${vl.maxModelLen}`] : []),
        ],
        env: vl.huggingFaceTokenSecret
          ? [{ name: 'HUGGING_FACE_HUB_TOKEN', valueFrom: { secretKeyRef: { name: vl.huggingFaceTokenSecret, key: 'hf_api_token' } } }]
          : undefined,
        ports: [{ name: 'http', containerPort: spec.server.port }],
        readinessProbe: readiness,
        resources,
        volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }],
      }];
      volumes = [{ name: 'dshm', emptyDir: { medium: 'Memory' } }];
    }
    const tolerations: readonly Toleration[] | undefined = pool?.tolerations;
    return {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: this.name, namespace: this.namespace, labels: this.labels },
      spec: {
        selector: { matchLabels: { app: this.name } },
        template: {
          metadata: { labels: this.labels },
          spec: prune({
            nodeSelector: pool?.nodeSelector,
            tolerations: tolerations?.length ? tolerations : undefined,
            terminationGracePeriodSeconds: 60,
            containers: containers.map(prune),
            volumes,
          }),
        },
      },
    };
  }
}

function prune<T>(o: T): T {
  return Object.fromEntries(Object.entries(o as object).filter(([, val]) => val !== undefined)) as T;
}

type Obj = Record<string, any>;

/** Fails on keys a renderer does not map, so a manifest field can never silently miss the Terraform config. */
function only(o: Obj | undefined, keys: string[], where: string): Obj {
  for (const k of Object.keys(o ?? {})) {
    if (!keys.includes(k)) throw new Error(`internal: ${where}.${k} has no provider-kubernetes mapping`);
  }
  return o ?? {};
}

function probe(p: Obj | undefined): Obj | undefined {
  if (!p) return undefined;
  only(p, ['httpGet', 'initialDelaySeconds', 'periodSeconds', 'failureThreshold'], 'probe');
  return {
    httpGet: { path: p.httpGet.path, port: String(p.httpGet.port) },
    initialDelaySeconds: p.initialDelaySeconds, periodSeconds: p.periodSeconds, failureThreshold: p.failureThreshold,
  };
}

/**
 * Renders a Deployment manifest as `kubernetes_deployment_v1` config (blocks as the provider names them:
 * `container`, `port`, `toleration`, `volume`, `volumeMount`). Only the fields InferenceServer emits are mapped.
 */
export function toDeploymentConfig(m: KubernetesManifest): DeploymentV1Config {
  const spec = only(m.spec as Obj, ['selector', 'template'], 'spec');
  const pod = only(spec.template.spec, ['nodeSelector', 'tolerations', 'terminationGracePeriodSeconds', 'containers', 'volumes'], 'pod');
  return {
    metadata: { name: m.metadata.name, namespace: m.metadata.namespace, labels: m.metadata.labels },
    spec: {
      selector: { matchLabels: spec.selector.matchLabels },
      template: {
        metadata: { labels: spec.template.metadata.labels },
        spec: {
          nodeSelector: pod.nodeSelector,
          toleration: pod.tolerations,
          terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds,
          volume: (pod.volumes as Obj[] | undefined)?.map((vol) => ({ name: vol.name, emptyDir: vol.emptyDir })),
          container: (pod.containers as Obj[]).map((c) => {
            only(c, ['name', 'image', 'command', 'args', 'env', 'ports', 'readinessProbe', 'resources', 'volumeMounts', 'securityContext'], 'container');
            return {
              name: c.name, image: c.image, command: c.command, args: c.args,
              env: (c.env as Obj[] | undefined)?.map((e) => ({
                name: e.name, value: e.value,
                valueFrom: e.valueFrom ? { secretKeyRef: { name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key } } : undefined,
              })),
              port: (c.ports as Obj[] | undefined)?.map((p) => ({ name: p.name, containerPort: p.containerPort })),
              readinessProbe: probe(c.readinessProbe),
              resources: { requests: c.resources?.requests, limits: c.resources?.limits },
              volumeMount: (c.volumeMounts as Obj[] | undefined)?.map((vm) => ({ name: vm.name, mountPath: vm.mountPath })),
              securityContext: c.securityContext
                ? { allowPrivilegeEscalation: c.securityContext.allowPrivilegeEscalation, capabilities: { drop: c.securityContext.capabilities?.drop } }
                : undefined,
            };
          }),
        },
      },
    },
  };
}
