import { EC2_CPU_FAMILIES, EC2_CPU_INSTANCES, EC2_VCPU_QUOTAS, ec2Instance, ec2Instances, findEc2Instance } from '../../lib';

describe('EC2 CPU instance table (Lambda Managed Instances families)', () => {
  test.each([
    ['c5.large', 2, 4, 'x86_64'], ['c5.9xlarge', 36, 72, 'x86_64'], ['m5.24xlarge', 96, 384, 'x86_64'],
    ['r5.xlarge', 4, 32, 'x86_64'], ['c6i.32xlarge', 128, 256, 'x86_64'], ['m7i.48xlarge', 192, 768, 'x86_64'],
    ['r7i.large', 2, 16, 'x86_64'], ['c6g.16xlarge', 64, 128, 'arm64'], ['m7g.xlarge', 4, 16, 'arm64'],
    ['r8g.48xlarge', 192, 1536, 'arm64'], ['c8g.2xlarge', 8, 16, 'arm64'],
  ])('%s: %i vCPU, %i GiB, %s', (type, vcpus, memoryGiB, architecture) => {
    expect(ec2Instance(type)).toMatchObject({ vcpus, memoryGiB, architecture, gpuCount: 0, quota: EC2_VCPU_QUOTAS.STANDARD });
  });

  test('families: C/M/R x86_64 5th-7th gen and Graviton 6g-8g', () => {
    expect([...EC2_CPU_FAMILIES].sort()).toEqual(['c5', 'c6g', 'c6i', 'c7g', 'c7i', 'c8g', 'm5', 'm6g', 'm6i',
      'm7g', 'm7i', 'm8g', 'r5', 'r6g', 'r6i', 'r7g', 'r7i', 'r8g']);
    for (const spec of EC2_CPU_INSTANCES) {
      expect(spec.architecture).toBe(spec.family.endsWith('g') ? 'arm64' : 'x86_64');
    }
  });

  test('.large and up only: no medium, no metal', () => {
    expect(findEc2Instance('c6g.medium')).toBeUndefined();
    expect(findEc2Instance('m5.metal')).toBeUndefined();
    expect(Math.min(...EC2_CPU_INSTANCES.map((i) => i.vcpus))).toBe(2);
  });

  test('memory per vCPU is 2 (C), 4 (M), 8 (R) GiB', () => {
    for (const spec of EC2_CPU_INSTANCES) {
      expect(spec.memoryGiB / spec.vcpus).toBe({ c: 2, m: 4, r: 8 }[spec.family[0]]);
    }
  });

  test('registered in the shared catalog next to the GPU table', () => {
    const types = ec2Instances().map((i) => i.instanceType);
    expect(types).toEqual(expect.arrayContaining(['g6.xlarge', 'c7i.large', 'r8g.large']));
    expect(new Set(EC2_CPU_INSTANCES.map((i) => i.instanceType)).size).toBe(EC2_CPU_INSTANCES.length);
  });
});
