import { Construct } from 'constructs';
import { Accelerator, isUnresolved, Validator } from '../core';
import { Annotations } from '../tf';
import { CLOUD_RUN_GPU_REGIONS, CLOUD_RUN_LIMITS } from './cloud-run-limits';
import { CloudRunServiceBase, CloudRunServiceOptions, CloudRunServiceSpec } from './cloud-run-service-base';

/** Options of a Cloud Run service with one GPU, shared by {@link CloudRunGpuService} and {@link OllamaModelService}. */
export interface CloudRunGpuServiceOptions extends CloudRunServiceOptions {
  /** vCPUs per instance, a whole number at least the accelerator's minimum. @default - the accelerator's minimum (4 for an L4) */
  readonly cpu?: number;
  /** Memory per instance in GiB, at least the accelerator's minimum. @default - the accelerator's minimum (16 for an L4) */
  readonly memoryGiB?: number;
  /**
   * GPU zonal redundancy: Cloud Run reserves capacity to fail over to another zone. Turning it off
   * costs less and risks no GPU capacity during a zonal outage. @default true (as in Cloud Run)
   */
  readonly gpuZonalRedundancy?: boolean;
  /**
   * The most GPUs the service may hold at once (`maxInstances x 1 GPU`); synth fails when
   * `maxInstances` exceeds it. Set it to your regional GPU quota. @default - no budget
   */
  readonly maxGpus?: number;
  /** Startup CPU boost (more CPU while the container starts). @default - not set (Cloud Run's default, off) */
  readonly startupCpuBoost?: boolean;
}

/** Props of {@link CloudRunGpuService}. */
export interface CloudRunGpuServiceProps extends CloudRunGpuServiceOptions {
  /** Container image URL. */
  readonly image: string;
  /** The GPU each instance gets. @default Accelerator.nvidiaL4() */
  readonly accelerator?: Accelerator;
  /** Maximum concurrent requests per instance (1-1000). @default 4 */
  readonly concurrency?: number;
  /** Maximum instances (1-1000). @default 3 */
  readonly maxInstances?: number;
}

/**
 * A Cloud Run v2 service with one GPU per instance (NVIDIA L4, or the RTX PRO 6000 preview with the
 * `BETA` launch stage it needs).
 *
 * - CPU and memory are checked against the accelerator's minima at synth time.
 * - Instance-based billing is forced (`cpuIdle: false`): Cloud Run runs GPU services only that way.
 * - `maxGpus` turns the GPU quota into a synth-time budget.
 * - A region where Cloud Run does not list the GPU is a warning ({@link CLOUD_RUN_GPU_REGIONS}).
 * - A dedicated service account; no public invoker (use {@link grantInvoke} / {@link allowInvokeFrom}).
 */
export class CloudRunGpuService extends CloudRunServiceBase {
  /** The GPU each instance gets. */
  public readonly accelerator: Accelerator;
  /** vCPUs per instance. */
  public readonly cpu: number;
  /** Memory per instance, GiB. */
  public readonly memoryGiB: number;

  constructor(scope: Construct, id: string, props: CloudRunGpuServiceProps) {
    const accelerator = props.accelerator ?? Accelerator.nvidiaL4();
    let cpu = 0;
    let memoryGiB = 0;
    super(scope, id, props, (v) => {
      const spec = gpuSpec(v, props, accelerator);
      cpu = spec.cpu;
      memoryGiB = spec.memoryGiB;
      return spec;
    });
    this.accelerator = accelerator;
    this.cpu = cpu;
    this.memoryGiB = memoryGiB;
    const regions = CLOUD_RUN_GPU_REGIONS[accelerator.cloudRun!.accelerator];
    if (regions && !isUnresolved(props.region) && !regions.includes(props.region)) {
      Annotations.of(this).addWarning(`Cloud Run does not list ${accelerator.name} in ${props.region} ` +
        `(it does in ${regions.join(', ')}): the deploy fails unless Google added the region since.`);
    }
  }
}

function gpuSpec(v: Validator, props: CloudRunGpuServiceProps, accelerator: Accelerator): CloudRunServiceSpec {
  const support = accelerator.cloudRun;
  if (!support) {
    return v.fail('ACCELERATOR_NOT_SUPPORTED', 'accelerator', accelerator.name,
      'an accelerator Cloud Run offers: NVIDIA L4, NVIDIA RTX PRO 6000 Blackwell',
      'see https://cloud.google.com/run/docs/configuring/services/gpu');
  }
  const cpu = props.cpu ?? support.minCpu;
  v.integerInRange('CPU_OUT_OF_RANGE', 'cpu', cpu, support.minCpu, support.maxCpu ?? 1000,
    `${accelerator.name} needs at least ${support.minCpu} whole vCPUs on Cloud Run` +
    (support.maxCpu ? `, at most ${support.maxCpu}` : ''));
  // Within Cloud Run's general CPU table (up to 8 vCPU) only 4, 6 and 8 vCPU exist above 2, each with a memory range.
  const table = isUnresolved(cpu) || cpu > 8 ? undefined : CLOUD_RUN_LIMITS.cpuMemoryGiB[cpu];
  if (!isUnresolved(cpu) && cpu <= 8 && !table) {
    v.fail('CPU_OUT_OF_RANGE', 'cpu', cpu, `one of: ${Object.keys(CLOUD_RUN_LIMITS.cpuMemoryGiB)
      .filter((c) => Number(c) >= support.minCpu).join(', ')}`, 'Cloud Run offers 1, 2, 4, 6 or 8 vCPU');
  }
  const memoryGiB = props.memoryGiB ?? support.minMemoryGiB;
  const maxMemory = Math.min(support.maxMemoryGiB ?? 1024, table?.max ?? 1024);
  v.numberInRange('MEMORY_OUT_OF_RANGE', 'memoryGiB', memoryGiB, support.minMemoryGiB, maxMemory,
    `${accelerator.name} needs at least ${support.minMemoryGiB} GiB on Cloud Run` +
    (maxMemory < 1024 ? `; ${cpu} vCPU allow at most ${maxMemory} GiB` : ''));
  const maxInstances = props.maxInstances ?? 3;
  if (props.maxGpus !== undefined) {
    v.integerInRange('GPU_BUDGET_EXCEEDED', 'maxGpus', props.maxGpus, 1, 100_000);
    if (!isUnresolved(maxInstances) && maxInstances > props.maxGpus) {
      v.fail('GPU_BUDGET_EXCEEDED', 'maxInstances', maxInstances, `at most maxGpus = ${props.maxGpus}`,
        'each instance holds one GPU: raise maxGpus (and the regional GPU quota) or lower maxInstances');
    }
  }
  return {
    image: props.image,
    cpu,
    memoryGiB,
    concurrency: props.concurrency ?? 4,
    maxInstances,
    environment: {},
    extraLimits: { 'nvidia.com/gpu': '1' },
    cpuIdle: false,
    startupCpuBoost: props.startupCpuBoost,
    accelerator: support.accelerator,
    gpuZonalRedundancyDisabled: !(props.gpuZonalRedundancy ?? true),
    launchStage: support.launchStage === 'GA' ? undefined : support.launchStage,
  };
}
