/**
 * gke-jetstream-hpa: Gemma 3 4B on JetStream (MaxText) on a GKE TPU v5e pool, scaled by an HPA on the
 * server's prefill backlog and decode slots used (GKE's "Configure autoscaling for LLM workloads on TPUs").
 *
 * Two stacks, applied in this order (cdktf deploys them in dependency order):
 * 1. `gke-jetstream-hpa-cluster`: the cluster, its system pool and the TPU pool;
 * 2. `gke-jetstream-hpa-workloads`: the metrics adapter, the server, its PodMonitoring and the HPA. Its
 *    kubernetes/helm providers read the cluster's endpoint and CA from stack 1 (cross-stack references):
 *    `kubernetes_manifest` needs the cluster API and the PodMonitoring CRD at plan time.
 */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Accelerator, Model, ModelServer, ModelServingSpec } from '../../lib';
import { AcceleratorNodePool, configureGkeProviders, GkeInferenceCluster } from '../../lib/gcp';
import {
  ClusterMetricsAdapter, HpaMetricType, InferenceHpa, InferenceMetric, InferenceServer, MetricsAdapter, PodMonitoring,
} from '../../lib/k8s';

/** The app's name in `SAMPLE_APPS`. */
export const GKE_JETSTREAM_HPA_APP = 'gke-jetstream-hpa';

/** Options of {@link addGkeJetstreamHpaApp}. */
export interface GkeJetstreamHpaAppProps {
  /** Which metrics adapter serves the HPA. @default 'stackdriver' */
  readonly adapter?: 'stackdriver' | 'stackdriver-external' | 'prometheus';
  /** Maximum replicas (the TPU pool gets one node per replica). @default 2 */
  readonly maxReplicas?: number;
}

/** The stacks of the app. */
export interface GkeJetstreamHpaStacks {
  /** Stack 1: the cluster and its node pools. */
  readonly cluster: TerraformStack;
  /** Stack 2: everything inside the cluster. */
  readonly workloads: TerraformStack;
}

/** Adds the gke-jetstream-hpa stacks to `app`. */
export function addGkeJetstreamHpaApp(app: App, props: GkeJetstreamHpaAppProps = {}): GkeJetstreamHpaStacks {
  const maxReplicas = props.maxReplicas ?? 2;

  // Stack 1: the cluster.
  const clusterStack = new TerraformStack(app, `${GKE_JETSTREAM_HPA_APP}-cluster`);
  const project = new TerraformVariable(clusterStack, 'project_id', { type: 'string', description: 'Google Cloud project id' });
  const zone = new TerraformVariable(clusterStack, 'zone', {
    type: 'string', default: 'us-west4-a', description: 'A zone with TPU v5e capacity (zonal cluster: node counts are per zone)',
  });
  new GoogleProvider(clusterStack, 'Google', { project: project.stringValue });
  const cluster = new GkeInferenceCluster(clusterStack, 'Cluster', {
    project: project.stringValue, location: zone.stringValue, clusterName: 'gemma-jetstream', deletionProtection: false,
  });
  const pool = new AcceleratorNodePool(cluster, 'TpuPool', {
    cluster, accelerator: Accelerator.tpuV5e('1x1'), minNodes: 0, maxNodes: maxReplicas, poolName: 'tpu-v5e',
  });
  new TerraformOutput(clusterStack, 'cluster_name', { value: cluster.clusterName });
  new TerraformOutput(clusterStack, 'get_credentials', {
    value: `gcloud container clusters get-credentials ${cluster.clusterName} --zone ${zone.stringValue} --project ${project.stringValue}`,
  });

  // Stack 2: the workloads, with providers configured from stack 1's cluster.
  const workloads = new TerraformStack(app, `${GKE_JETSTREAM_HPA_APP}-workloads`);
  new GoogleProvider(workloads, 'Google', { project: cluster.project });
  configureGkeProviders(workloads, cluster);
  const checkpoint = new TerraformVariable(workloads, 'checkpoint_path', {
    type: 'string', description: 'MaxText checkpoint of Gemma 3 4B (gs://.../0/items), converted as GKE\'s JetStream tutorial shows',
  });
  // The library's default engine image (maxengine-server v0.2.2, the tag GKE's JetStream tutorials use) is from
  // 2024; MaxText gained its Gemma 3 configs later, so the image is a deploy-time variable.
  const engineImage = new TerraformVariable(workloads, 'engine_image', {
    type: 'string', default: ModelServer.jetstream().image,
    description: 'JetStream MaxText engine image; it must include MaxText\'s gemma3-4b config and assets/tokenizer.gemma3',
  });
  const spec = new ModelServingSpec({
    name: 'gemma3-jetstream',
    model: Model.gemma3('4b'),
    server: ModelServer.jetstream({ image: engineImage.stringValue }),
    accelerator: Accelerator.tpuV5e('1x1'),
    concurrency: 8,
    minReplicas: 1,
    maxReplicas,
  });
  const adapter = new ClusterMetricsAdapter(workloads, 'MetricsAdapter', {
    cluster,
    adapter: props.adapter === 'prometheus' ? MetricsAdapter.prometheus()
      : MetricsAdapter.stackdriver({ metricType: props.adapter === 'stackdriver-external' ? HpaMetricType.EXTERNAL : HpaMetricType.PODS }),
  });
  const server = new InferenceServer(workloads, 'Server', {
    spec, nodePool: pool, jetstream: { checkpointPath: checkpoint.stringValue }, cpu: '8', memory: '32Gi',
    metricsScrapeIntervalSeconds: 5,
  });
  PodMonitoring.forTpuSystemMetrics(workloads, 'TpuMetrics');
  new InferenceHpa(workloads, 'Hpa', {
    target: server, adapter,
    metrics: [InferenceMetric.jetstreamPrefillBacklog(5), InferenceMetric.jetstreamSlotsUsed(90)],
  });
  new TerraformOutput(workloads, 'service', { value: `${server.name}.${server.namespace}.svc:${spec.server.port}` });
  return { cluster: clusterStack, workloads };
}
