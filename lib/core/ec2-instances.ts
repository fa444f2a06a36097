import { ValidationError } from './errors';

/** CPU architecture of an EC2 instance type. */
export type Ec2Architecture = 'x86_64' | 'arm64';

/**
 * The On-Demand vCPU quota bucket an instance type counts against (Service Quotas, service `ec2`).
 */
export interface Ec2VcpuQuota {
  /** Quota code, e.g. `L-DB2E81BA`. */
  readonly code: string;
  /** Quota name as the Service Quotas console shows it. */
  readonly name: string;
}

/** Quota buckets that bound a provider's instances. */
export const EC2_VCPU_QUOTAS = {
  /** G and VT families. */
  G_AND_VT: { code: 'L-DB2E81BA', name: 'Running On-Demand G and VT instances' },
  /** P families. */
  P: { code: 'L-417A185B', name: 'Running On-Demand P instances' },
  /** A, C, D, H, I, M, R, T and Z families. */
  STANDARD: { code: 'L-1216C47A', name: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances' },
} as const satisfies Record<string, Ec2VcpuQuota>;

/** One EC2 instance type. */
export interface Ec2InstanceSpec {
  /** Instance type, e.g. `g6.xlarge`. */
  readonly instanceType: string;
  /** Family, e.g. `g6`. */
  readonly family: string;
  /** Size, e.g. `xlarge`. */
  readonly size: string;
  /** vCPUs. */
  readonly vcpus: number;
  /** Memory, GiB. */
  readonly memoryGiB: number;
  /** CPU architecture. */
  readonly architecture: Ec2Architecture;
  /** GPUs (0 for CPU-only types). */
  readonly gpuCount: number;
  /** GPU model, e.g. `L4`. */
  readonly gpuModel?: string;
  /** Memory per GPU, GiB. */
  readonly gpuMemoryGiB?: number;
  /** The On-Demand vCPU quota this type counts against. */
  readonly quota: Ec2VcpuQuota;
}

type Row = [size: string, vcpus: number, memoryGiB: number, gpus: number];

function gpuFamily(family: string, architecture: Ec2Architecture, gpuModel: string, gpuMemoryGiB: number,
  rows: Row[]): Ec2InstanceSpec[] {
  const quota = family.startsWith('p') ? EC2_VCPU_QUOTAS.P : EC2_VCPU_QUOTAS.G_AND_VT;
  return rows.map(([size, vcpus, memoryGiB, gpuCount]) => ({
    instanceType: `${family}.${size}`, family, size, vcpus, memoryGiB, architecture, gpuCount, gpuModel,
    gpuMemoryGiB, quota,
  }));
}

/** The sizes the G families share (vCPUs, memory multiplier applied per family). */
const G_SIZES: Array<[string, number, number]> = [
  ['xlarge', 4, 1], ['2xlarge', 8, 1], ['4xlarge', 16, 1], ['8xlarge', 32, 1],
  ['12xlarge', 48, 4], ['16xlarge', 64, 1], ['24xlarge', 96, 4], ['48xlarge', 192, 8],
];
const gRows = (memoryPerVcpu: number): Row[] => G_SIZES.map(([s, v, g]) => [s, v, v * memoryPerVcpu, g]);

/**
 * GPU instance types, from the EC2 "Accelerated computing" specifications
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html, checked 2026-11):
 * g4dn (T4 16 GiB), g5 (A10G 24 GiB), g5g (T4G 16 GiB, Graviton), g6 (L4 24 GiB), g6e (L40S 48 GiB),
 * p4d (A100 40 GiB), p4de (A100 80 GiB), p5 (H100 80 GiB), p5e/p5en (H200 141 GiB).
 */
export const EC2_GPU_INSTANCES: readonly Ec2InstanceSpec[] = [
  ...gpuFamily('g4dn', 'x86_64', 'T4', 16, [
    ['xlarge', 4, 16, 1], ['2xlarge', 8, 32, 1], ['4xlarge', 16, 64, 1], ['8xlarge', 32, 128, 1],
    ['12xlarge', 48, 192, 4], ['16xlarge', 64, 256, 1], ['metal', 96, 384, 8],
  ]),
  ...gpuFamily('g5', 'x86_64', 'A10G', 24, gRows(4)),
  ...gpuFamily('g5g', 'arm64', 'T4G', 16, [
    ['xlarge', 4, 8, 1], ['2xlarge', 8, 16, 1], ['4xlarge', 16, 32, 1], ['8xlarge', 32, 64, 1],
    ['16xlarge', 64, 128, 2], ['metal', 64, 128, 2],
  ]),
  ...gpuFamily('g6', 'x86_64', 'L4', 24, gRows(4)),
  ...gpuFamily('g6e', 'x86_64', 'L40S', 48, gRows(8)),
  ...gpuFamily('p4d', 'x86_64', 'A100', 40, [['24xlarge', 96, 1152, 8]]),
  ...gpuFamily('p4de', 'x86_64', 'A100', 80, [['24xlarge', 96, 1152, 8]]),
  ...gpuFamily('p5', 'x86_64', 'H100', 80, [['4xlarge', 16, 256, 1], ['48xlarge', 192, 2048, 8]]),
  ...gpuFamily('p5e', 'x86_64', 'H200', 141, [['48xlarge', 192, 2048, 8]]),
  ...gpuFamily('p5en', 'x86_64', 'H200', 141, [['48xlarge', 192, 2048, 8]]),
];

const BY_TYPE = new Map<string, Ec2InstanceSpec>();
for (const spec of EC2_GPU_INSTANCES) BY_TYPE.set(spec.instanceType, spec);

/**
 * Registers more instance types (used by the CPU families of the Lambda Managed Instances catalog).
 * Later registrations of the same type replace earlier ones.
 */
export function registerEc2Instances(specs: readonly Ec2InstanceSpec[]): void {
  for (const spec of specs) BY_TYPE.set(spec.instanceType, spec);
}

/** Every instance type the catalog knows. */
export function ec2Instances(): Ec2InstanceSpec[] {
  return [...BY_TYPE.values()];
}

/** The catalog entry of `instanceType`, or undefined. */
export function findEc2Instance(instanceType: string): Ec2InstanceSpec | undefined {
  return BY_TYPE.get(instanceType);
}

/** The catalog entry of `instanceType`; throws `UNKNOWN_INSTANCE_TYPE` naming `path` when absent. */
export function ec2Instance(instanceType: string, path: string = 'Ec2Instance'): Ec2InstanceSpec {
  const spec = BY_TYPE.get(instanceType);
  if (!spec) {
    throw new ValidationError({
      code: 'UNKNOWN_INSTANCE_TYPE', path, property: 'instanceType', value: instanceType,
      allowed: 'an instance type in the catalog (see ec2Instances())',
    });
  }
  return spec;
}
