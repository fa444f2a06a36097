import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import * as fc from 'fast-check';
import { Accelerator, Model, ModelServer, ModelServingSpec, ValidationError } from '../../lib';
import {
  GkeInferenceCluster, MultiClusterInferenceGateway, MultiClusterInferenceGatewayProps, SecretManagerKubernetesSecret, UpstreamCrdInstall,
} from '../../lib/gcp';
import { Balancing, INFERENCE_OBJECTIVE_CRD_URL, InferenceServer, LoadBalancingMetric, ManifestSchemas, manifestsOf } from '../../lib/k8s';
import { TerraformStack, Testing } from '../../lib/tf';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidationError, template } from './support';

interface World {
  readonly app: ReturnType<typeof Testing.app>;
  readonly infra: TerraformStack;
  readonly eu: GkeInferenceCluster;
  readonly us: GkeInferenceCluster;
}

function world(network?: { eu?: string; us?: string }): World {
  const app = Testing.app();
  const infra = new TerraformStack(app, 'Infra');
  new GoogleProvider(infra, 'Google', { project: 'my-project' });
  const eu = new GkeInferenceCluster(infra, 'Eu', { project: 'my-project', location: 'europe-west3', clusterName: 'eu', network: network?.eu });
  const us = new GkeInferenceCluster(infra, 'Us', { project: 'my-project', location: 'us-east4-a', clusterName: 'us', network: network?.us });
  return { app, infra, eu, us };
}

function gateway(w: World, props: Partial<MultiClusterInferenceGatewayProps> = {}): MultiClusterInferenceGateway {
  return new MultiClusterInferenceGateway(w.infra, 'Gateway', {
    project: 'my-project',
    members: [{ cluster: w.eu, proxySubnetCidr: '10.129.0.0/23' }, { cluster: w.us, proxySubnetCidr: '10.130.0.0/23' }],
    balancing: Balancing.customMetric({ metric: LoadBalancingMetric.kvCacheUsage(), maxUtilizationPercent: 60 }),
    expectedP99Seconds: 120,
    objectives: [{ name: 'interactive', priority: 10 }, { name: 'batch', priority: -10 }],
    ...props,
  });
}

function server(scope: TerraformStack): InferenceServer {
  const spec = new ModelServingSpec({
    name: 'llama', model: Model.llama31_8bInstruct(), server: ModelServer.vllm(), accelerator: Accelerator.nvidiaH100_80GB(),
    acceleratorsPerReplica: 2, maxReplicas: 2,
  });
  return new InferenceServer(scope, 'Server', { spec });
}

function workloadStack(w: World, id: string): TerraformStack {
  const s = new TerraformStack(w.app, id);
  new GoogleProvider(s, 'Google', { project: 'my-project' });
  return s;
}

describe('MultiClusterInferenceGateway: cloud resources', () => {
  test('APIs, a fleet membership per cluster, the multiclusteringress feature on the config membership, MCI agent role', () => {
    const w = world();
    gateway(w);
    const t = template(w.infra);
    expect(t.findResources('google_project_service').map((r) => r.config.service).sort()).toEqual([
      'autoscaling.googleapis.com', 'compute.googleapis.com', 'container.googleapis.com', 'gkehub.googleapis.com',
      'modelarmor.googleapis.com', 'networkservices.googleapis.com',
    ]);
    const memberships = t.findResources('google_gke_hub_membership');
    expect(memberships.map((m) => [m.config.membership_id, m.config.location])).toEqual([['eu', 'europe-west3'], ['us', 'us-east4']]);
    expect(memberships[0].config.endpoint.gke_cluster.resource_link).toMatch(/^\/\/container\.googleapis\.com\/\$\{google_container_cluster\.Eu_[0-9A-F]+\.id\}$/);
    const feature = t.resource('google_gke_hub_feature').config;
    expect([feature.name, feature.location]).toEqual(['multiclusteringress', 'global']);
    expect(feature.spec.multiclusteringress.config_membership).toMatch(/^\$\{google_gke_hub_membership\.Gateway_EuMembership_[0-9A-F]+\.id\}$/);
    const admin = t.findResources('google_project_iam_member').filter((r) => r.config.role === 'roles/container.admin');
    expect(admin).toHaveLength(1);
    expect(admin[0].config.member).toMatch(/^serviceAccount:service-\$\{data\.google_project\.Gateway_Project_[0-9A-F]+\.number\}@gcp-sa-multiclusteringress\.iam\.gserviceaccount\.com$/);
  });

  test('node service accounts of every cluster hold roles/autoscaling.metricsWriter', () => {
    const w = world();
    gateway(w);
    const writers = template(w.infra).findResources('google_project_iam_member').filter((r) => r.config.role === 'roles/autoscaling.metricsWriter');
    expect(writers).toHaveLength(2);
  });

  test('one GLOBAL_MANAGED_PROXY ACTIVE subnet per region; REGIONAL_MANAGED_PROXY only in other regions', () => {
    const w = world();
    gateway(w, { regionalProxySubnets: [{ region: 'us-central1', cidr: '10.131.0.0/23' }] });
    const subnets = template(w.infra).findResources('google_compute_subnetwork').map((r) => r.config);
    expect(subnets.map((s) => [s.region, s.purpose, s.role, s.ip_cidr_range, s.network])).toEqual([
      ['europe-west3', 'GLOBAL_MANAGED_PROXY', 'ACTIVE', '10.129.0.0/23', 'default'],
      ['us-east4', 'GLOBAL_MANAGED_PROXY', 'ACTIVE', '10.130.0.0/23', 'default'],
      ['us-central1', 'REGIONAL_MANAGED_PROXY', 'ACTIVE', '10.131.0.0/23', 'default'],
    ]);
  });

  test('the InferenceObjective CRD is installed on every cluster from its pinned v1.1.0 URL', () => {
    const w = world();
    gateway(w);
    const crds = template(w.infra).findResources('terraform_data');
    expect(crds).toHaveLength(2);
    expect(crds[0].config.triggers_replace.url).toBe(INFERENCE_OBJECTIVE_CRD_URL);
    expect(crds[0].config.provisioner[0]['local-exec'].command).toContain(`kubectl apply --server-side -f '${INFERENCE_OBJECTIVE_CRD_URL}'`);
    const w2 = world();
    gateway(w2, { installInferenceObjectiveCrd: false, enableApis: false });
    expect(template(w2.infra).findResources('terraform_data')).toHaveLength(0);
    expect(template(w2.infra).findResources('google_project_service')).toHaveLength(0);
  });

  test('snapshot', () => {
    const w = world();
    gateway(w);
    expectSynthSnapshot(w.infra);
  });
});

describe('MultiClusterInferenceGateway: Kubernetes objects per cluster', () => {
  test('every cluster: exported pool, AutoscalingMetric, objectives; config cluster only: Gateway, route, policies', () => {
    const w = world();
    const g = gateway(w);
    const euStack = workloadStack(w, 'Eu');
    const usStack = workloadStack(w, 'Us');
    const eu = g.addClusterWorkloads(euStack, 'Inference', { cluster: w.eu, server: server(euStack) });
    g.addClusterWorkloads(usStack, 'Inference', { cluster: w.us, server: server(usStack) });
    const routing = g.addGatewayRouting(euStack, 'Routing', { cluster: w.eu });
    expect(eu.pool.exported).toBe(true);
    expect(eu.objectives.map((o) => o.priority)).toEqual([10, -10]);
    expect(manifestsOf(usStack).map((m) => m.kind)).not.toContain('Gateway');
    expect(manifestsOf(euStack).map((m) => m.kind)).toEqual(expect.arrayContaining(['InferencePool', 'AutoscalingMetric', 'InferenceObjective', 'Gateway', 'HTTPRoute', 'HealthCheckPolicy', 'GCPBackendPolicy']));
    expect((routing.gateway.gateway.manifest.spec as any).addresses.map((a: any) => a.value)).toEqual(['europe-west3', 'us-east4']);
    expect((routing.policies.backendPolicy.manifest.spec as any).default.timeoutSec).toBe(240);
    for (const s of [euStack, usStack]) for (const m of manifestsOf(s)) expect([m.kind, ManifestSchemas.issues(m)]).toEqual([m.kind, []]);
  });

  test('in-flight balancing: no AutoscalingMetric, IN_FLIGHT policy', () => {
    const w = world();
    const g = gateway(w, { balancing: Balancing.inFlight({ maxPerEndpoint: 1000 }), expectedP99Seconds: 30, timeoutSec: 600 });
    const euStack = workloadStack(w, 'Eu');
    const usStack = workloadStack(w, 'Us');
    expect(g.addClusterWorkloads(euStack, 'Inference', { cluster: w.eu, server: server(euStack) }).metric).toBeUndefined();
    g.addClusterWorkloads(usStack, 'Inference', { cluster: w.us, server: server(usStack) });
    const r = g.addGatewayRouting(euStack, 'Routing', { cluster: w.eu });
    expect((r.policies.backendPolicy.manifest.spec as any).default).toEqual({
      timeoutSec: 600, trafficDuration: 'LONG', balancingMode: 'IN_FLIGHT', maxInFlightRequestsPerEndpoint: 1000,
    });
  });

  test('the route goes on the config cluster only', () => {
    const w = world();
    const g = gateway(w);
    const euStack = workloadStack(w, 'Eu');
    const usStack = workloadStack(w, 'Us');
    g.addClusterWorkloads(euStack, 'Inference', { cluster: w.eu, server: server(euStack) });
    g.addClusterWorkloads(usStack, 'Inference', { cluster: w.us, server: server(usStack) });
    expectValidationError(() => g.addGatewayRouting(usStack, 'Routing', { cluster: w.us }),
      'ROUTE_NOT_ON_CONFIG_CLUSTER', 'Us/Routing', 'cluster', '"Infra/Us"');
  });

  test('every member must export its pool before routing', () => {
    const w = world();
    const g = gateway(w);
    const euStack = workloadStack(w, 'Eu');
    g.addClusterWorkloads(euStack, 'Inference', { cluster: w.eu, server: server(euStack) });
    expectValidationError(() => g.addGatewayRouting(euStack, 'Routing', { cluster: w.eu }), 'POOL_MISSING', 'Eu/Routing', 'pool of Infra/Us', 'undefined');
  });

  test('a pool whose export annotation was removed is refused', () => {
    const w = world();
    const g = gateway(w);
    const euStack = workloadStack(w, 'Eu');
    const usStack = workloadStack(w, 'Us');
    g.addClusterWorkloads(euStack, 'Inference', { cluster: w.eu, server: server(euStack) });
    const us = g.addClusterWorkloads(usStack, 'Inference', { cluster: w.us, server: server(usStack) });
    delete (us.pool.pool.manifest.metadata as any).annotations;
    expectValidationError(() => g.addGatewayRouting(euStack, 'Routing', { cluster: w.eu }), 'POOL_NOT_EXPORTED', 'Eu/Routing', 'pool of Infra/Us', '{}');
  });

  test('a cluster outside the gateway, or a second pool on a cluster, is refused', () => {
    const w = world();
    const g = gateway(w);
    const other = new GkeInferenceCluster(w.infra, 'Other', { project: 'my-project', location: 'asia-east1', clusterName: 'other' });
    const s = workloadStack(w, 'Eu');
    const srv = server(s);
    expectValidationError(() => g.addClusterWorkloads(s, 'X', { cluster: other, server: srv }), 'CLUSTER_NOT_MEMBER', 'Eu/X', 'cluster', '"Infra/Other"');
    g.addClusterWorkloads(s, 'Inference', { cluster: w.eu, server: srv });
    expectValidationError(() => g.addClusterWorkloads(s, 'Again', { cluster: w.eu, server: server(new TerraformStack(w.app, 'Z')) }),
      'POOL_DUPLICATE', 'Eu/Again', 'cluster', '"Infra/Eu"');
  });
});

describe('MultiClusterInferenceGateway: validations', () => {
  test('passes: 2 clusters in distinct regions, one VPC, adjacent non-overlapping /23s, timeout = 2 x p99', () => {
    const w = world({ eu: 'inference-vpc', us: 'inference-vpc' });
    expect(() => gateway(w, { network: 'inference-vpc', timeoutSec: 240 })).not.toThrow();
  });

  test('at least two clusters', () => {
    const w = world();
    expectValidationError(() => gateway(w, { members: [{ cluster: w.eu, proxySubnetCidr: '10.129.0.0/23' }] }),
      'MEMBER_COUNT_OUT_OF_RANGE', 'Infra/Gateway', 'members.length', '1');
  });

  test('distinct regions', () => {
    const w = world();
    const eu2 = new GkeInferenceCluster(w.infra, 'Eu2', { project: 'my-project', location: 'europe-west3-b', clusterName: 'eu2' });
    expectValidationError(() => gateway(w, {
      members: [{ cluster: w.eu, proxySubnetCidr: '10.129.0.0/23' }, { cluster: eu2, proxySubnetCidr: '10.130.0.0/23' }],
    }), 'REGION_DUPLICATE', 'Infra/Gateway', 'members.region', '"europe-west3"');
  });

  test('one VPC', () => {
    const w = world({ us: 'other-vpc' });
    expectValidationError(() => gateway(w), 'NETWORK_MISMATCH', 'Infra/Gateway', 'members[Us].cluster.network', '"other-vpc"');
  });

  test.each([
    ['10.129.0.0/23', '10.129.1.0/24', 'CIDR_OVERLAP', 'members[1].proxySubnetCidr', '"10.129.1.0/24"'],
    ['10.129.0.0/16', '10.129.200.0/23', 'CIDR_OVERLAP', 'members[1].proxySubnetCidr', '"10.129.200.0/23"'],
    ['10.129.0.0/23', '10.130.0.0/27', 'CIDR_INVALID', 'members[1].proxySubnetCidr', '"10.130.0.0/27"'],
    ['10.129.1.0/23', '10.130.0.0/23', 'CIDR_INVALID', 'members[0].proxySubnetCidr', '"10.129.1.0/23"'],
    ['300.1.0.0/23', '10.130.0.0/23', 'CIDR_INVALID', 'members[0].proxySubnetCidr', '"300.1.0.0/23"'],
  ])('CIDRs %s and %s', (a, b, code, property, value) => {
    const w = world();
    expectValidationError(() => gateway(w, {
      members: [{ cluster: w.eu, proxySubnetCidr: a }, { cluster: w.us, proxySubnetCidr: b }],
    }), code, 'Infra/Gateway', property, value);
  });

  test('a regional proxy subnet may not overlap either', () => {
    const w = world();
    expectValidationError(() => gateway(w, { regionalProxySubnets: [{ region: 'us-central1', cidr: '10.130.0.0/24' }] }),
      'CIDR_OVERLAP', 'Infra/Gateway', 'regionalProxySubnets[0].cidr', '"10.130.0.0/24"');
  });

  test('never a REGIONAL_MANAGED_PROXY subnet in a region of the gateway', () => {
    const w = world();
    expectValidationError(() => gateway(w, { regionalProxySubnets: [{ region: 'us-east4', cidr: '10.131.0.0/23' }] }),
      'PROXY_SUBNET_CONFLICT', 'Infra/Gateway', 'regionalProxySubnets[0].region', '"us-east4"');
  });

  test('timeout vs p99, and balancing ranges, are checked at construction', () => {
    expectValidationError(() => gateway(world(), { timeoutSec: 239 }), 'TIMEOUT_OUT_OF_RANGE', 'Infra/Gateway', 'timeoutSec', '239');
    expectValidationError(() => gateway(world(), { expectedP99Seconds: 2000 }), 'LATENCY_OUT_OF_RANGE', 'Infra/Gateway', 'expectedP99Seconds', '2000');
    expectValidationError(() => gateway(world(), { balancing: Balancing.inFlight({ maxPerEndpoint: 0 }) }),
      'IN_FLIGHT_OUT_OF_RANGE', 'Infra/Gateway', 'balancing.maxPerEndpoint', '0');
  });

  test('config cluster must be a member; objectives distinct; pool name valid', () => {
    const w = world();
    const other = new GkeInferenceCluster(w.infra, 'Other', { project: 'my-project', location: 'asia-east1', clusterName: 'other' });
    expectValidationError(() => gateway(w, { configCluster: other }), 'CONFIG_CLUSTER_NOT_MEMBER', 'Infra/Gateway', 'configCluster', '"Infra/Other"');
    expectValidationError(() => gateway(world(), { objectives: [{ name: 'a' }, { name: 'a' }] }), 'OBJECTIVE_DUPLICATE', 'Infra/Gateway', 'objectives', '["a","a"]');
    expectValidationError(() => gateway(world(), { poolName: 'Pool' }), 'NAME_INVALID', 'Infra/Gateway', 'poolName', '"Pool"');
  });

  test('a location that names no region needs an explicit region', () => {
    const w = world();
    const odd = new GkeInferenceCluster(w.infra, 'Odd', { project: 'my-project', location: 'somewhere', clusterName: 'odd' });
    expectValidationError(() => gateway(w, { members: [{ cluster: w.eu, proxySubnetCidr: '10.129.0.0/23' }, { cluster: odd, proxySubnetCidr: '10.130.0.0/23' }] }),
      'REGION_UNKNOWN', 'Infra/Gateway', 'members[1].region', '"somewhere"');
    expect(() => gateway(world(), {})).not.toThrow();
  });

  test('property: random members, CIDRs and numbers only ever throw ValidationError', () => {
    const regions = ['europe-west3', 'us-east4', 'us-east4-a', 'asia-east1-b', 'bad', 'europe-west3-c'];
    const cidr = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 4, max: 30 }))
      .map(([a, b, c, p]) => `${a}.${b}.${c}.0/${p}`);
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.constantFrom(...regions), cidr), { minLength: 0, maxLength: 4 }),
      fc.double({ min: -1, max: 3000, noNaN: true }), fc.option(fc.integer({ min: -1, max: 5000 }), { nil: undefined }),
      (members, p99, timeout) => {
        const app = Testing.app();
        const infra = new TerraformStack(app, 'Infra');
        try {
          const clusters = members.map(([loc], i) => new GkeInferenceCluster(infra, `C${i}`, { project: 'p', location: loc, clusterName: `c${i}` }));
          new MultiClusterInferenceGateway(infra, 'Gateway', {
            project: 'p', members: members.map(([, c], i) => ({ cluster: clusters[i], proxySubnetCidr: c })),
            balancing: Balancing.inFlight({ maxPerEndpoint: 100 }), expectedP99Seconds: p99, timeoutSec: timeout,
          });
        } catch (e) {
          if (!ValidationError.isValidationError(e)) throw e;
        }
      }), { numRuns: 25, seed: 4242 });
  });
});

describe('SecretManagerKubernetesSecret and UpstreamCrdInstall', () => {
  test('the token comes from Secret Manager at apply time, written write-only (no literal, no output)', () => {
    const w = world();
    const s = workloadStack(w, 'Eu');
    const secret = new SecretManagerKubernetesSecret(s, 'HfToken', { secretId: 'hf-token', name: 'hf-secret' });
    const t = template(s);
    const k = t.resource('kubernetes_secret_v1').config;
    expect([k.metadata.name, k.type, k.data]).toEqual(['hf-secret', 'Opaque', undefined]);
    expect(k.data_wo.hf_api_token).toMatch(/^\$\{data\.google_secret_manager_secret_version\.HfToken_Version_[0-9A-F]+\.secret_data\}$/);
    expect(k.data_wo_revision).toMatch(/^\$\{tonumber\(data\.google_secret_manager_secret_version\.HfToken_Version_[0-9A-F]+\.version\)\}$/);
    expect(secret.key).toBe('hf_api_token');
    expect((t.toJSON() as any).data.google_secret_manager_secret_version).toBeDefined();
    expect(t.outputs()).toEqual({});
    expectValidationError(() => new SecretManagerKubernetesSecret(s, 'Bad', { secretId: 'a b', name: 'x' }), 'NAME_INVALID', 'Eu/Bad', 'secretId', '"a b"');
  });

  test('a CRD URL must be pinned to a release tag', () => {
    const w = world();
    expectValidationError(() => new UpstreamCrdInstall(w.infra, 'Crd', { cluster: w.eu, url: 'https://raw.githubusercontent.com/x/y/main/crd.yaml' }),
      'URL_INVALID', 'Infra/Crd', 'url', '"https://raw.githubusercontent.com/x/y/main/crd.yaml"');
    expect(() => new UpstreamCrdInstall(w.infra, 'Ok', { cluster: w.eu, url: INFERENCE_OBJECTIVE_CRD_URL })).not.toThrow();
  });
});
