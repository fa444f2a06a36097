import { Accelerator } from '../../lib';
import { CloudRunGpuService, CloudRunGpuServiceProps, CloudRunIngress } from '../../lib/gcp';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidationError, template, testStack, warnings } from './support';

const base: CloudRunGpuServiceProps = { serviceName: 'gpu-svc', region: 'europe-west1', image: 'img:1' };
const PATH = 'Test/Gpu';
const TYPE = 'google_cloud_run_v2_service';

function synth(props: Partial<CloudRunGpuServiceProps> = {}) {
  const stack = testStack();
  const svc = new CloudRunGpuService(stack, 'Gpu', { ...base, ...props });
  return { stack, svc, t: template(stack) };
}

describe('CloudRunGpuService defaults', () => {
  const { stack, svc, t } = synth();
  const config = t.resource(TYPE).config;
  const container = config.template.containers[0];

  test('one L4, its minimum CPU and memory, instance-based billing', () => {
    expect(config.template.node_selector).toEqual({ accelerator: 'nvidia-l4' });
    expect(container.resources).toEqual({ cpu_idle: false, limits: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' } });
    expect([svc.cpu, svc.memoryGiB, svc.accelerator.name]).toEqual([4, 16, 'NVIDIA L4']);
  });

  test('concurrency 4, 0-3 instances, 300 s timeout, GPU zonal redundancy on, GA (no launch stage)', () => {
    expect(config.template.max_instance_request_concurrency).toBe(4);
    expect(config.template.scaling).toEqual({ min_instance_count: 0, max_instance_count: 3 });
    expect(config.template.timeout).toBe('300s');
    expect(config.template.gpu_zonal_redundancy_disabled).toBe(false);
    expect(config.launch_stage).toBeUndefined();
  });

  test('ingress ALL, no labels, deletion protection left to the provider, port 8080', () => {
    expect(config.ingress).toBe('INGRESS_TRAFFIC_ALL');
    expect(config.labels).toBeUndefined();
    expect(config.deletion_protection).toBeUndefined();
    expect(container.ports).toEqual({ container_port: 8080 });
    expect(container.resources.startup_cpu_boost).toBeUndefined();
  });

  test('a TCP startup probe using the whole 240 s window', () => {
    expect(container.startup_probe).toEqual({
      tcp_socket: { port: 8080 }, initial_delay_seconds: 0, period_seconds: 10, timeout_seconds: 5, failure_threshold: 24,
    });
  });

  test('a dedicated service account runs the service; nobody may invoke it', () => {
    const sa = t.resource('google_service_account').config;
    expect(sa.account_id).toBe('gpu-svc');
    expect(config.template.service_account).toMatch(/^\$\{google_service_account\.Gpu_ServiceAccount_\w+\.email\}$/);
    t.resourceCountIs('google_cloud_run_v2_service_iam_member', 0);
  });

  test('snapshot', () => expectSynthSnapshot(stack));

  test('no warnings in a GPU region', () => expect(warnings(stack)).toEqual([]));
});

describe('CloudRunGpuService regions', () => {
  test('a region without the GPU warns (lists change, so it does not fail)', () => {
    expect(warnings(synth({ region: 'us-west1' }).stack))
      .toEqual([expect.stringContaining('Cloud Run does not list NVIDIA L4 in us-west1')]);
    expect(warnings(synth({ region: 'europe-west1', accelerator: Accelerator.nvidiaRtxPro6000() }).stack))
      .toEqual([expect.stringContaining('NVIDIA RTX PRO 6000 Blackwell in europe-west1')]);
    expect(warnings(synth({ region: 'europe-west4', accelerator: Accelerator.nvidiaRtxPro6000() }).stack)).toEqual([]);
  });
});

describe('CloudRunGpuService props', () => {
  test('every option renders', () => {
    const { t } = synth({
      cpu: 8, memoryGiB: 32, concurrency: 16, minInstances: 1, maxInstances: 5, timeoutSeconds: 900,
      gpuZonalRedundancy: false, startupCpuBoost: true, ingress: CloudRunIngress.INTERNAL_ONLY,
      labels: { team: 'ml' }, deletionProtection: false, containerPort: 9000, project: 'p1',
      environment: { A: 'b' }, serviceAccountId: 'custom-sa',
      startupProbe: { httpPath: '/ready', initialDelaySeconds: 30, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 6 },
    });
    t.hasResourceProperties(TYPE, {
      project: 'p1', ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY', labels: { team: 'ml' }, deletion_protection: false,
      template: {
        max_instance_request_concurrency: 16, timeout: '900s', gpu_zonal_redundancy_disabled: true,
        scaling: { min_instance_count: 1, max_instance_count: 5 }, labels: { team: 'ml' },
        containers: [{
          image: 'img:1', env: [{ name: 'A', value: 'b' }], ports: { container_port: 9000 },
          resources: { cpu_idle: false, startup_cpu_boost: true, limits: { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': '1' } },
          startup_probe: { http_get: { path: '/ready', port: 9000 }, initial_delay_seconds: 30, period_seconds: 20,
            timeout_seconds: 3, failure_threshold: 6 },
        }],
      },
    });
    t.hasResourceProperties('google_service_account', { account_id: 'custom-sa', project: 'p1' });
  });

  test('RTX PRO 6000 (preview) gets its minima and the BETA launch stage', () => {
    const { t } = synth({ accelerator: Accelerator.nvidiaRtxPro6000() });
    t.hasResourceProperties(TYPE, {
      launch_stage: 'BETA',
      template: { node_selector: { accelerator: 'nvidia-rtx-pro-6000' },
        containers: [{ resources: { limits: { cpu: '20', memory: '80Gi', 'nvidia.com/gpu': '1' } } }] },
    });
  });

  test('grantInvoke adds one binding per member; allUsers only when asked', () => {
    const stack = testStack();
    const svc = new CloudRunGpuService(stack, 'Gpu', base);
    svc.grantInvoke('user:a@example.com');
    svc.grantInvoke('user:a@example.com');
    const t = template(stack);
    t.resourceCountIs('google_cloud_run_v2_service_iam_member', 1);
    t.hasResourceProperties('google_cloud_run_v2_service_iam_member', { role: 'roles/run.invoker', member: 'user:a@example.com' });
    expect(t.findResources('google_cloud_run_v2_service_iam_member', { member: 'allUsers' })).toEqual([]);
  });

  test('depends on what it is given', () => {
    const stack = testStack();
    const dep = new CloudRunGpuService(stack, 'First', { ...base, serviceName: 'first' });
    new CloudRunGpuService(stack, 'Gpu', { ...base, dependsOn: [dep.service] });
    const t = template(stack);
    expect(t.resource(TYPE, { name: 'gpu-svc' }).config.depends_on).toEqual([expect.stringMatching(/^google_cloud_run_v2_service\.First_/)]);
  });
});

describe('CloudRunGpuService validation', () => {
  test.each([
    ['accelerator Cloud Run does not offer', { accelerator: Accelerator.nvidiaH100_80GB() }, 'ACCELERATOR_NOT_SUPPORTED', 'accelerator', '"NVIDIA H100 80GB"'],
    ['CPU below the L4 minimum', { cpu: 2 }, 'CPU_OUT_OF_RANGE', 'cpu', '2'],
    ['fractional CPU', { cpu: 4.5 }, 'CPU_OUT_OF_RANGE', 'cpu', '4.5'],
    ['memory below the L4 minimum', { memoryGiB: 8 }, 'MEMORY_OUT_OF_RANGE', 'memoryGiB', '8'],
    ['more than 8 vCPU on an L4', { cpu: 10 }, 'CPU_OUT_OF_RANGE', 'cpu', '10'],
    ['5 vCPU (Cloud Run offers 4, 6, 8)', { cpu: 5 }, 'CPU_OUT_OF_RANGE', 'cpu', '5'],
    ['17 GiB on 4 vCPU', { cpu: 4, memoryGiB: 17 }, 'MEMORY_OUT_OF_RANGE', 'memoryGiB', '17'],
    ['33 GiB on an L4', { cpu: 8, memoryGiB: 33 }, 'MEMORY_OUT_OF_RANGE', 'memoryGiB', '33'],
    ['CPU below the RTX PRO 6000 minimum', { accelerator: Accelerator.nvidiaRtxPro6000(), cpu: 8 }, 'CPU_OUT_OF_RANGE', 'cpu', '8'],
    ['memory below the RTX PRO 6000 minimum', { accelerator: Accelerator.nvidiaRtxPro6000(), memoryGiB: 64 }, 'MEMORY_OUT_OF_RANGE', 'memoryGiB', '64'],
    ['maxInstances above the GPU budget', { maxInstances: 4, maxGpus: 3 }, 'GPU_BUDGET_EXCEEDED', 'maxInstances', '4'],
    ['a GPU budget of zero', { maxGpus: 0 }, 'GPU_BUDGET_EXCEEDED', 'maxGpus', '0'],
    ['concurrency 0', { concurrency: 0 }, 'CONCURRENCY_OUT_OF_RANGE', 'concurrency', '0'],
    ['concurrency above 1000', { concurrency: 1001 }, 'CONCURRENCY_OUT_OF_RANGE', 'concurrency', '1001'],
    ['maxInstances 0', { maxInstances: 0 }, 'REPLICAS_OUT_OF_RANGE', 'maxInstances', '0'],
    ['maxInstances above 1000', { maxInstances: 1001 }, 'REPLICAS_OUT_OF_RANGE', 'maxInstances', '1001'],
    ['negative minInstances', { minInstances: -1 }, 'REPLICAS_OUT_OF_RANGE', 'minInstances', '-1'],
    ['min above max', { minInstances: 4, maxInstances: 3 }, 'MIN_GREATER_THAN_MAX', 'minInstances/maxInstances', '{"minInstances":4,"maxInstances":3}'],
    ['timeout above 3600 s', { timeoutSeconds: 3601 }, 'TIMEOUT_OUT_OF_RANGE', 'timeoutSeconds', '3601'],
    ['timeout 0', { timeoutSeconds: 0 }, 'TIMEOUT_OUT_OF_RANGE', 'timeoutSeconds', '0'],
    ['port 0', { containerPort: 0 }, 'PORT_OUT_OF_RANGE', 'containerPort', '0'],
    ['service name with capitals', { serviceName: 'Gpu' }, 'INVALID_NAME', 'serviceName', '"Gpu"'],
    ['service name of 50 characters', { serviceName: 'a'.repeat(50) }, 'INVALID_NAME', 'serviceName', `"${'a'.repeat(50)}"`],
    ['service account id too short', { serviceAccountId: 'ab' }, 'INVALID_NAME', 'serviceAccountId', '"ab"'],
    ['probe period above 240 s', { startupProbe: { periodSeconds: 241 } }, 'PROBE_OUT_OF_RANGE', 'startupProbe.periodSeconds', '241'],
    ['probe timeout above its period', { startupProbe: { periodSeconds: 5, timeoutSeconds: 6 } }, 'PROBE_OUT_OF_RANGE', 'startupProbe.timeoutSeconds', '6'],
    ['probe delay above 240 s', { startupProbe: { initialDelaySeconds: 241 } }, 'PROBE_OUT_OF_RANGE', 'startupProbe.initialDelaySeconds', '241'],
    ['probe window above 240 s', { startupProbe: { periodSeconds: 10, failureThreshold: 25 } }, 'PROBE_OUT_OF_RANGE', 'startupProbe.failureThreshold', '25'],
    ['a reserved environment variable', { environment: { PORT: '1' } }, 'RESERVED_ENV', 'environment.PORT', '"1"'],
  ] as Array<[string, Partial<CloudRunGpuServiceProps>, string, string, string]>)('fails: %s', (_, props, code, property, value) => {
    expectValidationError(() => synth(props), code, PATH, property, value);
  });

  test.each([
    ['the L4 minimum exactly', { cpu: 4, memoryGiB: 16 }],
    ['the L4 maximum', { cpu: 8, memoryGiB: 32 }],
    ['6 vCPU with 24 GiB', { cpu: 6, memoryGiB: 24 }],
    ['RTX PRO 6000 above its minimum (no documented maximum)', { accelerator: Accelerator.nvidiaRtxPro6000(), cpu: 40, memoryGiB: 160 }],
    ['the RTX PRO 6000 minimum exactly', { accelerator: Accelerator.nvidiaRtxPro6000(), cpu: 20, memoryGiB: 80 }],
    ['maxInstances equal to the GPU budget', { maxInstances: 3, maxGpus: 3 }],
    ['concurrency 1 and 1000', { concurrency: 1000, minInstances: 0, maxInstances: 1 }],
    ['concurrency 1', { concurrency: 1 }],
    ['min equal to max', { minInstances: 3, maxInstances: 3 }],
    ['timeout 3600 s', { timeoutSeconds: 3600 }],
    ['a 49-character name', { serviceName: `a${'b'.repeat(48)}` , serviceAccountId: 'svc-account' }],
    ['probe window of exactly 240 s', { startupProbe: { periodSeconds: 240, timeoutSeconds: 240, failureThreshold: 1, initialDelaySeconds: 240 } }],
  ] as Array<[string, Partial<CloudRunGpuServiceProps>]>)('passes: %s', (_, props) => {
    expect(() => synth(props)).not.toThrow();
  });

  test('values only known at deploy time are not checked', () => {
    const stack = testStack();
    const { TerraformVariable } = require('../../lib/tf') as typeof import('../../lib/tf');
    const max = new TerraformVariable(stack, 'max', { type: 'number' }).numberValue;
    expect(() => new CloudRunGpuService(stack, 'Gpu', { ...base, maxInstances: max, maxGpus: 1 })).not.toThrow();
  });
});
