/**
 * Strict validation of plain Kubernetes manifests against upstream schemas, with unknown keys rejected.
 *
 * Two kinds of schema are supported:
 * - the precompiled validators of `kubernetes-models` / `@kubernetes-models/*` (generated from the upstream
 *   OpenAPI documents and CRDs). Those validators ignore unknown keys, so strictness is added by
 *   observation: the manifest is wrapped in proxies that record every key the validator reads; a key the
 *   validator never read is one the schema does not know (a known property, a `patternProperties` or
 *   `additionalProperties` map entry is always read);
 * - hand-written JSON schemas (where no model exists), compiled with ajv after `additionalProperties: false`
 *   is applied to every object schema that lists its properties.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

/** One problem found in a manifest. */
export interface ManifestIssue {
  /** Where, as a dotted path from the manifest root, e.g. `spec.template.spec.containers[0].ports[0].bogus`. */
  readonly path: string;
  /** What is wrong, e.g. `unknown field` or `must be integer`. */
  readonly message: string;
}

/** A schema a manifest can be checked against. */
export interface IManifestSchema {
  /** Where the schema comes from (package and version, or upstream CRD file and tag). */
  readonly source: string;
  /** Every problem of `manifest` (an empty list when it is valid). */
  validate(manifest: unknown): ManifestIssue[];
}

/** An ajv-style compiled validator: returns true when valid and leaves its errors on `.errors`. */
export type CompiledValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Renders an ajv instance path (`/spec/containers/0/name`) as a dotted path (`spec.containers[0].name`). */
export function dottedPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : (out ? `.${p}` : p);
  return out || '(root)';
}

function ajvIssues(errors: readonly ErrorObject[] | null | undefined): ManifestIssue[] {
  return (errors ?? []).map((e) => {
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { path: dottedPath(e.instancePath, missing), message: 'required field is missing' };
    }
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return { path: dottedPath(e.instancePath, extra), message: 'unknown field' };
    }
    if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      return { path: dottedPath(e.instancePath), message: `must be one of ${allowed.join(', ')}` };
    }
    return { path: dottedPath(e.instancePath), message: e.message ?? e.keyword };
  });
}

interface Observed {
  readonly path: string;
  readonly value: object;
  readonly read: Set<string>;
}

/** Wraps `value` so that every own key read through it (at any depth) is recorded in `seen`. */
function observe<T>(value: T, path: string, seen: Observed[]): T {
  if (value === null || typeof value !== 'object') return value;
  const read = new Set<string>();
  seen.push({ path, value: value as object, read });
  const children = new Map<string, unknown>();
  const isArray = Array.isArray(value);
  return new Proxy(value as object, {
    get(target, key, receiver) {
      if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(target, key)) {
        read.add(key);
        if (!children.has(key)) {
          const childPath = isArray ? `${path}[${key}]` : (path ? `${path}.${key}` : key);
          children.set(key, observe((target as Record<string, unknown>)[key], childPath, seen));
        }
        return children.get(key);
      }
      return Reflect.get(target, key, receiver);
    },
  }) as T;
}

/**
 * A schema backed by a precompiled validator that ignores unknown keys (kubernetes-models), made strict by
 * observing which keys the validator reads. `freeForm` lists dotted paths (with `[]` for any index, `*`
 * for any map key) whose content the upstream schema leaves open (`x-kubernetes-preserve-unknown-fields`).
 */
export class ObservedSchema implements IManifestSchema {
  constructor(public readonly source: string, private readonly fn: CompiledValidator,
    private readonly freeForm: readonly string[] = []) {}

  /** Every problem of `manifest`: schema errors first, then unknown fields. */
  public validate(manifest: unknown): ManifestIssue[] {
    const seen: Observed[] = [];
    const ok = this.fn(observe(manifest, '', seen));
    const issues = ok ? [] : ajvIssues(this.fn.errors);
    for (const o of seen) {
      if (Array.isArray(o.value) || this.isFreeForm(o.path)) continue;
      for (const key of Object.keys(o.value)) {
        if (!o.read.has(key)) issues.push({ path: o.path ? `${o.path}.${key}` : key, message: 'unknown field' });
      }
    }
    return issues;
  }

  private isFreeForm(path: string): boolean {
    const generic = path.replace(/\[\d+\]/g, '[]');
    return this.freeForm.some((f) => {
      const re = new RegExp(`^${f.replace(/[.[\]]/g, (c) => `\\${c}`).replace(/\*/g, '[^.]+')}(\\.|\\[|$)`);
      return re.test(generic);
    });
  }
}

/**
 * Returns a copy of a JSON schema in which every object schema that lists `properties` and says nothing
 * about `additionalProperties` gets `additionalProperties: false`.
 */
export function closeSchema<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(closeSchema) as unknown as T;
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if ((k === 'properties' || k === 'patternProperties' || k === 'definitions') && v !== null && typeof v === 'object') {
      // A map of property names to schemas: a property may be named like a keyword (GCPBackendPolicy's `default`).
      out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([name, sub]) => [name, closeSchema(sub)]));
    } else {
      out[k] = (k === 'enum' || k === 'const' || k === 'default' || k === 'required') ? v : closeSchema(v);
    }
  }
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out as T;
}

let sharedAjv: Ajv | undefined;

/** A hand-written JSON schema (draft 7), closed with {@link closeSchema} and compiled with ajv. */
export class JsonSchema implements IManifestSchema {
  private compiled?: ValidateFunction;

  constructor(public readonly source: string, private readonly schema: Record<string, unknown>) {}

  /** Every problem of `manifest`. */
  public validate(manifest: unknown): ManifestIssue[] {
    if (!this.compiled) {
      // `optimize: false` skips ajv's passes over the generated code: compiling is about twice as fast, and
      // each schema checks only the few objects a synth emits, so the unoptimized validator costs nothing.
      sharedAjv ??= new Ajv({ allErrors: true, strict: false, code: { optimize: false } });
      this.compiled = sharedAjv.compile(closeSchema(this.schema));
    }
    return this.compiled(manifest) ? [] : ajvIssues(this.compiled.errors);
  }
}
