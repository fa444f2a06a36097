import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import type { IGkeCluster } from '../k8s/cluster';
import { AcceleratorNodePool, AcceleratorNodePoolOptions } from './accelerator-node-pool';

/** GKE release channel. */
export enum ReleaseChannel {
  /** Newest versions first. */
  RAPID = 'RAPID',
  /** The default channel: a balance of features and stability. */
  REGULAR = 'REGULAR',
  /** Most tested versions. */
  STABLE = 'STABLE',
}

/** Roles the node service account gets: what GKE's least-privilege node account needs, plus autoscaling metrics. */
export const GKE_NODE_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/autoscaling.metricsWriter',
  'roles/artifactregistry.reader',
] as const;

/** Props of {@link GkeInferenceCluster}. */
export interface GkeInferenceClusterProps {
  /** Project id. */
  readonly project: string;
  /** Region (regional cluster) or zone (zonal cluster). A zonal cluster is cheaper: node counts are per zone. */
  readonly location: string;
  /** Cluster name (1-40 characters, lowercase letters, digits, hyphens). @default - derived from the construct id */
  readonly clusterName?: string;
  /** VPC network. @default 'default' */
  readonly network?: string;
  /** Subnetwork. @default - the network's subnet in the region */
  readonly subnetwork?: string;
  /** Release channel. @default ReleaseChannel.REGULAR */
  readonly releaseChannel?: ReleaseChannel;
  /** Protects the cluster from `terraform destroy`; set false for disposable clusters. @default true */
  readonly deletionProtection?: boolean;
  /** Collect NVIDIA DCGM GPU metrics through Managed Service for Prometheus. @default true */
  readonly dcgmMetrics?: boolean;
  /** Install the Gateway API CRDs (standard channel). @default true */
  readonly gatewayApi?: boolean;
  /** Machine type of the system node pool (cluster add-ons, metrics adapters). @default 'e2-standard-4' */
  readonly systemMachineType?: string;
  /** Nodes per zone of the system node pool (1-10). @default 1 */
  readonly systemNodeCount?: number;
}

const NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;

/**
 * A GKE Standard cluster for LLM inference: VPC-native, Workload Identity, Gateway API, Managed Service for
 * Prometheus with DCGM GPU metrics, the HPA `PERFORMANCE` profile, a release channel, the default node
 * pool removed (replaced by a small system pool) and nodes running as a least-privilege service account.
 * Add accelerators with {@link GkeInferenceCluster.addAcceleratorNodePool}.
 */
export class GkeInferenceCluster extends Construct implements IGkeCluster {
  /** The `google_container_cluster`. */
  public readonly resource: ContainerCluster;
  /** The system node pool. */
  public readonly systemPool: ContainerNodePool;
  /** The service account every node pool of this cluster runs as. */
  public readonly nodeServiceAccount: ServiceAccount;
  /** Cluster name. */
  public readonly clusterName: string;
  /** Cluster location. */
  public readonly location: string;
  /** Project id. */
  public readonly project: string;
  /** Workload Identity pool, `<project>.svc.id.goog`. */
  public readonly workloadPool: string;
  /** VPC network the cluster runs in. */
  public readonly network: string;

  constructor(scope: Construct, id: string, props: GkeInferenceClusterProps) {
    super(scope, id);
    const v: Validator = new Validator(this.node.path);
    this.clusterName = props.clusterName ?? id.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40);
    v.matches('CLUSTER_NAME_INVALID', 'clusterName', this.clusterName, NAME,
      '1-40 lowercase letters, digits or hyphens, starting with a letter');
    v.integerInRange('NODE_COUNT_OUT_OF_RANGE', 'systemNodeCount', props.systemNodeCount, 1, 10);
    this.location = props.location;
    this.project = props.project;
    this.workloadPool = `${props.project}.svc.id.goog`;
    this.network = props.network ?? 'default';

    this.nodeServiceAccount = new ServiceAccount(this, 'NodeServiceAccount', {
      project: props.project,
      accountId: `${this.clusterName.slice(0, 24).replace(/-+$/, '')}-nodes`,
      displayName: `GKE nodes of ${this.clusterName}`,
    });
    GKE_NODE_ROLES.forEach((role) => new ProjectIamMember(this, `NodeRole-${role.split('/')[1]}`, {
      project: props.project, role, member: `serviceAccount:${this.nodeServiceAccount.email}`,
    }));

    const components = ['SYSTEM_COMPONENTS', ...(props.dcgmMetrics ?? true ? ['DCGM'] : [])];
    this.resource = new ContainerCluster(this, 'Resource', {
      project: props.project,
      name: this.clusterName,
      location: props.location,
      network: this.network,
      subnetwork: props.subnetwork,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {},
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      deletionProtection: props.deletionProtection ?? true,
      releaseChannel: { channel: props.releaseChannel ?? ReleaseChannel.REGULAR },
      workloadIdentityConfig: { workloadPool: this.workloadPool },
      gatewayApiConfig: props.gatewayApi ?? true ? { channel: 'CHANNEL_STANDARD' } : undefined,
      monitoringConfig: { enableComponents: components, managedPrometheus: { enabled: true } },
      podAutoscaling: { hpaProfile: 'PERFORMANCE' },
      nodeConfig: {
        serviceAccount: this.nodeServiceAccount.email,
        oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
      },
    });

    this.systemPool = new ContainerNodePool(this, 'SystemPool', {
      project: props.project,
      cluster: this.resource.id,
      location: props.location,
      name: 'system',
      nodeCount: props.systemNodeCount ?? 1,
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        machineType: props.systemMachineType ?? 'e2-standard-4',
        serviceAccount: this.nodeServiceAccount.email,
        oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      },
    });
  }

  /** The cluster API endpoint (an IP address; prefix `https://`). */
  public get endpoint(): string {
    return this.resource.endpoint;
  }

  /** The cluster CA certificate, base64-encoded. */
  public get caCertificate(): string {
    return this.resource.masterAuth.clusterCaCertificate;
  }

  /** Adds a GPU or TPU node pool to this cluster. */
  public addAcceleratorNodePool(id: string, options: AcceleratorNodePoolOptions): AcceleratorNodePool {
    return new AcceleratorNodePool(this, id, { ...options, cluster: this });
  }
}
