import { Accelerator, AcceleratorKind, EC2_GPU_INSTANCES, EC2_VCPU_QUOTAS, ec2Instance, ec2Instances,
  findEc2Instance, registerEc2Instances, ValidationError } from '../../lib';

describe('Accelerator catalog', () => {
  test('Cloud Run GPUs carry their minima and launch stage', () => {
    expect(Accelerator.nvidiaL4().cloudRun).toEqual({ accelerator: 'nvidia-l4', minCpu: 4, minMemoryGiB: 16, launchStage: 'GA',
      maxCpu: 8, maxMemoryGiB: 32 });
    expect(Accelerator.nvidiaRtxPro6000().cloudRun).toEqual(
      { accelerator: 'nvidia-rtx-pro-6000', minCpu: 20, minMemoryGiB: 80, launchStage: 'BETA' });
    expect(Accelerator.nvidiaH100_80GB().cloudRun).toBeUndefined();
  });

  test.each([
    [Accelerator.nvidiaL4(), 'nvidia-l4', 24],
    [Accelerator.nvidiaA100_40GB(), 'nvidia-tesla-a100', 40],
    [Accelerator.nvidiaA100_80GB(), 'nvidia-a100-80gb', 80],
    [Accelerator.nvidiaH100_80GB(), 'nvidia-h100-80gb', 80],
    [Accelerator.nvidiaH200(), 'nvidia-h200-141gb', 141],
  ])('GKE GPU %#', (acc, gkeType, gb) => {
    expect(acc.kind).toBe(AcceleratorKind.GPU);
    expect(acc.gkeType).toBe(gkeType);
    expect(acc.memoryBytes).toBe(gb * 1e9);
    expect(acc.devicesPerReplica).toBe(1);
    expect(acc.gkeMachineTypes.length).toBeGreaterThan(0);
  });

  test('H100 machine with 2 GPUs is a3-highgpu-2g', () => {
    expect(Accelerator.nvidiaH100_80GB().gkeMachineType('a3-highgpu-2g')).toEqual({ machineType: 'a3-highgpu-2g', count: 2 });
    expect(Accelerator.nvidiaH100_80GB().gkeMachineType('g2-standard-8')).toBeUndefined();
  });

  test('TPU slices: single-host and multi-host topologies', () => {
    const v5e = Accelerator.tpuV5e('2x4');
    expect(v5e.kind).toBe(AcceleratorKind.TPU);
    expect(v5e.gkeType).toBe('tpu-v5-lite-podslice');
    expect(v5e.devicesPerReplica).toBe(8);
    expect(v5e.gkeMachineTypes).toEqual([{ machineType: 'ct5lp-hightpu-8t', count: 8, topology: '2x4' }]);
    const v6e = Accelerator.tpuV6e('4x4');
    expect(v6e.gkeType).toBe('tpu-v6e-slice');
    expect(v6e.devicesPerReplica).toBe(16);
    expect(v6e.gkeMachineTypes).toEqual([{ machineType: 'ct6e-standard-4t', count: 4, topology: '4x4' }]);
    expect(Accelerator.tpuV6e().devicesPerReplica).toBe(1);
  });

  test('unknown TPU topology fails with the allowed list', () => {
    expect(() => Accelerator.tpuV5e('3x3')).toThrow(
      '[ACCELERATOR_NOT_SUPPORTED] Accelerator.tpuV5E: topology = "3x3" is invalid; allowed: one of: 1x1, 2x2, 2x4, 4x4, 4x8, 8x8, 8x16, 16x16');
  });

  test('fromEc2GpuModel', () => {
    expect(Accelerator.fromEc2GpuModel('L40S')?.memoryGB).toBe(48);
    expect(Accelerator.fromEc2GpuModel('A10G')?.name).toBe('NVIDIA A10G');
    expect(Accelerator.fromEc2GpuModel('T9')).toBeUndefined();
  });
});

describe('EC2 GPU instance table', () => {
  test.each([
    ['g5.xlarge', 4, 16, 1, 'A10G', 24], ['g5.12xlarge', 48, 192, 4, 'A10G', 24],
    ['g6.xlarge', 4, 16, 1, 'L4', 24], ['g6.48xlarge', 192, 768, 8, 'L4', 24],
    ['g6e.xlarge', 4, 32, 1, 'L40S', 48], ['g6e.48xlarge', 192, 1536, 8, 'L40S', 48],
    ['p4d.24xlarge', 96, 1152, 8, 'A100', 40], ['p5.48xlarge', 192, 2048, 8, 'H100', 80],
    ['p5.4xlarge', 16, 256, 1, 'H100', 80],
  ])('%s: %i vCPU, %i GiB, %i x %s %i GiB', (type, vcpus, mem, gpus, model, gpuMem) => {
    expect(ec2Instance(type)).toMatchObject({ vcpus, memoryGiB: mem, gpuCount: gpus, gpuModel: model, gpuMemoryGiB: gpuMem });
  });

  test('quota buckets: G families vs P families', () => {
    expect(ec2Instance('g6.xlarge').quota).toBe(EC2_VCPU_QUOTAS.G_AND_VT);
    expect(ec2Instance('p5.48xlarge').quota).toBe(EC2_VCPU_QUOTAS.P);
    expect(EC2_VCPU_QUOTAS.G_AND_VT.code).toBe('L-DB2E81BA');
    expect(EC2_VCPU_QUOTAS.P.code).toBe('L-417A185B');
    expect(EC2_VCPU_QUOTAS.STANDARD.code).toBe('L-1216C47A');
  });

  test('g5g is arm64; every other GPU family is x86_64', () => {
    expect(EC2_GPU_INSTANCES.filter((i) => i.architecture === 'arm64').every((i) => i.family === 'g5g')).toBe(true);
  });

  test('unknown type fails naming the path', () => {
    expect(() => ec2Instance('g99.huge', 'Stack/Provider')).toThrow(
      '[UNKNOWN_INSTANCE_TYPE] Stack/Provider: instanceType = "g99.huge" is invalid');
    expect(findEc2Instance('g99.huge')).toBeUndefined();
  });

  test('registerEc2Instances adds types', () => {
    registerEc2Instances([{ instanceType: 'zz9.large', family: 'zz9', size: 'large', vcpus: 2, memoryGiB: 4,
      architecture: 'x86_64', gpuCount: 0, quota: EC2_VCPU_QUOTAS.STANDARD }]);
    expect(ec2Instances().map((i) => i.instanceType)).toContain('zz9.large');
  });

  test('ValidationError type is what the table throws', () => {
    expect(() => ec2Instance('nope')).toThrow(ValidationError);
  });
});
