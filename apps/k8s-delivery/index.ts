/**
 * k8s-delivery: one model server (vLLM serving Gemma 3 1B on NVIDIA L4) behind event-driven scaling and
 * progressive delivery, on an EXISTING GKE cluster:
 * - `gemma-v1`: the stable version, scaled by an HPA on DCGM GPU metrics and the request rate;
 * - `gemma-v2`: the candidate version, scaled by KEDA on the vLLM queue size (Prometheus) and the lag of a
 *   Kafka topic of asynchronous requests (SASL credentials from a Kubernetes Secret), from zero;
 * - `gemma`: an Istio VirtualService splitting 90/10 between them, with header routes for A/B segments
 *   (`x-model-version: v2`, `x-user-segment: beta`);
 * - `gemma-rollout`: an Argo Rollouts canary of a third server (`gemma-canary`), with success-rate and p99
 *   latency analyses on Istio's metrics;
 * - `gemma-kserve`: a KServe InferenceService (Serverless) with a 10 % canary and scale to zero;
 * - `gemma-knative`: a Knative Service that scales to zero.
 *
 * One stack, `k8s-delivery`, applied to a cluster that already runs Istio (sidecar injection), KEDA, Argo
 * Rollouts, Knative Serving and KServe (their CRDs must exist at plan time, terraform-provider-kubernetes
 * #1367) and an L4 node pool; see README "k8s-delivery". It reaches the cluster through a
 * `google_container_cluster` data source (default) or a kubeconfig file (`connection: 'kubeconfig'`).
 * Every metric goes through Managed Service for Prometheus: prometheus-adapter serves the HPA, and KEDA and
 * the Argo analyses query the same Prometheus-compatible frontend.
 */
import { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config';
import { DataGoogleContainerCluster } from '@cdktf/provider-google/lib/data-google-container-cluster';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, Fn, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable } from 'cdktf';
import { IConstruct } from 'constructs';
import { Accelerator, Model, ModelServer, ModelServingSpec } from '../../lib';
import {
  Analysis, CanaryRollout, ClusterMetricsAdapter, GpuUtilizationHpa, IAcceleratorPool, InferenceServer, KedaScaledObject, KedaTrigger,
  KedaTriggerAuthentication, KnativeService, KServeInferenceService, KServeScaleMetric, KubernetesObject, METRICS_ADAPTER_NAMESPACE,
  MetricsAdapter, PodMonitoring, TrafficSplit,
} from '../../lib/k8s';

/** The app's name in `SAMPLE_APPS`. */
export const K8S_DELIVERY_APP = 'k8s-delivery';

/** Options of {@link addK8sDeliveryApp}. */
export interface K8sDeliveryAppProps {
  /**
   * How Terraform reaches the cluster: `gke` (a `google_container_cluster` data source and the caller's
   * access token) or `kubeconfig` (variables `kubeconfig_path` and `kube_context`).
   * @default 'gke'
   */
  readonly connection?: 'gke' | 'kubeconfig';
  /** GPUs the cluster's L4 pool holds at most (bounds every autoscaler). @default 4 */
  readonly maxGpus?: number;
}

/** Namespace of every workload (Istio sidecar injection on). */
export const K8S_DELIVERY_NAMESPACE = 'llm';

/** Adds the k8s-delivery stack to `app`. */
export function addK8sDeliveryApp(app: App, props: K8sDeliveryAppProps = {}): TerraformStack {
  const maxGpus = props.maxGpus ?? 4;
  const stack = new TerraformStack(app, K8S_DELIVERY_APP);
  const project = new TerraformVariable(stack, 'project_id', { type: 'string', description: 'Project of the cluster' });
  const location = new TerraformVariable(stack, 'cluster_location', { type: 'string', default: 'us-central1', description: 'Region or zone of the cluster' });
  const clusterName = new TerraformVariable(stack, 'cluster_name', { type: 'string', description: 'Name of the existing GKE cluster' });
  new GoogleProvider(stack, 'Google', { project: project.stringValue });
  if (props.connection === 'kubeconfig') {
    const configPath = new TerraformVariable(stack, 'kubeconfig_path', { type: 'string', default: '~/.kube/config', description: 'kubeconfig file' });
    const configContext = new TerraformVariable(stack, 'kube_context', { type: 'string', description: 'kubeconfig context of the cluster' });
    new KubernetesProvider(stack, 'Kubernetes', { configPath: configPath.stringValue, configContext: configContext.stringValue });
    new HelmProvider(stack, 'Helm', { kubernetes: { configPath: configPath.stringValue, configContext: configContext.stringValue } });
  } else {
    const gke = new DataGoogleContainerCluster(stack, 'Cluster', { name: clusterName.stringValue, location: location.stringValue, project: project.stringValue });
    const client = new DataGoogleClientConfig(stack, 'GoogleClientConfig');
    const host = `https://${gke.endpoint}`;
    const clusterCaCertificate = Fn.base64decode(gke.masterAuth.get(0).clusterCaCertificate);
    new KubernetesProvider(stack, 'Kubernetes', { host, clusterCaCertificate, token: client.accessToken });
    new HelmProvider(stack, 'Helm', { kubernetes: { host, clusterCaCertificate, token: client.accessToken } });
  }
  const prometheusUrl = `http://gmp-frontend.${METRICS_ADAPTER_NAMESPACE}.svc:9090`;
  const kafkaServers = new TerraformVariable(stack, 'kafka_bootstrap_servers', {
    type: 'string', default: 'kafka.kafka.svc:9092', description: 'Kafka bootstrap server (host:port) of the asynchronous inference topic',
  });

  const ns = K8S_DELIVERY_NAMESPACE;
  const inNamespace: IConstruct[] = [];
  const namespace = new KubernetesObject(stack, 'Namespace', {
    manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio-injection': 'enabled' } } },
  });
  const adapter = new ClusterMetricsAdapter(stack, 'MetricsAdapter', {
    cluster: { clusterName: clusterName.stringValue, location: location.stringValue, project: project.stringValue, workloadPool: `${project.stringValue}.svc.id.goog` },
    adapter: MetricsAdapter.prometheus(),
  });
  // The cluster's existing L4 pool (GKE labels and taints every GPU node this way).
  const pool: IAcceleratorPool = {
    nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    resourceName: 'nvidia.com/gpu', acceleratorsPerNode: 1, maxNodes: maxGpus, maxAccelerators: maxGpus,
  };
  const spec = (name: string, minReplicas: number, maxReplicas: number) => new ModelServingSpec({
    name, model: Model.gemma3('1b'), server: ModelServer.vllm(), accelerator: Accelerator.nvidiaL4(), concurrency: 8, minReplicas, maxReplicas,
  });
  const server = (id: string, name: string, minReplicas: number, maxReplicas: number) => {
    const s = new InferenceServer(stack, id, {
      spec: spec(name, minReplicas, maxReplicas), nodePool: pool, namespace: ns, vllm: { huggingFaceTokenSecret: 'hf-token', maxModelLen: 8192 },
    });
    inNamespace.push(s);
    return s;
  };

  // Stable version: DCGM GPU duty cycle and request rate.
  const v1 = server('GemmaV1', 'gemma-v1', 1, 2);
  new GpuUtilizationHpa(stack, 'GemmaV1Hpa', { target: v1, adapter, gpuUtilizationPercent: 80, requestsPerSecond: 2 });

  // Candidate version: KEDA on the queue size and on the Kafka lag of asynchronous requests, from zero.
  const v2 = server('GemmaV2', 'gemma-v2', 0, 2);
  const kafkaAuth = new KedaTriggerAuthentication(stack, 'KafkaAuth', {
    name: 'kafka-sasl', namespace: ns,
    secrets: [
      { parameter: 'sasl', secretName: 'kafka-credentials', key: 'sasl' },
      { parameter: 'username', secretName: 'kafka-credentials', key: 'username' },
      { parameter: 'password', secretName: 'kafka-credentials', key: 'password' },
    ],
  });
  inNamespace.push(kafkaAuth);
  new KedaScaledObject(stack, 'GemmaV2Keda', {
    target: v2, minReplicas: 0, maxReplicas: 2, pollingIntervalSeconds: 15, cooldownSeconds: 600,
    fallback: { failureThreshold: 3, replicas: 1 },
    behavior: { scaleDownStabilizationSeconds: 300, scaleDownPolicies: [{ type: 'Percent', value: 25, periodSeconds: 120 }] },
    triggers: [
      KedaTrigger.prometheus({
        name: 'queue', serverAddress: prometheusUrl, threshold: 5, activationThreshold: 1,
        query: `sum(vllm:num_requests_waiting{namespace="${ns}",pod=~"gemma-v2-.*"})`,
      }),
      KedaTrigger.kafka({
        name: 'async-requests', bootstrapServers: [kafkaServers.stringValue], consumerGroup: 'gemma-v2', topic: 'inference-requests',
        lagThreshold: 20, activationLagThreshold: 1, authentication: kafkaAuth,
      }),
    ],
  });

  // Istio: one host, 90/10 between the versions, header routes for A/B segments.
  const port = ModelServer.vllm().port;
  const host = new KubernetesObject(stack, 'GemmaService', {
    manifest: {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'gemma', namespace: ns },
      spec: { type: 'ClusterIP', ports: [{ name: 'http', port, targetPort: port, protocol: 'TCP' }] },
    },
    dependsOn: [namespace.resource],
  });
  const split = new TrafficSplit(stack, 'GemmaSplit', {
    name: 'gemma', namespace: ns, hosts: [`gemma.${ns}.svc.cluster.local`],
    destinations: [{ host: `gemma-v1.${ns}.svc.cluster.local`, port, weight: 90 }, { host: `gemma-v2.${ns}.svc.cluster.local`, port, weight: 10 }],
    headerRoutes: [
      { name: 'model-v2', headers: { 'x-model-version': { exact: 'v2' } }, destination: { host: `gemma-v2.${ns}.svc.cluster.local`, port } },
      { name: 'beta-users', headers: { 'x-user-segment': { exact: 'beta' } }, destination: { host: `gemma-v2.${ns}.svc.cluster.local`, port } },
    ],
    timeoutSeconds: 300, retries: { attempts: 2, perTryTimeoutSeconds: 150, retryOn: ['connect-failure', 'refused-stream', 'unavailable'] },
  });
  inNamespace.push(split);

  // Istio sidecar metrics (istio_requests_total, ...) for the canary analyses.
  new PodMonitoring(stack, 'IstioProxyMetrics', {
    name: 'istio-proxy', namespace: ns, matchLabels: { 'security.istio.io/tlsMode': 'istio' }, port: 15090, path: '/stats/prometheus',
    dependsOn: [namespace.resource],
  });

  // Argo Rollouts canary of a third server, analysed on Istio's metrics.
  const canaryServer = server('GemmaCanary', 'gemma-canary', 1, 1);
  const canary = new CanaryRollout(stack, 'GemmaCanaryRollout', {
    workload: canaryServer, name: 'gemma-rollout', replicas: 1,
    analyses: [
      Analysis.successRate({ prometheusAddress: prometheusUrl, minSuccessRate: 0.99 }),
      Analysis.latencyP99({ prometheusAddress: prometheusUrl, maxMilliseconds: 30_000 }),
    ],
    headerRoutes: [{ name: 'canary-testers', headers: { 'x-model-version': { exact: 'canary' } } }],
  });
  inNamespace.push(canary);

  // KServe: Serverless, 10 % canary, scale to zero on concurrency.
  const kserve = new KServeInferenceService(stack, 'GemmaKServe', {
    name: 'gemma-kserve', namespace: ns, modelFormat: 'huggingface', storageUri: 'hf://google/gemma-3-1b-it',
    args: ['--max-model-len=8192'], huggingFaceTokenSecret: 'hf-token', nodePool: pool, cpu: '4', memory: '16Gi',
    minReplicas: 0, maxReplicas: 1, scaleMetric: KServeScaleMetric.CONCURRENCY, scaleTarget: 8, canaryTrafficPercent: 10, timeoutSeconds: 600,
  });
  inNamespace.push(kserve);

  // Knative: scale to zero after 10 idle minutes.
  const knative = new KnativeService(stack, 'GemmaKnative', {
    name: 'gemma-knative', namespace: ns, image: ModelServer.vllm().image, port,
    command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
    args: [`--model=${Model.gemma3('1b').huggingFaceId}`, `--port=${port}`, '--max-model-len=8192', '--max-num-seqs=8'],
    secretEnv: { HUGGING_FACE_HUB_TOKEN: { secretName: 'hf-token', key: 'hf_api_token' } },
    nodePool: pool, containerConcurrency: 16, timeoutSeconds: 600,
    scaling: { minScale: 0, maxScale: 1, target: 8, scaleDownDelaySeconds: 600, scaleToZeroPodRetentionSeconds: 120 },
  });
  inNamespace.push(knative);

  // Every object of the namespace is applied after it (and the A/B host Service before its VirtualService).
  for (const c of inNamespace) {
    for (const r of c.node.findAll().filter(TerraformResource.isTerraformResource)) {
      const deps = [namespace.resource.fqn, ...(c === split ? [host.resource.fqn] : [])];
      r.dependsOn = [...new Set([...(r.dependsOn ?? []), ...deps])];
    }
  }

  new TerraformOutput(stack, 'ab_endpoint', { value: `http://gemma.${ns}.svc.cluster.local:${port}/v1/completions` });
  new TerraformOutput(stack, 'rollout', { value: `kubectl argo rollouts get rollout ${canary.rollout.manifest.metadata.name} -n ${ns} --watch` });
  return stack;
}
