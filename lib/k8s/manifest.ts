import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct, IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';
import { ITerraformDependable, TerraformMetaArguments } from '../tf';
import { ManifestSchemas } from './validation/registry';

/** Metadata of a manifest this library emits. */
export interface ManifestMetadata {
  /** Object name. */
  readonly name: string;
  /** Namespace (absent for cluster-scoped kinds). */
  readonly namespace?: string;
  /** Labels. */
  readonly labels?: Record<string, string>;
  /** Annotations. */
  readonly annotations?: Record<string, string>;
}

/** A plain Kubernetes manifest, exactly as `kubectl apply` would take it. */
export interface KubernetesManifest {
  /** API version, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** Kind, e.g. `Deployment`. */
  readonly kind: string;
  /** Object metadata. */
  readonly metadata: ManifestMetadata;
  /** The rest of the object (`spec`, `rules`, `roleRef`, ...). */
  readonly [field: string]: unknown;
}

/**
 * A construct that emits Kubernetes objects. Every object it renders to Terraform is also available here
 * as a plain manifest, already validated against its upstream schema.
 */
export interface IManifestSource extends IConstruct {
  /** The Kubernetes objects this construct emits, as plain manifests. */
  readonly manifests: readonly KubernetesManifest[];
}

/** True when `x` is an {@link IManifestSource}. */
export function isManifestSource(x: unknown): x is IManifestSource {
  return typeof x === 'object' && x !== null && Array.isArray((x as IManifestSource).manifests) &&
    typeof (x as IConstruct).node === 'object';
}

/**
 * Every manifest emitted under `scope` (the scope itself included), in construct-tree order, each once (a
 * construct and the child that renders its object both report the same manifest).
 */
export function manifestsOf(scope: IConstruct): KubernetesManifest[] {
  return [...new Set(scope.node.findAll().filter(isManifestSource).flatMap((s) => [...s.manifests]))];
}

/**
 * Validates `manifest` against its upstream schema (unknown keys rejected) and throws a
 * {@link ValidationError} with code `MANIFEST_INVALID` naming the construct path and the first offending
 * field; the hint lists every problem.
 */
export function validateManifest(manifest: KubernetesManifest, path: string): void {
  const issues = ManifestSchemas.issues(manifest);
  if (issues.length === 0) return;
  const first = issues[0];
  throw new ValidationError({
    code: 'MANIFEST_INVALID', path, property: `${manifest.kind}/${manifest.metadata?.name}: ${first.path}`,
    value: valueAt(manifest, first.path), allowed: `a field of the upstream ${manifest.apiVersion} ${manifest.kind} schema`,
    hint: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
  });
}

function valueAt(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Props of {@link KubernetesObject}. */
export interface KubernetesObjectProps {
  /** The object. It is validated against its upstream schema at synth time. */
  readonly manifest: KubernetesManifest;
  /** Resources that must exist first (e.g. the CRD or namespace). @default - none */
  readonly dependsOn?: ITerraformDependable[];
  /** The `kubernetes` provider to apply it with (one per cluster when a stack reaches several). @default - the stack's default provider */
  readonly provider?: TerraformMetaArguments['provider'];
  /** `computed_fields`: paths a controller changes after apply (Terraform keeps the live value). @default - the provider's default, metadata.labels and metadata.annotations */
  readonly computedFields?: string[];
}

/**
 * Any Kubernetes object, validated against its upstream schema and applied with `kubernetes_manifest`
 * (server-side apply). `kubernetes_manifest` needs the cluster API, and the CRD of a custom resource, at
 * plan time (terraform-provider-kubernetes #1367, #1782): put it in a stack applied after the cluster.
 */
export class KubernetesObject extends Construct implements IManifestSource {
  /** The manifest, as validated. */
  public readonly manifest: KubernetesManifest;
  /** The `kubernetes_manifest` resource. */
  public readonly resource: Manifest;

  constructor(scope: Construct, id: string, props: KubernetesObjectProps) {
    super(scope, id);
    validateManifest(props.manifest, this.node.path);
    this.manifest = props.manifest;
    this.resource = new Manifest(this, 'Resource', {
      manifest: props.manifest as never, dependsOn: props.dependsOn, provider: props.provider, computedFields: props.computedFields,
    });
  }

  /** The object as a plain manifest (one element). */
  public get manifests(): readonly KubernetesManifest[] {
    return [this.manifest];
  }
}
