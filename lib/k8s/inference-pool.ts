import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { TerraformMetaArguments } from '../tf';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';

/** The annotation that exports an InferencePool to the fleet (GKE creates a `GCPInferencePoolImport` on the config cluster). */
export const FLEET_EXPORT_ANNOTATION = 'networking.gke.io/export';

/** The Endpoint Picker (EPP) image of gateway-api-inference-extension v1.1.0. */
export const ENDPOINT_PICKER_IMAGE = 'registry.k8s.io/gateway-api-inference-extension/epp:v1.1.0';

/** What the Endpoint Picker does when it is unreachable. */
export enum EndpointPickerFailureMode {
  /** Fall back to plain load balancing. */
  FAIL_OPEN = 'FailOpen',
  /** Reject requests (the CRD's default). */
  FAIL_CLOSE = 'FailClose',
}

/** Props of {@link InferencePool}. */
export interface InferencePoolProps {
  /** Pool name (the EPP objects are named `<name>-epp`; at most 40 characters). */
  readonly name: string;
  /** Namespace. @default 'default' */
  readonly namespace?: string;
  /** Labels that select the model-server pods (1-64). */
  readonly matchLabels: Record<string, string>;
  /** The model servers' serving port. */
  readonly targetPort: number;
  /**
   * Export the pool to the fleet (annotation `networking.gke.io/export: "True"`), for the multi-cluster gateway.
   * @default false
   */
  readonly exportToFleet?: boolean;
  /** EPP failure mode. @default EndpointPickerFailureMode.FAIL_CLOSE */
  readonly failureMode?: EndpointPickerFailureMode;
  /** Endpoint Picker image. @default ENDPOINT_PICKER_IMAGE */
  readonly endpointPickerImage?: string;
  /** The `kubernetes` provider of the cluster. @default - the stack's default provider */
  readonly provider?: TerraformMetaArguments['provider'];
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/**
 * A Gateway API Inference Extension `InferencePool` (`inference.networking.k8s.io/v1`) and its Endpoint Picker:
 * the same objects the upstream `inferencepool` Helm chart v1.1.0 renders (ServiceAccount, Role + RoleBinding on
 * pods, InferencePools and InferenceObjectives, the plugins ConfigMap with the queue, KV-cache and prefix-cache
 * scorers, the EPP Deployment and Service on ports 9002/9090), written as objects so that the pool can carry the
 * fleet export annotation the chart cannot set, and every object is validated against its upstream schema.
 * The chart's GKE single-cluster policies target the pool itself; a multi-cluster gateway targets the import
 * instead, so they are not emitted here.
 */
export class InferencePool extends Construct implements IManifestSource {
  /** Pool name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;
  /** Serving port of the model servers. */
  public readonly targetPort: number;
  /** Whether the pool carries the fleet export annotation. */
  public readonly exported: boolean;
  /** The InferencePool object. */
  public readonly pool: KubernetesObject;
  /** Every object, the pool last. */
  public readonly objects: readonly KubernetesObject[];

  constructor(scope: Construct, id: string, props: InferencePoolProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    this.name = props.name;
    this.namespace = props.namespace ?? 'default';
    this.targetPort = props.targetPort;
    this.exported = props.exportToFleet ?? false;
    v.matches('NAME_INVALID', 'name', this.name, NAME, 'a DNS-1123 label of at most 40 characters (the EPP adds "-epp")');
    v.matches('NAME_INVALID', 'namespace', this.namespace, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label');
    v.integerInRange('PORT_OUT_OF_RANGE', 'targetPort', props.targetPort, 1, 65535);
    v.integerInRange('SELECTOR_OUT_OF_RANGE', 'matchLabels', Object.keys(props.matchLabels).length, 1, 64,
      'an InferencePool selects pods with 1-64 labels');

    const epp = `${this.name}-epp`;
    const ns = this.namespace;
    const labels = { 'app.kubernetes.io/name': epp, 'app.kubernetes.io/version': 'v1.1.0', 'app.kubernetes.io/managed-by': 'cdk-gpu-inference' };
    const selector = { inferencepool: epp };
    const provider = props.provider;
    const obj = (cid: string, manifest: KubernetesManifest) => new KubernetesObject(this, cid, { manifest, provider });

    const objects = [
      obj('EppServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: epp, namespace: ns, labels } }),
      obj('EppRole', {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: epp, namespace: ns, labels },
        rules: [
          { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferenceobjectives'], verbs: ['get', 'watch', 'list'] },
          { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
          { apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] },
        ],
      }),
      obj('EppRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: epp, namespace: ns },
        subjects: [{ kind: 'ServiceAccount', name: epp, namespace: ns }],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: epp },
      }),
      obj('EppConfig', {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: epp, namespace: ns },
        data: {
          'default-plugins.yaml': [
            'apiVersion: inference.networking.x-k8s.io/v1alpha1',
            'kind: EndpointPickerConfig',
            'plugins:',
            '- type: queue-scorer',
            '- type: kv-cache-utilization-scorer',
            '- type: prefix-cache-scorer',
            'schedulingProfiles:',
            '- name: default',
            '  plugins:',
            '  - pluginRef: queue-scorer',
            '  - pluginRef: kv-cache-utilization-scorer',
            '  - pluginRef: prefix-cache-scorer',
            '',
          ].join('\n'),
        },
      }),
      obj('EppDeployment', {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: epp, namespace: ns, labels },
        spec: {
          replicas: 1,
          strategy: { type: 'Recreate' },
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: selector },
            spec: {
              serviceAccountName: epp,
              terminationGracePeriodSeconds: 130,
              containers: [{
                name: 'epp',
                image: props.endpointPickerImage ?? ENDPOINT_PICKER_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                args: [
                  '--pool-name', this.name, '--pool-namespace', ns, '--zap-encoder', 'json',
                  '--config-file', '/config/default-plugins.yaml', '--v', '1', '--tracing', 'false',
                  '--metrics-endpoint-auth=false',
                ],
                ports: [
                  { name: 'grpc', containerPort: 9002 }, { name: 'grpc-health', containerPort: 9003 },
                  { name: 'metrics', containerPort: 9090 },
                ],
                livenessProbe: { grpc: { port: 9003, service: 'inference-extension' }, initialDelaySeconds: 5, periodSeconds: 10 },
                readinessProbe: { grpc: { port: 9003, service: 'inference-extension' }, periodSeconds: 2 },
                env: [{ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
                volumeMounts: [{ name: 'plugins-config-volume', mountPath: '/config' }],
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              }],
              volumes: [{ name: 'plugins-config-volume', configMap: { name: epp } }],
            },
          },
        },
      }),
      obj('EppService', {
        apiVersion: 'v1', kind: 'Service', metadata: { name: epp, namespace: ns, labels },
        spec: {
          type: 'ClusterIP', selector,
          ports: [
            { name: 'grpc-ext-proc', protocol: 'TCP', port: 9002 },
            { name: 'http-metrics', protocol: 'TCP', port: 9090 },
          ],
        },
      }),
    ];
    this.pool = new KubernetesObject(this, 'Resource', {
      manifest: {
        apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool',
        metadata: {
          name: this.name, namespace: ns,
          labels: { 'app.kubernetes.io/name': epp },
          ...(this.exported ? { annotations: { [FLEET_EXPORT_ANNOTATION]: 'True' } } : {}),
        },
        spec: {
          targetPorts: [{ number: props.targetPort }],
          selector: { matchLabels: props.matchLabels },
          endpointPickerRef: {
            name: epp, port: { number: 9002 }, failureMode: props.failureMode ?? EndpointPickerFailureMode.FAIL_CLOSE,
          },
        },
      },
      provider,
    });
    this.objects = [...objects, this.pool];
  }

  /** Every object of the pool, as plain manifests. */
  public get manifests(): readonly KubernetesManifest[] {
    return this.objects.map((o) => o.manifest);
  }
}
