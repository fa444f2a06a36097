import { ValidationError } from './errors';

/** Whether an accelerator is a GPU or a TPU. */
export enum AcceleratorKind {
  /** An NVIDIA GPU. */
  GPU = 'gpu',
  /** A Google Cloud TPU slice. */
  TPU = 'tpu',
}

/** Where Cloud Run can attach this accelerator, and the instance minima it imposes. */
export interface CloudRunGpuSupport {
  /** Value of `template.nodeSelector.accelerator`, e.g. `nvidia-l4`. */
  readonly accelerator: string;
  /** Minimum vCPUs per instance. */
  readonly minCpu: number;
  /** Minimum memory per instance, GiB. */
  readonly minMemoryGiB: number;
  /** The service `launchStage` this GPU needs (`GA`, or `BETA` for a preview GPU). */
  readonly launchStage: 'GA' | 'BETA';
  /** Maximum vCPUs per instance, where documented (undefined: not checked). */
  readonly maxCpu?: number;
  /** Maximum memory per instance, GiB, where documented (undefined: not checked). */
  readonly maxMemoryGiB?: number;
}

/** A GKE machine type that carries this accelerator, and how many devices it has. */
export interface GkeMachineType {
  /** Compute Engine machine type, e.g. `g2-standard-8`. */
  readonly machineType: string;
  /** Accelerator devices (GPUs or TPU chips) per node. */
  readonly count: number;
  /** TPU topology this machine type serves on its own (single-host slices), e.g. `2x2`. */
  readonly topology?: string;
}

/** Catalog entry of an accelerator. */
export interface AcceleratorProps {
  /** Display name, e.g. `NVIDIA L4`. */
  readonly name: string;
  /** GPU or TPU. */
  readonly kind: AcceleratorKind;
  /** Memory per device (GPU memory or TPU chip HBM), decimal GB as the vendor states it. */
  readonly memoryGB: number;
  /** GKE `accelerator` node label / node pool `guest_accelerator.type`. */
  readonly gkeType?: string;
  /** GKE machine types that carry it. */
  readonly gkeMachineTypes?: GkeMachineType[];
  /** Cloud Run support, where Cloud Run offers it. */
  readonly cloudRun?: CloudRunGpuSupport;
  /** GPU model as EC2 reports it, where EC2 offers it (e.g. `L4`, `A10G`). */
  readonly ec2GpuModel?: string;
  /** Devices one replica uses (TPU slices: chips in the topology). */
  readonly devicesPerReplica?: number;
  /** TPU topology, e.g. `2x2`. */
  readonly topology?: string;
}

const GB = 1e9;

/* Sources (checked 2026-11):
 * - Cloud Run GPU: https://cloud.google.com/run/docs/configuring/services/gpu (L4: at least 4 CPU and
 *   16 GiB; RTX PRO 6000 Blackwell, preview: at least 20 CPU and 80 GiB; one GPU per instance). The L4
 *   maxima are Cloud Run's general ones (8 vCPU, 32 GiB: https://cloud.google.com/run/docs/configuring/services/cpu);
 *   no page states the RTX PRO 6000's, so they stay unset (unchecked).
 * - GKE GPUs: https://cloud.google.com/compute/docs/gpus (G2 = L4, A2 = A100 40/80 GB, A3 = H100/H200,
 *   G4 = RTX PRO 6000) and https://cloud.google.com/kubernetes-engine/docs/how-to/gpus.
 * - GKE TPUs: https://cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus (v5e: tpu-v5-lite-podslice,
 *   ct5lp-hightpu-{1,4,8}t, 16 GB HBM per chip; v6e: tpu-v6e-slice, ct6e-standard-{1,4,8}t, 32 GB per chip).
 */
const CATALOG = {
  l4: {
    name: 'NVIDIA L4', kind: AcceleratorKind.GPU, memoryGB: 24, gkeType: 'nvidia-l4', ec2GpuModel: 'L4',
    cloudRun: { accelerator: 'nvidia-l4', minCpu: 4, minMemoryGiB: 16, launchStage: 'GA', maxCpu: 8, maxMemoryGiB: 32 },
    gkeMachineTypes: [
      { machineType: 'g2-standard-4', count: 1 }, { machineType: 'g2-standard-8', count: 1 },
      { machineType: 'g2-standard-12', count: 1 }, { machineType: 'g2-standard-16', count: 1 },
      { machineType: 'g2-standard-24', count: 2 }, { machineType: 'g2-standard-32', count: 1 },
      { machineType: 'g2-standard-48', count: 4 }, { machineType: 'g2-standard-96', count: 8 },
    ],
  },
  rtxPro6000: {
    name: 'NVIDIA RTX PRO 6000 Blackwell', kind: AcceleratorKind.GPU, memoryGB: 96, gkeType: 'nvidia-rtx-pro-6000',
    cloudRun: { accelerator: 'nvidia-rtx-pro-6000', minCpu: 20, minMemoryGiB: 80, launchStage: 'BETA' },
    gkeMachineTypes: [
      { machineType: 'g4-standard-48', count: 1 }, { machineType: 'g4-standard-96', count: 2 },
      { machineType: 'g4-standard-192', count: 4 }, { machineType: 'g4-standard-384', count: 8 },
    ],
  },
  a100_40: {
    name: 'NVIDIA A100 40GB', kind: AcceleratorKind.GPU, memoryGB: 40, gkeType: 'nvidia-tesla-a100', ec2GpuModel: 'A100',
    gkeMachineTypes: [
      { machineType: 'a2-highgpu-1g', count: 1 }, { machineType: 'a2-highgpu-2g', count: 2 },
      { machineType: 'a2-highgpu-4g', count: 4 }, { machineType: 'a2-highgpu-8g', count: 8 },
      { machineType: 'a2-megagpu-16g', count: 16 },
    ],
  },
  a100_80: {
    name: 'NVIDIA A100 80GB', kind: AcceleratorKind.GPU, memoryGB: 80, gkeType: 'nvidia-a100-80gb',
    gkeMachineTypes: [
      { machineType: 'a2-ultragpu-1g', count: 1 }, { machineType: 'a2-ultragpu-2g', count: 2 },
      { machineType: 'a2-ultragpu-4g', count: 4 }, { machineType: 'a2-ultragpu-8g', count: 8 },
    ],
  },
  h100_80: {
    name: 'NVIDIA H100 80GB', kind: AcceleratorKind.GPU, memoryGB: 80, gkeType: 'nvidia-h100-80gb', ec2GpuModel: 'H100',
    gkeMachineTypes: [
      { machineType: 'a3-highgpu-1g', count: 1 }, { machineType: 'a3-highgpu-2g', count: 2 },
      { machineType: 'a3-highgpu-4g', count: 4 }, { machineType: 'a3-highgpu-8g', count: 8 },
    ],
  },
  h200: {
    name: 'NVIDIA H200 141GB', kind: AcceleratorKind.GPU, memoryGB: 141, gkeType: 'nvidia-h200-141gb', ec2GpuModel: 'H200',
    gkeMachineTypes: [{ machineType: 'a3-ultragpu-8g', count: 8 }],
  },
  a10g: { name: 'NVIDIA A10G', kind: AcceleratorKind.GPU, memoryGB: 24, ec2GpuModel: 'A10G' },
  l40s: { name: 'NVIDIA L40S', kind: AcceleratorKind.GPU, memoryGB: 48, ec2GpuModel: 'L40S' },
} satisfies Record<string, AcceleratorProps>;

/** TPU generations in the catalog. */
interface TpuGeneration {
  readonly name: string;
  readonly gkeType: string;
  readonly memoryGB: number;
  /** Single-host machine types by topology. */
  readonly machines: Record<string, GkeMachineType>;
  /** Multi-host topologies, served by the 4-chip machine type, one node per 4 chips. */
  readonly multiHost: string[];
  readonly multiHostMachine: string;
}

const TPU: Record<'v5e' | 'v6e', TpuGeneration> = {
  v5e: {
    name: 'TPU v5e', gkeType: 'tpu-v5-lite-podslice', memoryGB: 16,
    machines: {
      '1x1': { machineType: 'ct5lp-hightpu-1t', count: 1, topology: '1x1' },
      '2x2': { machineType: 'ct5lp-hightpu-4t', count: 4, topology: '2x2' },
      '2x4': { machineType: 'ct5lp-hightpu-8t', count: 8, topology: '2x4' },
    },
    multiHost: ['4x4', '4x8', '8x8', '8x16', '16x16'],
    multiHostMachine: 'ct5lp-hightpu-4t',
  },
  v6e: {
    name: 'TPU v6e', gkeType: 'tpu-v6e-slice', memoryGB: 32,
    machines: {
      '1x1': { machineType: 'ct6e-standard-1t', count: 1, topology: '1x1' },
      '2x2': { machineType: 'ct6e-standard-4t', count: 4, topology: '2x2' },
      '2x4': { machineType: 'ct6e-standard-8t', count: 8, topology: '2x4' },
    },
    multiHost: ['4x4', '4x8', '8x8', '8x16', '16x16'],
    multiHostMachine: 'ct6e-standard-4t',
  },
};

/**
 * An accelerator from the catalog: NVIDIA GPUs (Cloud Run, GKE, EC2) and TPU slices (GKE).
 *
 * Use the static factories; every adapter reads the numbers it needs from here (memory per device,
 * Cloud Run minima, GKE accelerator type and machine types).
 */
export class Accelerator {
  /** NVIDIA L4, 24 GB: Cloud Run (GA), GKE G2, EC2 G6. */
  public static nvidiaL4(): Accelerator { return new Accelerator(CATALOG.l4); }
  /** NVIDIA RTX PRO 6000 Blackwell, 96 GB: Cloud Run (preview, launch stage BETA), GKE G4. */
  public static nvidiaRtxPro6000(): Accelerator { return new Accelerator(CATALOG.rtxPro6000); }
  /** NVIDIA A100 40 GB: GKE A2 high-GPU, EC2 P4d. */
  public static nvidiaA100_40GB(): Accelerator { return new Accelerator(CATALOG.a100_40); }
  /** NVIDIA A100 80 GB: GKE A2 ultra-GPU. */
  public static nvidiaA100_80GB(): Accelerator { return new Accelerator(CATALOG.a100_80); }
  /** NVIDIA H100 80 GB: GKE A3 high-GPU, EC2 P5. */
  public static nvidiaH100_80GB(): Accelerator { return new Accelerator(CATALOG.h100_80); }
  /** NVIDIA H200 141 GB: GKE A3 ultra-GPU, EC2 P5e. */
  public static nvidiaH200(): Accelerator { return new Accelerator(CATALOG.h200); }
  /** NVIDIA A10G, 24 GB: EC2 G5. */
  public static nvidiaA10G(): Accelerator { return new Accelerator(CATALOG.a10g); }
  /** NVIDIA L40S, 48 GB: EC2 G6e. */
  public static nvidiaL40S(): Accelerator { return new Accelerator(CATALOG.l40s); }

  /** A TPU v5e slice of the given topology (default `1x1`, one chip). */
  public static tpuV5e(topology: string = '1x1'): Accelerator { return Accelerator.tpu('v5e', topology); }
  /** A TPU v6e (Trillium) slice of the given topology (default `1x1`, one chip). */
  public static tpuV6e(topology: string = '1x1'): Accelerator { return Accelerator.tpu('v6e', topology); }

  /** The GPU whose EC2 GPU model name is `model` (e.g. `L4`), if the catalog has it. */
  public static fromEc2GpuModel(model: string): Accelerator | undefined {
    const found = Object.values(CATALOG).find((a) => 'ec2GpuModel' in a && a.ec2GpuModel === model);
    return found ? new Accelerator(found) : undefined;
  }

  private static tpu(generation: 'v5e' | 'v6e', topology: string): Accelerator {
    const gen = TPU[generation];
    const single = gen.machines[topology];
    const allowed = [...Object.keys(gen.machines), ...gen.multiHost];
    if (!allowed.includes(topology)) {
      throw new ValidationError({
        code: 'ACCELERATOR_NOT_SUPPORTED', path: `Accelerator.tpu${generation.toUpperCase()}`, property: 'topology',
        value: topology, allowed: `one of: ${allowed.join(', ')}`,
      });
    }
    const chips = topology.split('x').map(Number).reduce((a, b) => a * b, 1);
    return new Accelerator({
      name: `${gen.name} ${topology}`, kind: AcceleratorKind.TPU, memoryGB: gen.memoryGB, gkeType: gen.gkeType,
      topology, devicesPerReplica: chips,
      gkeMachineTypes: single ? [single] : [{ machineType: gen.multiHostMachine, count: 4, topology }],
    });
  }

  /** Display name. */
  public readonly name: string;
  /** GPU or TPU. */
  public readonly kind: AcceleratorKind;
  /** Memory per device, decimal GB. */
  public readonly memoryGB: number;
  /** GKE accelerator type, where GKE offers it. */
  public readonly gkeType?: string;
  /** GKE machine types that carry it. */
  public readonly gkeMachineTypes: readonly GkeMachineType[];
  /** Cloud Run support, where Cloud Run offers it. */
  public readonly cloudRun?: CloudRunGpuSupport;
  /** GPU model as EC2 names it. */
  public readonly ec2GpuModel?: string;
  /** TPU topology, for TPU slices. */
  public readonly topology?: string;
  /** Devices one replica uses by default (1 for a GPU; chips in the topology for a TPU slice). */
  public readonly devicesPerReplica: number;

  private constructor(props: AcceleratorProps) {
    this.name = props.name;
    this.kind = props.kind;
    this.memoryGB = props.memoryGB;
    this.gkeType = props.gkeType;
    this.gkeMachineTypes = props.gkeMachineTypes ?? [];
    this.cloudRun = props.cloudRun;
    this.ec2GpuModel = props.ec2GpuModel;
    this.topology = props.topology;
    this.devicesPerReplica = props.devicesPerReplica ?? 1;
  }

  /** Memory per device in bytes. */
  public get memoryBytes(): number {
    return this.memoryGB * GB;
  }

  /** The GKE machine type entry for `machineType`, or undefined when it does not carry this accelerator. */
  public gkeMachineType(machineType: string): GkeMachineType | undefined {
    return this.gkeMachineTypes.find((m) => m.machineType === machineType);
  }
}
