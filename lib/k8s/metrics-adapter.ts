import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { Lazy } from '../tf';
import { IGkeCluster } from './cluster';
import { HpaMetricType, InferenceMetric, MetricsAdapterKind, PrometheusAdapterRule, RenderedMetric } from './inference-metric';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';

/** Options of {@link MetricsAdapter.stackdriver}. */
export interface StackdriverAdapterOptions {
  /**
   * How HPAs read metrics through this adapter: `Pods` (per-pod, the tutorial's default) or `External`
   * (selected by the `cluster` and `namespace` resource labels).
   * @default HpaMetricType.PODS
   */
  readonly metricType?: HpaMetricType;
  /** Adapter image. @default 'gcr.io/gke-release/custom-metrics-stackdriver-adapter:v0.15.1-gke.0' */
  readonly image?: string;
}

/** Options of {@link MetricsAdapter.prometheus}. */
export interface PrometheusAdapterOptions {
  /**
   * Extra `rules.external` entries, beyond the ones every `InferenceHpa` using this adapter adds for its
   * own metrics (those always filter by cluster and namespace).
   * @default - none
   */
  readonly rules?: PrometheusAdapterRule[];
  /** prometheus-community `prometheus-adapter` chart version. @default '5.3.0' */
  readonly chartVersion?: string;
  /** Managed Service for Prometheus query frontend image. @default 'gke.gcr.io/prometheus-engine/frontend:v0.15.3-gke.0' */
  readonly frontendImage?: string;
}

/**
 * Which custom/external metrics adapter serves HPAs in a cluster. The two cannot coexist (they register
 * the same APIServices), so a cluster gets exactly one {@link ClusterMetricsAdapter}.
 */
export class MetricsAdapter {
  /**
   * Google's Custom Metrics Stackdriver Adapter (upstream manifest
   * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/deploy/production/adapter_new_resource_model.yaml),
   * reading Cloud Monitoring as a Google service account with `roles/monitoring.viewer` through Workload Identity.
   */
  public static stackdriver(options: StackdriverAdapterOptions = {}): MetricsAdapter {
    return new MetricsAdapter(MetricsAdapterKind.STACKDRIVER, options, {});
  }

  /**
   * prometheus-community `prometheus-adapter` (Helm chart) querying Managed Service for Prometheus through
   * its query frontend (which runs as a Google service account with `roles/monitoring.viewer`).
   */
  public static prometheus(options: PrometheusAdapterOptions = {}): MetricsAdapter {
    return new MetricsAdapter(MetricsAdapterKind.PROMETHEUS, {}, options);
  }

  private constructor(
    /** Which adapter. */
    public readonly kind: MetricsAdapterKind,
    /** Stackdriver options. */
    public readonly stackdriverOptions: StackdriverAdapterOptions,
    /** prometheus-adapter options. */
    public readonly prometheusOptions: PrometheusAdapterOptions,
  ) {}
}

/** Props of {@link ClusterMetricsAdapter}. */
export interface ClusterMetricsAdapterProps {
  /** The cluster the adapter serves. */
  readonly cluster: IGkeCluster;
  /** Which adapter. */
  readonly adapter: MetricsAdapter;
  /** Google service account id (6-30 characters) the adapter (or the Prometheus frontend) runs as. @default - derived from the construct path */
  readonly serviceAccountId?: string;
}

/** Namespace the adapter objects live in. */
export const METRICS_ADAPTER_NAMESPACE = 'custom-metrics';

const adapters = new WeakMap<IGkeCluster, string>();

/**
 * Installs one metrics adapter in a cluster, with the Google service account it reads Cloud Monitoring as
 * (`roles/monitoring.viewer`, bound through Workload Identity). A second adapter for the same cluster fails
 * synth with `METRICS_ADAPTER_CONFLICT`.
 */
export class ClusterMetricsAdapter extends Construct implements IManifestSource {
  /** Which adapter. */
  public readonly kind: MetricsAdapterKind;
  /** The cluster. */
  public readonly cluster: IGkeCluster;
  /** The Google service account. */
  public readonly serviceAccount: ServiceAccount;
  /** The Helm release (prometheus-adapter only). */
  public readonly release?: Release;
  /** The Kubernetes objects, as constructs. */
  public readonly objects: KubernetesObject[] = [];
  private readonly adapter: MetricsAdapter;
  private readonly rules: PrometheusAdapterRule[];

  constructor(scope: Construct, id: string, props: ClusterMetricsAdapterProps) {
    super(scope, id);
    const v: Validator = new Validator(this.node.path);
    const existing = adapters.get(props.cluster);
    if (existing !== undefined) {
      v.fail('METRICS_ADAPTER_CONFLICT', 'cluster', props.cluster.clusterName, 'one metrics adapter per cluster',
        `${existing} already installs one; the Stackdriver adapter and prometheus-adapter register the same APIServices`);
    }
    adapters.set(props.cluster, this.node.path);
    this.kind = props.adapter.kind;
    this.cluster = props.cluster;
    this.adapter = props.adapter;
    this.rules = [...(props.adapter.prometheusOptions.rules ?? [])];

    const accountId = props.serviceAccountId ?? `metrics-${this.node.addr.slice(0, 12)}`;
    v.matches('SERVICE_ACCOUNT_ID_INVALID', 'serviceAccountId', accountId, /^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/,
      '6-30 lowercase letters, digits or hyphens, starting with a letter');
    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', {
      project: props.cluster.project, accountId, displayName: `${this.kind} metrics adapter of ${props.cluster.clusterName}`,
    });
    new ProjectIamMember(this, 'MonitoringViewer', {
      project: props.cluster.project, role: 'roles/monitoring.viewer', member: `serviceAccount:${this.serviceAccount.email}`,
    });
    const ksa = this.kind === MetricsAdapterKind.STACKDRIVER ? 'custom-metrics-stackdriver-adapter' : 'gmp-frontend';
    new ServiceAccountIamMember(this, 'WorkloadIdentity', {
      serviceAccountId: this.serviceAccount.name, role: 'roles/iam.workloadIdentityUser',
      member: `serviceAccount:${props.cluster.workloadPool}[${METRICS_ADAPTER_NAMESPACE}/${ksa}]`,
    });

    const ns = this.object('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: METRICS_ADAPTER_NAMESPACE } });
    const after = [ns.resource];
    const sa = this.object('KubernetesServiceAccount', {
      apiVersion: 'v1', kind: 'ServiceAccount',
      metadata: { name: ksa, namespace: METRICS_ADAPTER_NAMESPACE, annotations: { 'iam.gke.io/gcp-service-account': this.serviceAccount.email } },
    }, after);
    if (this.kind === MetricsAdapterKind.STACKDRIVER) {
      this.stackdriverObjects(ksa, [...after, sa.resource]);
    } else {
      this.release = this.prometheusObjects(ksa, [...after, sa.resource]);
    }
  }

  /** The Kubernetes objects this adapter installs (the Helm chart's objects excepted), as plain manifests. */
  public get manifests(): readonly KubernetesManifest[] {
    return this.objects.map((o) => o.manifest);
  }

  /** With the Stackdriver adapter: `Pods` or `External` metrics. */
  public get stackdriverMetricType(): HpaMetricType {
    return this.adapter.stackdriverOptions.metricType ?? HpaMetricType.PODS;
  }

  /** The prometheus-adapter rules served (those added by HPAs included). */
  public get prometheusRules(): readonly PrometheusAdapterRule[] {
    return this.rules;
  }

  /**
   * Renders `metric` for this adapter; with prometheus-adapter, also adds the rule that serves it (once).
   * `InferenceHpa` calls it for each of its metrics.
   */
  public renderMetric(metric: InferenceMetric, namespace: string, path: string): RenderedMetric {
    const rendered = metric.render({
      adapter: this.kind, stackdriverMetricType: this.stackdriverMetricType, clusterName: this.cluster.clusterName, namespace, path,
    });
    if (rendered.rule && !this.rules.some((r) => JSON.stringify(r) === JSON.stringify(rendered.rule))) {
      const clash = this.rules.find((r) => r.name.as === rendered.rule!.name.as);
      if (clash) {
        new Validator(path).fail('METRIC_NAME_CONFLICT', 'metric', rendered.rule.name.as,
          'one prometheus-adapter rule per served metric name', 'two HPAs in different namespaces serve the same metric name through one adapter');
      }
      this.rules.push(rendered.rule);
    }
    return rendered;
  }

  private object(id: string, manifest: KubernetesManifest, dependsOn?: KubernetesObject['resource'][]): KubernetesObject {
    const o = new KubernetesObject(this, id, { manifest, dependsOn });
    this.objects.push(o);
    return o;
  }

  private stackdriverObjects(ksa: string, after: KubernetesObject['resource'][]): void {
    const NS = METRICS_ADAPTER_NAMESPACE;
    const labels = { 'run': 'custom-metrics-stackdriver-adapter', 'k8s-app': 'custom-metrics-stackdriver-adapter' };
    const subject = [{ kind: 'ServiceAccount', name: ksa, namespace: NS }];
    const rbac = 'rbac.authorization.k8s.io';
    this.object('AuthDelegator', {
      apiVersion: `${rbac}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'custom-metrics:system:auth-delegator' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'system:auth-delegator' }, subjects: subject,
    }, after);
    this.object('AuthReader', {
      apiVersion: `${rbac}/v1`, kind: 'RoleBinding', metadata: { name: 'custom-metrics-auth-reader', namespace: 'kube-system' },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'extension-apiserver-authentication-reader' }, subjects: subject,
    }, after);
    this.object('ResourceReaderRole', {
      apiVersion: `${rbac}/v1`, kind: 'ClusterRole', metadata: { name: 'custom-metrics-resource-reader' },
      rules: [{ apiGroups: [''], resources: ['pods', 'nodes', 'nodes/stats'], verbs: ['get', 'list', 'watch'] }],
    });
    this.object('ResourceReader', {
      apiVersion: `${rbac}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'custom-metrics-resource-reader' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'custom-metrics-resource-reader' }, subjects: subject,
    }, after);
    const deployment = this.object('Deployment', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'custom-metrics-stackdriver-adapter', namespace: NS, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: { ...labels, 'kubernetes.io/cluster-service': 'true' } },
          spec: {
            serviceAccountName: ksa,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'pod-custom-metrics-stackdriver-adapter',
              image: this.adapter.stackdriverOptions.image ?? 'gcr.io/gke-release/custom-metrics-stackdriver-adapter:v0.15.1-gke.0',
              imagePullPolicy: 'IfNotPresent',
              command: ['/adapter', '--use-new-resource-model=true', '--fallback-for-container-metrics=true'],
              resources: { limits: { cpu: '250m', memory: '400Mi' }, requests: { cpu: '250m', memory: '400Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            }],
          },
        },
      },
    }, after);
    const service = this.object('Service', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'custom-metrics-stackdriver-adapter', namespace: NS, labels: { ...labels, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'Adapter' } },
      spec: { ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }], selector: labels, type: 'ClusterIP' },
    }, after);
    const apis: Array<[string, string, number]> = [
      ['custom.metrics.k8s.io', 'v1beta1', 100], ['custom.metrics.k8s.io', 'v1beta2', 200], ['external.metrics.k8s.io', 'v1beta1', 100],
    ];
    for (const [group, version, priority] of apis) {
      this.object(`ApiService-${version}.${group.split('.')[0]}`, {
        apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: `${version}.${group}` },
        spec: {
          insecureSkipTLSVerify: true, group, groupPriorityMinimum: 100, versionPriority: priority,
          service: { name: 'custom-metrics-stackdriver-adapter', namespace: NS }, version,
        },
      }, [deployment.resource, service.resource]);
    }
    this.object('ExternalMetricsReaderRole', {
      apiVersion: `${rbac}/v1`, kind: 'ClusterRole', metadata: { name: 'external-metrics-reader' },
      rules: [{ apiGroups: ['external.metrics.k8s.io'], resources: ['*'], verbs: ['list', 'get', 'watch'] }],
    });
    this.object('ExternalMetricsReader', {
      apiVersion: `${rbac}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'external-metrics-reader' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'external-metrics-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'horizontal-pod-autoscaler', namespace: 'kube-system' }],
    });
  }

  private prometheusObjects(ksa: string, after: KubernetesObject['resource'][]): Release {
    const NS = METRICS_ADAPTER_NAMESPACE;
    const opts = this.adapter.prometheusOptions;
    const labels = { app: 'gmp-frontend' };
    // The query frontend of Managed Service for Prometheus (GoogleCloudPlatform/prometheus-engine examples/frontend.yaml).
    const frontend = this.object('FrontendDeployment', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gmp-frontend', namespace: NS, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: ksa,
            automountServiceAccountToken: true,
            securityContext: { runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'frontend',
              image: opts.frontendImage ?? 'gke.gcr.io/prometheus-engine/frontend:v0.15.3-gke.0',
              args: ['--web.listen-address=:9090', `--query.project-id=${this.cluster.project}`],
              ports: [{ containerPort: 9090, name: 'web' }],
              readinessProbe: { httpGet: { path: '/-/ready', port: 'web' } },
              livenessProbe: { httpGet: { path: '/-/healthy', port: 'web' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false },
            }],
          },
        },
      },
    }, after);
    const service = this.object('FrontendService', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'gmp-frontend', namespace: NS },
      spec: { clusterIP: 'None', ports: [{ name: 'web', port: 9090 }], selector: labels },
    }, after);
    return new Release(this, 'Release', {
      name: 'prometheus-adapter',
      namespace: NS,
      repository: 'https://prometheus-community.github.io/helm-charts',
      chart: 'prometheus-adapter',
      version: opts.chartVersion ?? '5.3.0',
      // JSON is YAML: the rules are rendered after every HPA has added its own.
      values: [Lazy.stringValue({
        produce: () => JSON.stringify({
          prometheus: { url: `http://gmp-frontend.${NS}.svc`, port: 9090 },
          rules: { default: false, external: this.rules },
        }, null, 2),
      })],
      dependsOn: [frontend.resource, service.resource],
    });
  }
}
