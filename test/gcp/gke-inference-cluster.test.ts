import { Testing, TerraformStack } from 'cdktf';
import * as fc from 'fast-check';
import { Accelerator } from '../../lib/core/accelerator';
import { ValidationError } from '../../lib/core/errors';
import {
  AcceleratorNodePool, configureGkeProviders, GkeInferenceCluster, GpuDriverVersion, ReleaseChannel, TfTemplate,
} from '../../lib/gcp';
import { expectSynthSnapshot } from '../support/snapshot';

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'Gke');
}

function cluster(s: TerraformStack, props: Partial<ConstructorParameters<typeof GkeInferenceCluster>[2]> = {}): GkeInferenceCluster {
  return new GkeInferenceCluster(s, 'Cluster', { project: 'my-project', location: 'us-central1-a', clusterName: 'inference', ...props });
}

function expectValidation(fn: () => void, code: string, ...parts: string[]): void {
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  expect(ValidationError.isValidationError(err)).toBe(true);
  expect((err as ValidationError).code).toBe(code);
  for (const p of parts) expect((err as Error).message).toContain(p);
}

describe('GkeInferenceCluster', () => {
  test('VPC-native, Workload Identity, Gateway API, managed Prometheus with DCGM, HPA PERFORMANCE, default pool removed', () => {
    const s = stack();
    cluster(s);
    const t = TfTemplate.fromStack(s);
    t.hasResourceProperties('google_container_cluster', {
      name: 'inference', location: 'us-central1-a', project: 'my-project',
      networking_mode: 'VPC_NATIVE', ip_allocation_policy: {},
      remove_default_node_pool: true, initial_node_count: 1, deletion_protection: true,
      release_channel: { channel: 'REGULAR' },
      workload_identity_config: { workload_pool: 'my-project.svc.id.goog' },
      gateway_api_config: { channel: 'CHANNEL_STANDARD' },
      monitoring_config: { enable_components: ['SYSTEM_COMPONENTS', 'DCGM'], managed_prometheus: { enabled: true } },
      pod_autoscaling: { hpa_profile: 'PERFORMANCE' },
      node_config: { workload_metadata_config: { mode: 'GKE_METADATA' } },
    });
    t.hasResourceProperties('google_container_node_pool', { name: 'system', node_count: 1, node_config: { machine_type: 'e2-standard-4' } });
    t.hasResourceProperties('google_service_account', { account_id: 'inference-nodes' });
    expect(t.findResources('google_project_iam_member').map((r) => r.config.role).sort()).toEqual([
      'roles/artifactregistry.reader', 'roles/autoscaling.metricsWriter', 'roles/logging.logWriter',
      'roles/monitoring.metricWriter', 'roles/monitoring.viewer', 'roles/stackdriver.resourceMetadata.writer',
    ]);
  });

  test('deletion protection, release channel, DCGM and Gateway API are exposed', () => {
    const s = stack();
    cluster(s, { deletionProtection: false, releaseChannel: ReleaseChannel.STABLE, dcgmMetrics: false, gatewayApi: false });
    const c = TfTemplate.fromStack(s).resource('google_container_cluster').config;
    expect(c.deletion_protection).toBe(false);
    expect(c.release_channel).toEqual({ channel: 'STABLE' });
    expect(c.monitoring_config.enable_components).toEqual(['SYSTEM_COMPONENTS']);
    expect(c.gateway_api_config).toBeUndefined();
  });

  test('snapshot', () => {
    const s = stack();
    const c = cluster(s);
    c.addAcceleratorNodePool('L4Pool', { accelerator: Accelerator.nvidiaL4(), maxNodes: 2, spot: true });
    expectSynthSnapshot(s);
  });

  test.each([
    ['clusterName', { clusterName: 'Bad_Name' }, 'CLUSTER_NAME_INVALID', '"Bad_Name"'],
    ['systemNodeCount', { systemNodeCount: 0 }, 'NODE_COUNT_OUT_OF_RANGE', 'systemNodeCount = 0'],
  ])('rejects a bad %s', (_p, props, code, value) => {
    expectValidation(() => cluster(stack(), props), code, 'Gke/Cluster', value);
  });

  test('accepts the edges of its ranges', () => {
    expect(() => cluster(stack(), { clusterName: 'a', systemNodeCount: 10 })).not.toThrow();
  });

  test('property: random cluster props only ever throw ValidationError', () => {
    fc.assert(fc.property(
      fc.constantFrom('inference', 'a', 'Bad', 'x'.repeat(41), 'ok-1', '-x'), fc.integer({ min: -1, max: 12 }), fc.boolean(), fc.boolean(),
      (clusterName, systemNodeCount, dcgmMetrics, deletionProtection) => {
        try {
          const c = cluster(stack(), { clusterName, systemNodeCount, dcgmMetrics, deletionProtection });
          expect(c.workloadPool).toBe('my-project.svc.id.goog');
        } catch (e) {
          if (!ValidationError.isValidationError(e)) throw e;
        }
      }), { numRuns: 30, seed: 3 });
  });

  test('configureGkeProviders points kubernetes and helm at the cluster with a client access token', () => {
    const s = stack();
    const c = cluster(s);
    configureGkeProviders(s, c);
    const json = TfTemplate.fromStack(s).toJSON();
    const k8s = (json.provider as any).kubernetes[0];
    expect(k8s.host).toBe('https://${google_container_cluster.Cluster_EB0386A7.endpoint}');
    expect(k8s.cluster_ca_certificate).toBe('${base64decode(google_container_cluster.Cluster_EB0386A7.master_auth[0].cluster_ca_certificate)}');
    expect(k8s.token).toBe('${data.google_client_config.GoogleClientConfig.access_token}');
    expect((json.provider as any).helm[0].kubernetes).toEqual(k8s);
  });
});

describe('AcceleratorNodePool', () => {
  test('a GPU pool: default machine type from the catalog, accelerator count, driver, spot, autoscaling', () => {
    const s = stack();
    const pool = cluster(s).addAcceleratorNodePool('L4Pool', { accelerator: Accelerator.nvidiaL4(), minNodes: 1, maxNodes: 3, spot: true });
    TfTemplate.fromStack(s).hasResourceProperties('google_container_node_pool', {
      name: 'l4pool', autoscaling: { min_node_count: 1, max_node_count: 3 },
      node_config: {
        machine_type: 'g2-standard-4', spot: true,
        guest_accelerator: [{ type: 'nvidia-l4', count: 1, gpu_driver_installation_config: { gpu_driver_version: 'LATEST' } }],
      },
    });
    expect(pool.maxAccelerators).toBe(3);
    expect(pool.resourceName).toBe('nvidia.com/gpu');
    expect(pool.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-l4' });
    expect(pool.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('a multi-GPU machine type counts all its GPUs; taints become tolerations', () => {
    const s = stack();
    const pool = cluster(s).addAcceleratorNodePool('H100', {
      accelerator: Accelerator.nvidiaH100_80GB(), machineType: 'a3-highgpu-8g', maxNodes: 2,
      gpuDriverVersion: GpuDriverVersion.DEFAULT, taints: [{ key: 'team', value: 'llm', effect: 'NO_SCHEDULE' }],
    });
    TfTemplate.fromStack(s).hasResourceProperties('google_container_node_pool', {
      node_config: {
        guest_accelerator: [{ type: 'nvidia-h100-80gb', count: 8, gpu_driver_installation_config: { gpu_driver_version: 'DEFAULT' } }],
        taint: [{ key: 'team', value: 'llm', effect: 'NO_SCHEDULE' }],
      },
    });
    expect(pool.maxAccelerators).toBe(16);
    expect(pool.tolerations).toContainEqual({ key: 'team', operator: 'Equal', value: 'llm', effect: 'NoSchedule' });
  });

  test('a single-host TPU pool: machine type, no guest accelerator, TPU node selectors', () => {
    const s = stack();
    const pool = cluster(s).addAcceleratorNodePool('Tpu', { accelerator: Accelerator.tpuV5e('2x4'), maxNodes: 1 });
    const cfg = TfTemplate.fromStack(s).resource('google_container_node_pool', { name: 'tpu' }).config;
    expect(cfg.node_config.machine_type).toBe('ct5lp-hightpu-8t');
    expect(cfg.node_config.guest_accelerator).toBeUndefined();
    expect(cfg.placement_policy).toBeUndefined();
    expect(pool.resourceName).toBe('google.com/tpu');
    expect(pool.nodeSelector).toEqual({ 'cloud.google.com/gke-tpu-accelerator': 'tpu-v5-lite-podslice', 'cloud.google.com/gke-tpu-topology': '2x4' });
  });

  test('a multi-host TPU slice gets a compact placement with its topology', () => {
    const s = stack();
    cluster(s).addAcceleratorNodePool('Tpu', { accelerator: Accelerator.tpuV6e('4x4'), maxNodes: 4 });
    TfTemplate.fromStack(s).hasResourceProperties('google_container_node_pool', {
      placement_policy: { type: 'COMPACT', tpu_topology: '4x4' }, node_config: { machine_type: 'ct6e-standard-4t' },
    });
  });

  test('machine type x accelerator: a machine type from the catalog passes, another fails', () => {
    expect(() => cluster(stack()).addAcceleratorNodePool('P', { accelerator: Accelerator.nvidiaL4(), machineType: 'g2-standard-48' })).not.toThrow();
    expectValidation(() => cluster(stack()).addAcceleratorNodePool('P', { accelerator: Accelerator.nvidiaL4(), machineType: 'a2-highgpu-1g' }),
      'MACHINE_TYPE_NOT_SUPPORTED', 'Gke/Cluster/P', 'machineType = "a2-highgpu-1g"', 'g2-standard-4');
  });

  test('an accelerator GKE does not offer fails', () => {
    expectValidation(() => cluster(stack()).addAcceleratorNodePool('P', { accelerator: Accelerator.nvidiaA10G() }),
      'ACCELERATOR_NOT_SUPPORTED', 'Gke/Cluster/P', 'NVIDIA A10G');
  });

  test.each([
    [{ minNodes: 3, maxNodes: 2 }, 'MIN_GREATER_THAN_MAX'],
    [{ maxNodes: 0 }, 'NODE_COUNT_OUT_OF_RANGE'],
    [{ minNodes: -1 }, 'NODE_COUNT_OUT_OF_RANGE'],
    [{ diskSizeGb: 5 }, 'DISK_SIZE_OUT_OF_RANGE'],
    [{ poolName: 'GPU_pool' }, 'NODE_POOL_NAME_INVALID'],
  ])('rejects %j', (props, code) => {
    expectValidation(() => cluster(stack()).addAcceleratorNodePool('P', { accelerator: Accelerator.nvidiaL4(), ...props }), code, 'Gke/Cluster/P');
  });

  test('a TPU pool rejects a GPU driver setting; a multi-host slice needs whole slices of nodes', () => {
    expectValidation(() => cluster(stack()).addAcceleratorNodePool('P', { accelerator: Accelerator.tpuV5e(), gpuDriverVersion: GpuDriverVersion.LATEST }),
      'ACCELERATOR_NOT_SUPPORTED', 'gpuDriverVersion');
    expectValidation(() => cluster(stack()).addAcceleratorNodePool('P', { accelerator: Accelerator.tpuV6e('4x4'), maxNodes: 3 }),
      'NODE_COUNT_OUT_OF_RANGE', 'multiples of 4');
  });

  test('property: random pool props only ever throw ValidationError', () => {
    const accelerators = [Accelerator.nvidiaL4(), Accelerator.nvidiaH100_80GB(), Accelerator.tpuV5e('2x2'), Accelerator.tpuV6e('4x8'), Accelerator.nvidiaL40S()];
    fc.assert(fc.property(
      fc.integer({ min: 0, max: accelerators.length - 1 }), fc.integer({ min: -2, max: 40 }), fc.integer({ min: -2, max: 40 }),
      fc.constantFrom(undefined, 'g2-standard-8', 'a3-highgpu-2g', 'ct5lp-hightpu-4t', 'n1-standard-4'), fc.boolean(),
      (a, minNodes, maxNodes, machineType, spot) => {
        try {
          const pool = new AcceleratorNodePool(stack(), 'P', {
            cluster: cluster(stack()), accelerator: accelerators[a], minNodes, maxNodes, machineType, spot,
          });
          expect(pool.maxAccelerators).toBe(pool.maxNodes * pool.acceleratorsPerNode);
        } catch (e) {
          if (!ValidationError.isValidationError(e)) throw e;
        }
      }), { numRuns: 30, seed: 8 });
  });
});
