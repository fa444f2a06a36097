/**
 * gke-multi-cluster: Llama 3.1 8B Instruct on vLLM in two GKE clusters in different regions (europe-west3 and
 * us-east4 by default), each with a spot H100 pool (a3-highgpu-2g: 2 x H100 per node), behind one
 * cross-regional internal gateway of the GKE multi-cluster Inference Gateway that balances on the servers'
 * KV-cache utilization (GKE's "Set up the multi-cluster GKE Inference Gateway").
 *
 * Stacks, applied in this order (cdktf deploys them in dependency order):
 * 1. `gke-multi-cluster-infra`: the clusters and GPU pools, the fleet memberships and the multiclusteringress
 *    feature (config cluster: the first region), the proxy-only subnets, the APIs, the InferenceObjective CRD;
 * 2. `gke-multi-cluster-<region>`, one per cluster: the Hugging Face token Secret (from Secret Manager), the vLLM
 *    server, the exported InferencePool with its endpoint picker, the AutoscalingMetric, the InferenceObjectives;
 *    the config cluster's stack also holds the Gateway, the HTTPRoute and the policies. Their kubernetes
 *    providers read the clusters from stack 1: `kubernetes_manifest` needs the cluster and CRDs at plan time.
 */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Accelerator, Model, ModelServer, ModelServingSpec } from '../../lib';
import {
  AcceleratorNodePool, configureGkeProviders, GkeInferenceCluster, MultiClusterInferenceGateway, SecretManagerKubernetesSecret,
} from '../../lib/gcp';
import { Balancing, InferenceServer, LoadBalancingMetric } from '../../lib/k8s';

/** The app's name in `SAMPLE_APPS`. */
export const GKE_MULTI_CLUSTER_APP = 'gke-multi-cluster';

/** Options of {@link addGkeMultiClusterApp}. */
export interface GkeMultiClusterAppProps {
  /** Regions of the clusters (the first holds the config cluster). @default ['europe-west3', 'us-east4'] */
  readonly regions?: readonly string[];
  /** Proxy-only subnet CIDR per region, same order. @default ['192.168.16.0/23', '192.168.18.0/23', ...] */
  readonly proxySubnetCidrs?: readonly string[];
  /** Maximum H100 nodes per zone of each regional cluster's pool. @default 1 */
  readonly maxNodesPerZone?: number;
}

/** The stacks of the app. */
export interface GkeMultiClusterStacks {
  /** Stack 1: clusters, pools, fleet, subnets, APIs, CRD. */
  readonly infra: TerraformStack;
  /** Stack 2, one per region: the Kubernetes objects of that cluster (the first is the config cluster's). */
  readonly clusters: readonly TerraformStack[];
}

/** Adds the gke-multi-cluster stacks to `app`. */
export function addGkeMultiClusterApp(app: App, props: GkeMultiClusterAppProps = {}): GkeMultiClusterStacks {
  const regions = props.regions ?? ['europe-west3', 'us-east4'];
  const cidrs = props.proxySubnetCidrs ?? regions.map((_, i) => `192.168.${16 + 2 * i}.0/23`);

  // Stack 1: clusters and the fleet-level gateway infrastructure.
  const infra = new TerraformStack(app, `${GKE_MULTI_CLUSTER_APP}-infra`);
  const project = new TerraformVariable(infra, 'project_id', { type: 'string', description: 'Google Cloud project id' });
  new GoogleProvider(infra, 'Google', { project: project.stringValue });
  const h100 = Accelerator.nvidiaH100_80GB();
  const clusters = regions.map((region) => {
    const cluster = new GkeInferenceCluster(infra, `Cluster-${region}`, {
      project: project.stringValue, location: region, clusterName: `llama-${region}`, deletionProtection: false,
    });
    const pool = new AcceleratorNodePool(cluster, 'H100Pool', {
      cluster, accelerator: h100, machineType: 'a3-highgpu-2g', spot: true, minNodes: 0, maxNodes: props.maxNodesPerZone ?? 1,
      poolName: 'h100-spot',
    });
    new TerraformOutput(infra, `get_credentials_${region.replace(/-/g, '_')}`, {
      value: `gcloud container clusters get-credentials ${cluster.clusterName} --location ${region} --project ${project.stringValue}`,
    });
    return { region, cluster, pool };
  });
  const gateway = new MultiClusterInferenceGateway(infra, 'InferenceGateway', {
    project: project.stringValue,
    members: clusters.map((c, i) => ({ cluster: c.cluster, proxySubnetCidr: cidrs[i] })),
    balancing: Balancing.customMetric({ metric: LoadBalancingMetric.kvCacheUsage(), maxUtilizationPercent: 60 }),
    expectedP99Seconds: 300,
    poolName: 'llama-pool',
    objectives: [{ name: 'interactive', priority: 10 }, { name: 'batch', priority: -10 }],
  });

  // Stack 2 per cluster: everything inside it.
  const spec = new ModelServingSpec({
    name: 'llama31-8b', model: Model.llama31_8bInstruct(), server: ModelServer.vllm(), accelerator: h100,
    acceleratorsPerReplica: 2, concurrency: 64, minReplicas: 1, maxReplicas: 1,
  });
  const stacks = clusters.map(({ region, cluster, pool }) => {
    const stack = new TerraformStack(app, `${GKE_MULTI_CLUSTER_APP}-${region}`);
    new GoogleProvider(stack, 'Google', { project: cluster.project });
    const { kubernetes } = configureGkeProviders(stack, cluster);
    const secretId = new TerraformVariable(stack, 'hf_token_secret', {
      type: 'string', default: 'hf-token', description: 'Secret Manager secret holding a Hugging Face token with access to Llama 3.1',
    });
    const token = new SecretManagerKubernetesSecret(stack, 'HfToken', { secretId: secretId.stringValue, name: 'hf-token', provider: kubernetes });
    const server = new InferenceServer(stack, 'Server', {
      spec, nodePool: pool, vllm: { huggingFaceTokenSecret: token.name, maxModelLen: 16384 }, cpu: '8', memory: '64Gi',
    });
    gateway.addClusterWorkloads(stack, 'Inference', { cluster, server, provider: kubernetes });
    return { stack, cluster, kubernetes };
  });
  const config = stacks[0];
  gateway.addGatewayRouting(config.stack, 'Routing', { cluster: config.cluster, provider: config.kubernetes });
  new TerraformOutput(config.stack, 'gateway', {
    value: `kubectl get gateway inference-gateway -o jsonpath='{.status.addresses}'  # on ${config.cluster.clusterName}`,
  });
  return { infra, clusters: stacks.map((s) => s.stack) };
}
