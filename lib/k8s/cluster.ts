/**
 * What the Kubernetes constructs need to know about the GKE cluster they run on. `GkeInferenceCluster`
 * (`cdk-gpu-inference/gcp`) implements it; a cluster managed elsewhere can be described by hand.
 */
export interface IGkeCluster {
  /** Cluster name (the `cluster` label of every Managed Service for Prometheus series). */
  readonly clusterName: string;
  /** Cluster location (region or zone). */
  readonly location: string;
  /** Project id. */
  readonly project: string;
  /** Workload Identity pool, `<project>.svc.id.goog`. */
  readonly workloadPool: string;
}

/** A Kubernetes toleration, as a pod spec holds it. */
export interface Toleration {
  /** Key. */
  readonly key: string;
  /** Operator. */
  readonly operator: 'Equal' | 'Exists';
  /** Value (with `Equal`). */
  readonly value?: string;
  /** Effect. */
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/**
 * What a workload needs to know about the accelerator node pool it runs on. `AcceleratorNodePool`
 * (`cdk-gpu-inference/gcp`) implements it.
 */
export interface IAcceleratorPool {
  /** Node labels that select the pool's accelerator. */
  readonly nodeSelector: Record<string, string>;
  /** Tolerations the pool's taints need. */
  readonly tolerations: readonly Toleration[];
  /** Extended resource of the accelerator: `nvidia.com/gpu` or `google.com/tpu`. */
  readonly resourceName: string;
  /** Accelerator devices per node. */
  readonly acceleratorsPerNode: number;
  /** The most accelerator devices the pool holds at once. */
  readonly maxAccelerators: number;
  /** Maximum nodes. */
  readonly maxNodes: number;
}
