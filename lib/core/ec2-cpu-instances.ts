import { EC2_VCPU_QUOTAS, Ec2Architecture, Ec2InstanceSpec, registerEc2Instances } from './ec2-instances';

/** CPU-only instance class of the general purpose (M), compute optimized (C) and memory optimized (R) families. */
export type Ec2CpuClass = 'c' | 'm' | 'r';

/** GiB of memory per vCPU of each class (C 2, M 4, R 8: true of every family below). */
export const EC2_MEMORY_PER_VCPU: Record<Ec2CpuClass, number> = { c: 2, m: 4, r: 8 };

/** Size name to vCPUs, `.large` and up (the smallest size Lambda Managed Instances uses). */
const VCPUS: Record<string, number> = {
  'large': 2, 'xlarge': 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '9xlarge': 36, '12xlarge': 48,
  '16xlarge': 64, '18xlarge': 72, '24xlarge': 96, '32xlarge': 128, '48xlarge': 192,
};

const UP_TO_16 = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];
const UP_TO_24 = [...UP_TO_16, '24xlarge'];
const C5_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge'];

/** Family, architecture and sizes of every CPU family in the table. */
const FAMILIES: Array<[family: string, architecture: Ec2Architecture, sizes: string[]]> = [
  // x86_64, 5th to 7th generation (Intel base families).
  ['c5', 'x86_64', C5_SIZES], ['m5', 'x86_64', UP_TO_24], ['r5', 'x86_64', UP_TO_24],
  ['c6i', 'x86_64', [...UP_TO_24, '32xlarge']], ['m6i', 'x86_64', [...UP_TO_24, '32xlarge']],
  ['r6i', 'x86_64', [...UP_TO_24, '32xlarge']],
  ['c7i', 'x86_64', [...UP_TO_24, '48xlarge']], ['m7i', 'x86_64', [...UP_TO_24, '48xlarge']],
  ['r7i', 'x86_64', [...UP_TO_24, '48xlarge']],
  // arm64 (Graviton2, Graviton3, Graviton4).
  ['c6g', 'arm64', UP_TO_16], ['m6g', 'arm64', UP_TO_16], ['r6g', 'arm64', UP_TO_16],
  ['c7g', 'arm64', UP_TO_16], ['m7g', 'arm64', UP_TO_16], ['r7g', 'arm64', UP_TO_16],
  ['c8g', 'arm64', [...UP_TO_24, '48xlarge']], ['m8g', 'arm64', [...UP_TO_24, '48xlarge']],
  ['r8g', 'arm64', [...UP_TO_24, '48xlarge']],
];

/**
 * CPU instance types of the families Lambda Managed Instances runs on: C, M and R, x86_64 5th to 7th
 * generation (c5, m5, r5, c6i, m6i, r6i, c7i, m7i, r7i) and Graviton (c6g-c8g, m6g-m8g, r6g-r8g),
 * `.large` and larger, bare metal excluded. vCPUs and memory from the EC2 instance type specifications
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html, co.html, mo.html; checked 2026-11);
 * the supported families from the Lambda developer guide ("Lambda Managed Instances", instance types)
 * and the AWS Compute blog (2025-12).
 *
 * Only the base families are listed; variants (`c6a`, `m7a`, `c6id`, ...) that the service may also
 * accept can be added with {@link registerEc2Instances}.
 */
export const EC2_CPU_INSTANCES: readonly Ec2InstanceSpec[] = FAMILIES.flatMap(([family, architecture, sizes]) =>
  sizes.map((size): Ec2InstanceSpec => {
    const vcpus = VCPUS[size];
    return {
      instanceType: `${family}.${size}`, family, size, vcpus,
      memoryGiB: vcpus * EC2_MEMORY_PER_VCPU[family[0] as Ec2CpuClass], architecture, gpuCount: 0,
      quota: EC2_VCPU_QUOTAS.STANDARD,
    };
  }));

/** The CPU families of {@link EC2_CPU_INSTANCES}, e.g. `c7i`, `m8g`. */
export const EC2_CPU_FAMILIES: readonly string[] = FAMILIES.map(([family]) => family);

registerEc2Instances(EC2_CPU_INSTANCES);
