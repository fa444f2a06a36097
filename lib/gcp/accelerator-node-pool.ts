import { ContainerNodePool, ContainerNodePoolNodeConfigTaint } from '@cdktf/provider-google/lib/container-node-pool';
import { Construct } from 'constructs';
import { Accelerator, AcceleratorKind, GkeMachineType } from '../core/accelerator';
import { Validator } from '../core/validate';
import type { IAcceleratorPool, Toleration } from '../k8s/cluster';
import type { GkeInferenceCluster } from './gke-inference-cluster';

/** How GKE installs the NVIDIA driver on GPU nodes. */
export enum GpuDriverVersion {
  /** The default driver of the node's GKE version. */
  DEFAULT = 'DEFAULT',
  /** The latest driver available for the node's GKE version. */
  LATEST = 'LATEST',
  /** No automatic installation (install the driver yourself). */
  INSTALLATION_DISABLED = 'INSTALLATION_DISABLED',
}

/** A Kubernetes node taint. */
export interface NodeTaint {
  /** Taint key. */
  readonly key: string;
  /** Taint value. */
  readonly value: string;
  /** Effect. */
  readonly effect: 'NO_SCHEDULE' | 'PREFER_NO_SCHEDULE' | 'NO_EXECUTE';
}

/** Options of {@link AcceleratorNodePool} (everything but the cluster). */
export interface AcceleratorNodePoolOptions {
  /** The accelerator, from the core catalog (`Accelerator.nvidiaL4()`, `Accelerator.tpuV5e('2x4')`, ...). */
  readonly accelerator: Accelerator;
  /**
   * Machine type; it must carry the accelerator (checked against the catalog).
   * @default - the accelerator's first GKE machine type (e.g. `g2-standard-4` for an L4)
   */
  readonly machineType?: string;
  /** Minimum nodes per zone (0 lets the pool scale to zero). @default 0 */
  readonly minNodes?: number;
  /** Maximum nodes per zone (1-1000). @default 1 */
  readonly maxNodes?: number;
  /** Spot VMs: much cheaper, can be preempted at any time. @default false */
  readonly spot?: boolean;
  /** NVIDIA driver installation (GPU pools only). @default GpuDriverVersion.LATEST */
  readonly gpuDriverVersion?: GpuDriverVersion;
  /** Extra taints (GKE already taints GPU and TPU nodes for their device resource). @default - none */
  readonly taints?: NodeTaint[];
  /** Boot disk size, GB (model images are large). @default 200 */
  readonly diskSizeGb?: number;
  /** Node pool name. @default - derived from the construct id */
  readonly poolName?: string;
}

/** Props of {@link AcceleratorNodePool}. */
export interface AcceleratorNodePoolProps extends AcceleratorNodePoolOptions {
  /** The cluster. */
  readonly cluster: GkeInferenceCluster;
}

const EFFECTS: Record<NodeTaint['effect'], Toleration['effect']> = {
  NO_SCHEDULE: 'NoSchedule', PREFER_NO_SCHEDULE: 'PreferNoSchedule', NO_EXECUTE: 'NoExecute',
};

/**
 * A GPU or TPU node pool, autoscaled between `minNodes` and `maxNodes`. The machine type must carry the
 * accelerator (from the core catalog); GPU pools get the driver installed by GKE; multi-host TPU slices
 * get a compact placement with their topology. Workloads read `nodeSelector`, `tolerations`,
 * `resourceName` and `maxAccelerators` from it.
 */
export class AcceleratorNodePool extends Construct implements IAcceleratorPool {
  /** The `google_container_node_pool`. */
  public readonly resource: ContainerNodePool;
  /** The accelerator. */
  public readonly accelerator: Accelerator;
  /** The machine type and its accelerator count. */
  public readonly machine: GkeMachineType;
  /** Minimum nodes per zone. */
  public readonly minNodes: number;
  /** Maximum nodes per zone. */
  public readonly maxNodes: number;
  /** Taints set on the nodes (beyond GKE's own). */
  public readonly taints: readonly NodeTaint[];

  constructor(scope: Construct, id: string, props: AcceleratorNodePoolProps) {
    super(scope, id);
    const v: Validator = new Validator(this.node.path);
    this.accelerator = props.accelerator;
    if (!props.accelerator.gkeType || props.accelerator.gkeMachineTypes.length === 0) {
      v.fail('ACCELERATOR_NOT_SUPPORTED', 'accelerator', props.accelerator.name, 'an accelerator GKE offers',
        `${props.accelerator.name} has no GKE machine type in the catalog`);
    }
    const machineType = props.machineType ?? props.accelerator.gkeMachineTypes[0].machineType;
    const machine = props.accelerator.gkeMachineType(machineType);
    if (!machine) {
      v.fail('MACHINE_TYPE_NOT_SUPPORTED', 'machineType', machineType,
        `one of: ${props.accelerator.gkeMachineTypes.map((m) => m.machineType).join(', ')}`,
        `${machineType} does not carry ${props.accelerator.name}`);
    }
    this.machine = machine;
    this.minNodes = props.minNodes ?? 0;
    this.maxNodes = props.maxNodes ?? Math.max(1, this.minNodes);
    v.integerInRange('NODE_COUNT_OUT_OF_RANGE', 'minNodes', this.minNodes, 0, 1000);
    v.integerInRange('NODE_COUNT_OUT_OF_RANGE', 'maxNodes', this.maxNodes, 1, 1000);
    v.ordered('MIN_GREATER_THAN_MAX', 'minNodes', this.minNodes, 'maxNodes', this.maxNodes);
    v.integerInRange('DISK_SIZE_OUT_OF_RANGE', 'diskSizeGb', props.diskSizeGb, 10, 65536);
    const isGpu = props.accelerator.kind === AcceleratorKind.GPU;
    if (!isGpu && props.gpuDriverVersion !== undefined) {
      v.fail('ACCELERATOR_NOT_SUPPORTED', 'gpuDriverVersion', props.gpuDriverVersion, 'unset for a TPU pool');
    }
    const poolName = props.poolName ?? id.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40);
    v.matches('NODE_POOL_NAME_INVALID', 'poolName', poolName, /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/,
      '1-40 lowercase letters, digits or hyphens, starting with a letter');
    this.taints = props.taints ?? [];
    const multiHost = !isGpu && props.accelerator.devicesPerReplica > machine.count;
    if (multiHost) {
      const nodesPerSlice = props.accelerator.devicesPerReplica / machine.count;
      if (this.maxNodes % nodesPerSlice !== 0 || this.minNodes % nodesPerSlice !== 0) {
        v.fail('NODE_COUNT_OUT_OF_RANGE', 'minNodes/maxNodes', { minNodes: this.minNodes, maxNodes: this.maxNodes },
          `multiples of ${nodesPerSlice}`, `a ${props.accelerator.topology} slice spans ${nodesPerSlice} nodes`);
      }
    }

    const taints: ContainerNodePoolNodeConfigTaint[] = this.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect }));
    this.resource = new ContainerNodePool(this, 'Resource', {
      project: props.cluster.project,
      cluster: props.cluster.resource.id,
      location: props.cluster.location,
      name: poolName,
      autoscaling: { minNodeCount: this.minNodes, maxNodeCount: this.maxNodes },
      management: { autoRepair: true, autoUpgrade: true },
      placementPolicy: multiHost ? { type: 'COMPACT', tpuTopology: props.accelerator.topology } : undefined,
      nodeConfig: {
        machineType,
        spot: props.spot ?? false,
        diskSizeGb: props.diskSizeGb ?? 200,
        serviceAccount: props.cluster.nodeServiceAccount.email,
        oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        guestAccelerator: isGpu ? [{
          type: props.accelerator.gkeType!,
          count: machine.count,
          gpuDriverInstallationConfig: { gpuDriverVersion: props.gpuDriverVersion ?? GpuDriverVersion.LATEST },
        }] : undefined,
        taint: taints.length ? taints : undefined,
        labels: { 'cdk-gpu-inference/pool': id.toLowerCase() },
      },
    });
  }

  /** Accelerator devices per node. */
  public get acceleratorsPerNode(): number {
    return this.machine.count;
  }

  /** The most accelerator devices the pool holds at once, per zone: `maxNodes x acceleratorsPerNode`. */
  public get maxAccelerators(): number {
    return this.maxNodes * this.machine.count;
  }

  /** The extended resource a pod requests for this accelerator: `nvidia.com/gpu` or `google.com/tpu`. */
  public get resourceName(): string {
    return this.accelerator.kind === AcceleratorKind.GPU ? 'nvidia.com/gpu' : 'google.com/tpu';
  }

  /** Node labels that schedule a pod onto this pool's accelerator (GKE's well-known labels). */
  public get nodeSelector(): Record<string, string> {
    if (this.accelerator.kind === AcceleratorKind.GPU) {
      return { 'cloud.google.com/gke-accelerator': this.accelerator.gkeType! };
    }
    return {
      'cloud.google.com/gke-tpu-accelerator': this.accelerator.gkeType!,
      'cloud.google.com/gke-tpu-topology': this.accelerator.topology ?? this.machine.topology!,
    };
  }

  /** Tolerations for the pool's taints and GKE's device taint. */
  public get tolerations(): Toleration[] {
    const device: Toleration = { key: this.resourceName, operator: 'Exists', effect: 'NoSchedule' };
    return [device, ...this.taints.map((t): Toleration => ({ key: t.key, operator: 'Equal', value: t.value, effect: EFFECTS[t.effect] }))];
  }
}
