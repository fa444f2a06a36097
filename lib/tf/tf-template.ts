import { Testing, TerraformStack } from './cdktf';
import { IConstruct } from 'constructs';

/** A synthesized Terraform JSON document (the `cdk.tf.json` of one stack). */
export interface TfJson {
  /** Resources by type, then by logical name. */
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  /** Data sources by type, then by logical name. */
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  /** Outputs by name. */
  readonly output?: Record<string, Record<string, unknown>>;
  /** Provider configurations by provider name. */
  readonly provider?: Record<string, Array<Record<string, unknown>>>;
  /** Input variables by name. */
  readonly variable?: Record<string, Record<string, unknown>>;
  /** `moved` blocks (`from`/`to` addresses). */
  readonly moved?: Array<Record<string, unknown>>;
  /** Anything else Terraform JSON allows (`terraform`, `locals`, `//` metadata). */
  readonly [key: string]: unknown;
}

/** One resource of a synthesized stack. */
export interface TfResource {
  /** Terraform resource type, e.g. `google_cloud_run_v2_service`. */
  readonly type: string;
  /** Logical name within the stack. */
  readonly name: string;
  /** Terraform address, `type.name`. */
  readonly address: string;
  /** The resource's configuration, as synthesized. */
  readonly config: Record<string, any>;
}

/**
 * True when `actual` contains `expected`: objects match key by key (extra keys allowed), arrays match
 * element by element with the same length, everything else by strict equality. The same semantics
 * as aws-cdk-lib's `Match.objectLike` applied recursively.
 */
export function objectLike(actual: unknown, expected: unknown): boolean {
  if (expected === actual) return true;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length &&
      expected.every((e, i) => objectLike(actual[i], e));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected as Record<string, unknown>)
      .every(([k, v]) => objectLike((actual as Record<string, unknown>)[k], v));
  }
  return false;
}

/**
 * An aws-cdk-shaped assertion helper over cdktf's synthesized JSON, so tests on both clouds read the
 * same: `TfTemplate.fromStack(stack).hasResourceProperties('google_cloud_run_v2_service', {...})`.
 */
export class TfTemplate {
  /** Synthesizes `stack` (without the cdktf validations that need a terraform binary). */
  public static fromStack(stack: TerraformStack): TfTemplate {
    return new TfTemplate(JSON.parse(Testing.synth(stack)) as TfJson);
  }

  /** Synthesizes whatever `fn` adds to a fresh test stack. */
  public static synthScope(fn: (scope: IConstruct) => void): TfTemplate {
    return new TfTemplate(JSON.parse(Testing.synthScope(fn)) as TfJson);
  }

  /** Wraps an already synthesized document. */
  public static fromJson(json: TfJson | string): TfTemplate {
    return new TfTemplate(typeof json === 'string' ? JSON.parse(json) : json);
  }

  private constructor(private readonly json: TfJson) {}

  /** The whole document. */
  public toJSON(): TfJson {
    return this.json;
  }

  /** Every resource of `type` (all resources when omitted) whose config contains `props`. */
  public findResources(type?: string, props?: Record<string, unknown>): TfResource[] {
    const out: TfResource[] = [];
    for (const [t, byName] of Object.entries(this.json.resource ?? {})) {
      if (type !== undefined && t !== type) continue;
      for (const [name, config] of Object.entries(byName)) {
        if (props === undefined || objectLike(config, props)) {
          out.push({ type: t, name, address: `${t}.${name}`, config: config as Record<string, any> });
        }
      }
    }
    return out;
  }

  /** The one resource of `type` whose config contains `props`; throws when there are none or several. */
  public resource(type: string, props?: Record<string, unknown>): TfResource {
    const found = this.findResources(type, props);
    if (found.length !== 1) {
      throw new Error(`expected exactly one ${type}${props ? ` matching ${JSON.stringify(props)}` : ''}, ` +
        `found ${found.length}: ${found.map((r) => r.address).join(', ') || 'none'}`);
    }
    return found[0];
  }

  /** Asserts the number of resources of `type`. */
  public resourceCountIs(type: string, count: number): void {
    const actual = this.findResources(type).length;
    if (actual !== count) throw new Error(`expected ${count} ${type}, found ${actual}`);
  }

  /** Asserts that some resource of `type` contains `props`. */
  public hasResourceProperties(type: string, props: Record<string, unknown>): void {
    if (this.findResources(type, props).length === 0) {
      const candidates = this.findResources(type).map((r) => JSON.stringify(r.config, null, 2));
      throw new Error(`no ${type} contains ${JSON.stringify(props, null, 2)}\n` +
        `candidates:\n${candidates.join('\n') || '(none)'}`);
    }
  }

  /** Every data source of `type` whose config contains `props`. */
  public findDataSources(type: string, props?: Record<string, unknown>): TfResource[] {
    return Object.entries(this.json.data?.[type] ?? {})
      .filter(([, config]) => props === undefined || objectLike(config, props))
      .map(([name, config]) => ({ type, name, address: `data.${type}.${name}`, config: config as Record<string, any> }));
  }

  /** The outputs, by name. */
  public outputs(): Record<string, Record<string, unknown>> {
    return this.json.output ?? {};
  }
}
