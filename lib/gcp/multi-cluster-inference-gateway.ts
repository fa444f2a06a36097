import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { GkeHubFeature } from '@cdktf/provider-google/lib/gke-hub-feature';
import { GkeHubMembership } from '@cdktf/provider-google/lib/gke-hub-membership';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { Construct } from 'constructs';
import { isUnresolved, Validator } from '../core/validate';
import { AutoscalingMetric } from '../k8s/autoscaling-metric';
import { Balancing, BalancingMode } from '../k8s/balancing';
import { CrossRegionalInferenceGateway } from '../k8s/cross-regional-gateway';
import { backendTimeoutSec, InferenceImportPolicies } from '../k8s/inference-import-policies';
import { INFERENCE_OBJECTIVE_CRD_URL, InferenceObjective } from '../k8s/inference-objective';
import { FLEET_EXPORT_ANNOTATION, InferencePool } from '../k8s/inference-pool';
import type { InferenceServer } from '../k8s/inference-server';
import { TerraformMetaArguments } from '../tf';
import type { GkeInferenceCluster } from './gke-inference-cluster';
import { UpstreamCrdInstall } from './upstream-crd-install';

/** The APIs the multi-cluster GKE Inference Gateway needs (GKE's setup guide). */
export const MULTI_CLUSTER_GATEWAY_APIS: readonly string[] = [
  'compute.googleapis.com',
  'container.googleapis.com',
  'networkservices.googleapis.com',
  'gkehub.googleapis.com',
  'modelarmor.googleapis.com',
  'autoscaling.googleapis.com',
];

/** One cluster of the gateway. */
export interface MultiClusterMember {
  /** The cluster (its node service account already holds `roles/autoscaling.metricsWriter`). */
  readonly cluster: GkeInferenceCluster;
  /** CIDR of the region's `GLOBAL_MANAGED_PROXY` proxy-only subnet (prefix /8 to /26; Google's example is a /23). */
  readonly proxySubnetCidr: string;
  /** The cluster's region. @default - derived from the cluster's location (`europe-west3-a` -> `europe-west3`) */
  readonly region?: string;
}

/** A `REGIONAL_MANAGED_PROXY` proxy-only subnet (for single-cluster internal gateways in other regions). */
export interface RegionalProxySubnet {
  /** Region; it must not be a region of the gateway (a region holds one proxy-only subnet per VPC). */
  readonly region: string;
  /** CIDR (prefix /8 to /26). */
  readonly cidr: string;
}

/** An `InferenceObjective` created on every cluster. */
export interface ObjectiveOptions {
  /** Name (clients send it in `x-gateway-inference-objective`). */
  readonly name: string;
  /** Priority (-1000 to 1000): higher is served first under saturation. @default - none */
  readonly priority?: number;
}

/** Props of {@link MultiClusterInferenceGateway}. */
export interface MultiClusterInferenceGatewayProps {
  /** Project id of the fleet host and every cluster. */
  readonly project: string;
  /** The one VPC network every cluster runs in. @default 'default' */
  readonly network?: string;
  /** The clusters (2-16, each in its own region). */
  readonly members: readonly MultiClusterMember[];
  /** The config cluster: it holds the Gateway, route and policies. @default - the first member */
  readonly configCluster?: GkeInferenceCluster;
  /** Balancing: `Balancing.customMetric({ metric, maxUtilizationPercent })` or `Balancing.inFlight({ maxPerEndpoint })`. */
  readonly balancing: Balancing;
  /** Expected p99 latency of one request, seconds: the backend timeout is at least twice it. */
  readonly expectedP99Seconds: number;
  /** Backend timeout, seconds (2 x p99 to 3600). @default - 2 x expectedP99Seconds, rounded up */
  readonly timeoutSec?: number;
  /** Name of the InferencePool on every cluster (and of its import). @default 'inference-pool' */
  readonly poolName?: string;
  /** Namespace of the pools, objectives and gateway objects. @default 'default' */
  readonly namespace?: string;
  /** InferenceObjectives created on every cluster. @default - none */
  readonly objectives?: readonly ObjectiveOptions[];
  /** `REGIONAL_MANAGED_PROXY` subnets for other regions. @default - none */
  readonly regionalProxySubnets?: readonly RegionalProxySubnet[];
  /** Enable {@link MULTI_CLUSTER_GATEWAY_APIS}. @default true */
  readonly enableApis?: boolean;
  /** Install the InferenceObjective CRD on every cluster (GKE installs only the GA InferencePool CRD). @default true */
  readonly installInferenceObjectiveCrd?: boolean;
}

/** Options of {@link MultiClusterInferenceGateway.addClusterWorkloads}. */
export interface ClusterWorkloadsOptions {
  /** The member cluster. */
  readonly cluster: GkeInferenceCluster;
  /** The model server on that cluster (the pool selects its pods and targets its port). */
  readonly server: InferenceServer;
  /** The cluster's `kubernetes` provider. @default - the scope's stack default provider */
  readonly provider?: TerraformMetaArguments['provider'];
}

/** What {@link MultiClusterInferenceGateway.addClusterWorkloads} created. */
export interface ClusterWorkloads {
  /** The exported pool and its endpoint picker. */
  readonly pool: InferencePool;
  /** The AutoscalingMetric (custom-metric balancing only). */
  readonly metric?: AutoscalingMetric;
  /** The objectives. */
  readonly objectives: readonly InferenceObjective[];
}

/** Options of {@link MultiClusterInferenceGateway.addGatewayRouting}. */
export interface GatewayRoutingOptions {
  /** The cluster the objects go to: it must be the config cluster. */
  readonly cluster: GkeInferenceCluster;
  /** The config cluster's `kubernetes` provider. @default - the scope's stack default provider */
  readonly provider?: TerraformMetaArguments['provider'];
}

/** What {@link MultiClusterInferenceGateway.addGatewayRouting} created. */
export interface GatewayRouting {
  /** Gateway and HTTPRoute. */
  readonly gateway: CrossRegionalInferenceGateway;
  /** HealthCheckPolicy and GCPBackendPolicy. */
  readonly policies: InferenceImportPolicies;
}

interface Cidr { readonly text: string; readonly start: number; readonly end: number }

/**
 * The GKE multi-cluster Inference Gateway: N >= 2 GPU clusters in different regions of one VPC behind one
 * cross-regional internal Application Load Balancer that balances on the servers' KV-cache utilization (or on
 * requests in flight).
 *
 * The construct (put it in the clusters' stack) creates the cloud side: the required APIs, a fleet membership
 * per cluster, the `multiclusteringress` fleet feature with the config cluster's membership, the MCI service
 * agent's `roles/container.admin`, one `GLOBAL_MANAGED_PROXY` proxy-only subnet per region (`role = ACTIVE`,
 * CIDRs checked for overlap; never a `REGIONAL_MANAGED_PROXY` subnet in the same region) and the
 * InferenceObjective CRD on every cluster. The node service accounts of `GkeInferenceCluster` already hold
 * `roles/autoscaling.metricsWriter`.
 *
 * The Kubernetes side goes into stacks applied after it (`kubernetes_manifest` needs the cluster and CRDs at
 * plan time), one per cluster: {@link addClusterWorkloads} on every member (the `InferencePool` annotated
 * `networking.gke.io/export: "True"` with its endpoint picker, the `AutoscalingMetric` exporting the KV-cache
 * gauge, the `InferenceObjective`s), then {@link addGatewayRouting} on the config cluster only (the `Gateway`,
 * the `HTTPRoute` to the `GCPInferencePoolImport`, a `HealthCheckPolicy` and a `GCPBackendPolicy`).
 *
 * Field-name pitfall: a translated copy of GKE's guide writes `maxUtilization: 60` in the GCPBackendPolicy; GKE's
 * own pages write `maxUtilizationPercent`, and GKE rejects unknown fields at apply. This library emits
 * `maxUtilizationPercent` (see `Balancing.customMetric`) and its strict schema rejects `maxUtilization`.
 *
 * Requirements (GKE): version 1.34.1-gke.1127000 or later, Gateway API, managed Prometheus with DCGM and the HPA
 * `PERFORMANCE` profile on every cluster (all `GkeInferenceCluster` defaults).
 */
export class MultiClusterInferenceGateway extends Construct {
  /** The members, in order, with their regions. */
  public readonly members: ReadonlyArray<{ readonly cluster: GkeInferenceCluster; readonly region: string; readonly proxySubnetCidr: string }>;
  /** The config cluster. */
  public readonly configCluster: GkeInferenceCluster;
  /** Fleet memberships, in member order. */
  public readonly memberships: readonly GkeHubMembership[];
  /** The `multiclusteringress` fleet feature. */
  public readonly feature: GkeHubFeature;
  /** The `GLOBAL_MANAGED_PROXY` subnets, in member order. */
  public readonly proxySubnets: readonly ComputeSubnetwork[];
  /** The `REGIONAL_MANAGED_PROXY` subnets. */
  public readonly regionalProxySubnets: readonly ComputeSubnetwork[];
  /** The balancing. */
  public readonly balancing: Balancing;
  /** Backend timeout, seconds. */
  public readonly timeoutSec: number;
  /** Pool name on every cluster. */
  public readonly poolName: string;
  /** Namespace of the Kubernetes objects. */
  public readonly namespace: string;

  private readonly props: MultiClusterInferenceGatewayProps;
  private readonly pools = new Map<GkeInferenceCluster, InferencePool>();

  constructor(scope: Construct, id: string, props: MultiClusterInferenceGatewayProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    this.props = props;
    const network = props.network ?? 'default';
    v.integerInRange('MEMBER_COUNT_OUT_OF_RANGE', 'members.length', props.members.length, 2, 16,
      'a multi-cluster gateway spans at least two clusters');
    this.members = props.members.map((m, i) => ({ cluster: m.cluster, proxySubnetCidr: m.proxySubnetCidr, region: memberRegion(v, m, i) }));
    const regions = this.members.map((m) => m.region).filter((r) => !isUnresolved(r));
    const dup = regions.find((r, i) => regions.indexOf(r) !== i);
    if (dup) v.fail('REGION_DUPLICATE', 'members.region', dup, 'one cluster per region (distinct regions)');
    for (const m of this.members) {
      if (!isUnresolved(m.cluster.network) && !isUnresolved(network) && m.cluster.network !== network) {
        v.fail('NETWORK_MISMATCH', `members[${m.cluster.node.id}].cluster.network`, m.cluster.network, `"${network}" (all clusters in one VPC)`,
          'cross-VPC backends are not supported by multi-cluster Gateways');
      }
    }
    if (new Set(this.members.map((m) => m.cluster)).size !== this.members.length) {
      v.fail('MEMBER_DUPLICATE', 'members', this.members.map((m) => m.cluster.node.path), 'distinct clusters');
    }
    this.configCluster = props.configCluster ?? this.members[0].cluster;
    if (!this.members.some((m) => m.cluster === this.configCluster)) {
      v.fail('CONFIG_CLUSTER_NOT_MEMBER', 'configCluster', this.configCluster.node.path, 'one of the members');
    }
    // Proxy-only subnets: valid CIDRs, no overlap, never global and regional in one region.
    const cidrs: Array<{ where: string; cidr?: Cidr }> = this.members.map((m, i) => ({
      where: `members[${i}].proxySubnetCidr`, cidr: parseCidr(v, `members[${i}].proxySubnetCidr`, m.proxySubnetCidr),
    }));
    for (const [i, r] of (props.regionalProxySubnets ?? []).entries()) {
      if (regions.includes(r.region)) {
        v.fail('PROXY_SUBNET_CONFLICT', `regionalProxySubnets[${i}].region`, r.region,
          `a region without a GLOBAL_MANAGED_PROXY subnet (not ${regions.join(', ')})`,
          'a region holds one proxy-only subnet per VPC: creating the global one fails where a regional one exists');
      }
      cidrs.push({ where: `regionalProxySubnets[${i}].cidr`, cidr: parseCidr(v, `regionalProxySubnets[${i}].cidr`, r.cidr) });
    }
    for (let i = 0; i < cidrs.length; i++) {
      for (let j = i + 1; j < cidrs.length; j++) {
        const a = cidrs[i].cidr, b = cidrs[j].cidr;
        if (a && b && a.start <= b.end && b.start <= a.end) {
          v.fail('CIDR_OVERLAP', cidrs[j].where, b.text, `a range that does not overlap ${cidrs[i].where} (${a.text})`);
        }
      }
    }
    // Balancing and timeout, checked now (the policies are created later, in another stack).
    this.balancing = props.balancing;
    props.balancing.policyFields(this.node.path);
    this.timeoutSec = backendTimeoutSec(v, props.expectedP99Seconds, props.timeoutSec);
    this.poolName = props.poolName ?? 'inference-pool';
    this.namespace = props.namespace ?? 'default';
    v.matches('NAME_INVALID', 'poolName', this.poolName, /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/, 'a DNS-1123 label of at most 40 characters');
    const objectiveNames = (props.objectives ?? []).map((o) => o.name);
    if (new Set(objectiveNames).size !== objectiveNames.length) v.fail('OBJECTIVE_DUPLICATE', 'objectives', objectiveNames, 'distinct names');

    // Cloud resources.
    const apis = props.enableApis ?? true
      ? MULTI_CLUSTER_GATEWAY_APIS.map((service) => new ProjectService(this, `Api-${service.split('.')[0]}`, {
        project: props.project, service, disableOnDestroy: false,
      }))
      : [];
    this.memberships = this.members.map((m) => new GkeHubMembership(this, `${m.cluster.node.id}Membership`, {
      project: props.project, membershipId: m.cluster.clusterName, location: m.region,
      endpoint: { gkeCluster: { resourceLink: `//container.googleapis.com/${m.cluster.resource.id}` } },
      dependsOn: apis,
    }));
    const configMembership = this.memberships[this.members.findIndex((m) => m.cluster === this.configCluster)];
    this.feature = new GkeHubFeature(this, 'MultiClusterIngress', {
      project: props.project, name: 'multiclusteringress', location: 'global',
      spec: { multiclusteringress: { configMembership: configMembership.id } },
      dependsOn: [...apis, ...this.memberships],
    });
    const projectInfo = new DataGoogleProject(this, 'Project', { projectId: props.project });
    new ProjectIamMember(this, 'MciServiceAgentContainerAdmin', {
      project: props.project, role: 'roles/container.admin',
      member: `serviceAccount:service-${projectInfo.number}@gcp-sa-multiclusteringress.iam.gserviceaccount.com`,
      dependsOn: [this.feature],
    });
    this.proxySubnets = this.members.map((m) => new ComputeSubnetwork(this, `GlobalProxySubnet-${m.region}`, {
      project: props.project, name: `inference-gw-proxy-${m.region}`, region: m.region, network,
      ipCidrRange: m.proxySubnetCidr, purpose: 'GLOBAL_MANAGED_PROXY', role: 'ACTIVE', dependsOn: apis,
    }));
    this.regionalProxySubnets = (props.regionalProxySubnets ?? []).map((r) => new ComputeSubnetwork(this, `RegionalProxySubnet-${r.region}`, {
      project: props.project, name: `regional-proxy-${r.region}`, region: r.region, network,
      ipCidrRange: r.cidr, purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE', dependsOn: apis,
    }));
    if (props.installInferenceObjectiveCrd ?? true) {
      for (const m of this.members) {
        new UpstreamCrdInstall(this, `${m.cluster.node.id}InferenceObjectiveCrd`, { cluster: m.cluster, url: INFERENCE_OBJECTIVE_CRD_URL });
      }
    }
  }

  /** The members' regions, in order. */
  public get regions(): string[] {
    return this.members.map((m) => m.region);
  }

  /**
   * Adds, in `scope` (a stack that reaches `options.cluster`), the cluster's exported `InferencePool` with its
   * endpoint picker, the `AutoscalingMetric` (custom-metric balancing) and the `InferenceObjective`s.
   */
  public addClusterWorkloads(scope: Construct, id: string, options: ClusterWorkloadsOptions): ClusterWorkloads {
    const v: Validator = new Validator(`${scope.node.path}/${id}`);
    if (!this.members.some((m) => m.cluster === options.cluster)) {
      v.fail('CLUSTER_NOT_MEMBER', 'cluster', options.cluster.node.path, `a member of ${this.node.path}`);
    }
    if (this.pools.has(options.cluster)) v.fail('POOL_DUPLICATE', 'cluster', options.cluster.node.path, 'one pool per cluster');
    const group = new Construct(scope, id);
    const server = options.server;
    const metricsPort = server.spec.server.metricsPort ?? server.spec.server.port;
    const pool = new InferencePool(group, 'Pool', {
      name: this.poolName, namespace: this.namespace, matchLabels: { app: server.name }, targetPort: server.spec.server.port,
      exportToFleet: true, provider: options.provider,
    });
    const metric = this.balancing.mode === BalancingMode.CUSTOM_METRICS
      ? new AutoscalingMetric(group, 'LoadMetric', {
        name: `${this.poolName}-load`, namespace: this.namespace, matchLabels: { app: server.name }, port: metricsPort,
        path: server.spec.server.metricsPath ?? '/metrics', metrics: this.balancing.metric!.exports, provider: options.provider,
      })
      : undefined;
    const objectives = (this.props.objectives ?? []).map((o) => new InferenceObjective(group, `Objective-${o.name}`, {
      name: o.name, pool, priority: o.priority, provider: options.provider,
    }));
    this.pools.set(options.cluster, pool);
    return { pool, metric, objectives };
  }

  /**
   * Adds, in `scope` (a stack that reaches the config cluster), the `Gateway` with one address per member region,
   * the `HTTPRoute` to the pool's `GCPInferencePoolImport`, the `HealthCheckPolicy` and the `GCPBackendPolicy`.
   * Call it after {@link addClusterWorkloads} for every member: it checks that every member exports its pool.
   */
  public addGatewayRouting(scope: Construct, id: string, options: GatewayRoutingOptions): GatewayRouting {
    const v: Validator = new Validator(`${scope.node.path}/${id}`);
    if (options.cluster !== this.configCluster) {
      v.fail('ROUTE_NOT_ON_CONFIG_CLUSTER', 'cluster', options.cluster.node.path, `the config cluster ${this.configCluster.node.path}`,
        'the Gateway, HTTPRoute and policies live on the config cluster only');
    }
    for (const m of this.members) {
      const pool = this.pools.get(m.cluster);
      if (!pool) {
        v.fail('POOL_MISSING', `pool of ${m.cluster.node.path}`, undefined, 'addClusterWorkloads() on every member first');
      }
      const annotations = pool.pool.manifest.metadata.annotations ?? {};
      if (annotations[FLEET_EXPORT_ANNOTATION] !== 'True') {
        v.fail('POOL_NOT_EXPORTED', `pool of ${m.cluster.node.path}`, annotations, `metadata.annotations["${FLEET_EXPORT_ANNOTATION}"] = "True"`);
      }
    }
    const pool = this.pools.get(this.configCluster)!;
    const group = new Construct(scope, id);
    const gateway = new CrossRegionalInferenceGateway(group, 'Gateway', {
      namespace: this.namespace, regions: this.regions, poolName: this.poolName, poolPort: pool.targetPort, provider: options.provider,
    });
    const policies = new InferenceImportPolicies(group, 'Policies', {
      poolName: this.poolName, namespace: this.namespace, balancing: this.balancing, expectedP99Seconds: this.props.expectedP99Seconds,
      timeoutSec: this.timeoutSec, healthCheckPort: pool.targetPort, provider: options.provider,
    });
    return { gateway, policies };
  }
}

function memberRegion(v: Validator, m: MultiClusterMember, i: number): string {
  if (m.region !== undefined) {
    v.matches('REGION_INVALID', `members[${i}].region`, m.region, /^[a-z]+-[a-z]+[0-9]+$/, 'a region such as us-east4');
    return m.region;
  }
  const loc = m.cluster.location;
  const match = /^([a-z]+-[a-z]+[0-9]+)(-[a-z])?$/.exec(loc);
  if (!match) {
    return v.fail('REGION_UNKNOWN', `members[${i}].region`, loc, 'a cluster location that names a region or zone, or an explicit region');
  }
  return match[1];
}

function parseCidr(v: Validator, where: string, text: string): Cidr | undefined {
  if (isUnresolved(text)) return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || prefix < 8 || prefix > 26) {
    return v.fail('CIDR_INVALID', where, text, 'an IPv4 CIDR with a prefix from /8 to /26 (Google\'s example: a /23)');
  }
  const addr = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - prefix);
  if (addr % size !== 0) v.fail('CIDR_INVALID', where, text, `a network address (aligned to /${prefix})`);
  return { text, start: addr, end: addr + size - 1 };
}
