import { Construct } from 'constructs';
import { Validator } from '../core/validate';
import { Analysis, CanaryStep } from './analysis';
import { InferenceServer } from './inference-server';
import { IManifestSource, KubernetesManifest, KubernetesObject } from './manifest';
import { HeaderRoute, TrafficRetries, TrafficSplit } from './traffic-split';
import { registerDeliverySchemas } from './validation/crds';

registerDeliverySchemas();

/** Props of {@link CanaryRollout}. */
export interface CanaryRolloutProps {
  /**
   * The server whose Deployment the Rollout takes over (`workloadRef`): Argo Rollouts runs its pod template
   * and scales the Deployment down progressively as the Rollout's pods become ready.
   */
  readonly workload: InferenceServer;
  /** Rollout name (also the prefix of the stable/canary Services and the VirtualService). @default - `<workload>-rollout` */
  readonly name?: string;
  /** Replicas (1-1000). @default - the spec's minReplicas (at least 1) */
  readonly replicas?: number;
  /**
   * Canary steps: `setWeight` weights strictly increasing and the last one 100, `pause`, `analysis`.
   * @default - 10 %, analysis (if any), pause 5 min, 50 %, pause 5 min, 100 %
   */
  readonly steps?: CanaryStep[];
  /** Analyses run by the default steps (ignored when `steps` is given). @default - none */
  readonly analyses?: Analysis[];
  /** Hosts of the VirtualService Argo drives. @default - the workload Service's cluster FQDN */
  readonly hosts?: string[];
  /** Header routes to the canary (A/B), evaluated before the weighted route. @default - none */
  readonly headerRoutes?: Omit<HeaderRoute, 'destination'>[];
  /** Route timeout, seconds. @default 300 */
  readonly timeoutSeconds?: number;
  /** Retries. @default - as {@link TrafficSplit} */
  readonly retries?: TrafficRetries;
}

/**
 * Progressive delivery of a model server with Argo Rollouts: a `Rollout` (argoproj.io/v1alpha1) that takes
 * over the server's Deployment through `workloadRef`, stable and canary Services, an Istio VirtualService
 * whose weighted route (`primary`) Argo shifts step by step (Terraform leaves that route's weights to Argo:
 * `computed_fields`), and one `AnalysisTemplate` per {@link Analysis} used by the steps.
 *
 * Needs an Argo Rollouts release with `workloadRef.scaleDown` (in the v1.8.4 CRD, absent from v1.5.0) and
 * Istio sidecars on the clients.
 */
export class CanaryRollout extends Construct implements IManifestSource {
  /** The Rollout. */
  public readonly rollout: KubernetesObject;
  /** The VirtualService Argo drives. */
  public readonly trafficSplit: TrafficSplit;
  /** Stable Service name. */
  public readonly stableService: string;
  /** Canary Service name. */
  public readonly canaryService: string;
  /** The AnalysisTemplates. */
  public readonly analysisTemplates: readonly KubernetesObject[];
  /** The steps. */
  public readonly steps: readonly CanaryStep[];
  /** The stable and canary Services. */
  public readonly services: readonly KubernetesObject[];

  constructor(scope: Construct, id: string, props: CanaryRolloutProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    const w = props.workload;
    const ns = w.namespace;
    const name = props.name ?? `${w.name}-rollout`.slice(0, 63).replace(/-+$/, '');
    v.matches('NAME_INVALID', 'name', name, /^[a-z0-9]([-a-z0-9]{0,46}[a-z0-9])?$/, 'a DNS-1123 label of at most 48 characters (Services <name>-stable/-canary derive from it)');
    const replicas = props.replicas ?? Math.max(1, w.spec.minReplicas);
    v.integerInRange('REPLICAS_OUT_OF_RANGE', 'replicas', replicas, 1, 1000);
    const steps = props.steps ?? [
      CanaryStep.setWeight(10),
      ...(props.analyses?.length ? [CanaryStep.analysis(...props.analyses)] : []),
      CanaryStep.pause(300), CanaryStep.setWeight(50), CanaryStep.pause(300), CanaryStep.setWeight(100),
    ];
    this.steps = steps;
    validateSteps(v, steps);

    this.stableService = `${name}-stable`;
    this.canaryService = `${name}-canary`;
    const port = w.spec.server.port;
    this.services = [this.stableService, this.canaryService].map((svc, i) => new KubernetesObject(this, i === 0 ? 'StableService' : 'CanaryService', {
      manifest: {
        apiVersion: 'v1', kind: 'Service', metadata: { name: svc, namespace: ns, labels: w.labels },
        spec: { type: 'ClusterIP', selector: { app: w.name }, ports: [{ name: 'http', port, targetPort: port, protocol: 'TCP' }] },
      },
      // Argo adds the rollouts-pod-template-hash selector.
      computedFields: ['metadata.labels', 'metadata.annotations', 'spec.selector'],
    }));
    const headerRoutes = props.headerRoutes ?? [];
    const split = new TrafficSplit(this, 'TrafficSplit', {
      name, namespace: ns,
      hosts: props.hosts ?? [`${w.name}.${ns}.svc.cluster.local`],
      destinations: [{ host: this.stableService, port, weight: 100 }, { host: this.canaryService, port, weight: 0 }],
      headerRoutes: headerRoutes.map((r) => ({ ...r, destination: { host: this.canaryService, port } })),
      timeoutSeconds: props.timeoutSeconds,
      retries: props.retries,
      computedFields: ['metadata.labels', 'metadata.annotations', `spec.http[${headerRoutes.length}].route`],
    });
    this.trafficSplit = split;

    const analyses = [...new Map(steps.flatMap((s) => s.analyses).map((a) => [a.name, a])).values()];
    const byName = new Map<string, Analysis>();
    for (const a of steps.flatMap((s) => s.analyses)) {
      const seen = byName.get(a.name);
      if (seen && JSON.stringify(seen.metric) !== JSON.stringify(a.metric)) {
        v.fail('ANALYSIS_INVALID', 'steps[].analyses', a.name, 'one definition per analysis name');
      }
      byName.set(a.name, a);
    }
    this.analysisTemplates = analyses.map((a) => new KubernetesObject(this, `Analysis-${a.name}`, { manifest: a.template(ns) as never }));

    this.rollout = new KubernetesObject(this, 'Rollout', {
      manifest: {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout',
        metadata: { name, namespace: ns, labels: w.labels },
        spec: {
          replicas,
          revisionHistoryLimit: 3,
          selector: { matchLabels: { app: w.name } },
          workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: w.name, scaleDown: 'progressively' },
          strategy: {
            canary: {
              stableService: this.stableService,
              canaryService: this.canaryService,
              trafficRouting: { istio: { virtualService: { name, routes: [split.routeName] } } },
              steps: steps.map((s) => s.render(this.canaryService, ns)),
            },
          },
        },
      },
      dependsOn: [w.deployment, split.object.resource, ...this.services.map((s) => s.resource), ...this.analysisTemplates.map((t) => t.resource)],
    });
  }

  /** The Rollout, its Services, VirtualService and AnalysisTemplates, as plain manifests. */
  public get manifests(): readonly KubernetesManifest[] {
    return [...this.services, this.trafficSplit, ...this.analysisTemplates, this.rollout].flatMap((o) => [...o.manifests]);
  }
}

/** Weights strictly increasing, each 0-100, the last 100; at least one setWeight. */
function validateSteps(v: Validator, steps: readonly CanaryStep[]): void {
  if (steps.length === 0) v.fail('CANARY_STEPS_INVALID', 'steps', steps, 'at least one step');
  const weights = steps.filter((s) => s.kind === 'setWeight').map((s) => s.value!);
  if (weights.length === 0) v.fail('CANARY_STEPS_INVALID', 'steps', steps.map((s) => s.kind), 'at least one setWeight step');
  weights.forEach((w, i) => {
    if (i > 0 && w <= weights[i - 1]) {
      v.fail('CANARY_STEPS_INVALID', 'steps[].setWeight', weights, 'strictly increasing weights', `${w} follows ${weights[i - 1]}`);
    }
  });
  const last = weights[weights.length - 1];
  if (last !== 100) v.fail('CANARY_STEPS_INVALID', 'steps[].setWeight', weights, 'weights ending at 100', `the last weight is ${last}`);
}
