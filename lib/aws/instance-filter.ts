import { EC2_CPU_INSTANCES, Ec2Architecture, Ec2InstanceSpec, ec2Instances, findEc2Instance, Validator } from '../core';

/**
 * GPU families a Lambda Managed Instances provider is ASSUMED to accept. No AWS page lists them (checked
 * 2026-11); the best evidence is AWS-owned code: the Lambda GPU images in aws/deep-learning-containers
 * (`lambda` branch, `docker/lambda/Dockerfile`) target A10G (g5), L4 (g6) and L40S (g6e) (and Blackwell,
 * g7, not yet in the catalog). Other GPU families (g4dn, p4d, p5) synthesize with a warning.
 */
export const LAMBDA_GPU_FAMILIES_ASSUMED: readonly string[] = ['g5', 'g6', 'g6e'];

/** How a filter selects instance types. */
export enum InstanceFilterKind {
  /** Allow every catalog type of the listed families (optionally only some sizes). */
  FAMILIES = 'families',
  /** Allow exactly the listed types. */
  TYPES = 'types',
  /** Allow every supported CPU type except the listed ones. */
  EXCLUDE = 'exclude',
}

/** Options of {@link InstanceFilter.families}. */
export interface InstanceFamiliesOptions {
  /** Only these sizes, e.g. `['xlarge', '2xlarge']`. @default - every size the catalog lists */
  readonly sizes?: string[];
}

/**
 * Which EC2 instance types a capacity provider may launch, checked against the catalog (families, sizes,
 * vCPUs, memory, architecture, GPUs). Renders aws-cdk-lib's `InstanceTypeFilter.allow/exclude` (the two
 * are exclusive).
 */
export class InstanceFilter {
  /** Every catalog type of `families` (e.g. `['c7i', 'm7i']` or `['g6']`), optionally restricted to `sizes`. */
  public static families(families: string[], options: InstanceFamiliesOptions = {}): InstanceFilter {
    return new InstanceFilter(InstanceFilterKind.FAMILIES, families, options.sizes);
  }

  /** Exactly these instance types, e.g. `['g6.xlarge', 'g6.2xlarge']`. */
  public static types(types: string[]): InstanceFilter {
    return new InstanceFilter(InstanceFilterKind.TYPES, types);
  }

  /** Every supported CPU type except these (the service chooses among the rest). */
  public static exclude(types: string[]): InstanceFilter {
    return new InstanceFilter(InstanceFilterKind.EXCLUDE, types);
  }

  private constructor(
    /** How the filter selects. */
    public readonly kind: InstanceFilterKind,
    /** Families or instance types, by kind. */
    public readonly values: readonly string[],
    /** Sizes (families filter only). */
    public readonly sizes?: readonly string[],
  ) {}

  /**
   * The catalog types this filter admits on `architecture`; throws a `ValidationError` naming `path` when
   * a listed family, size or type is unknown, has another architecture, or nothing is admitted.
   */
  public resolve(architecture: Ec2Architecture, path: string): ResolvedInstanceFilter {
    const v = new Validator(path);
    if (this.values.length === 0) {
      v.fail('INSTANCE_FILTER_EMPTY', `instanceFilter.${this.kind}`, [], 'at least one entry');
    }
    const known = ec2Instances();
    if (this.kind === InstanceFilterKind.FAMILIES) {
      const families = new Set(known.map((i) => i.family));
      for (const f of this.values) {
        if (!families.has(f)) {
          v.fail('UNKNOWN_INSTANCE_TYPE', 'instanceFilter.families', f, 'a family in the catalog (see ec2Instances())',
            'register other types with registerEc2Instances()');
        }
      }
      const admitted = known.filter((i) => this.values.includes(i.family) &&
        (this.sizes === undefined || this.sizes.includes(i.size)));
      this.checkArchitecture(v, admitted, architecture, 'instanceFilter.families');
      if (admitted.length === 0) {
        v.fail('INSTANCE_FILTER_EMPTY', 'instanceFilter.sizes', this.sizes, 'sizes that exist in the listed families');
      }
      return { admitted, allow: admitted.map((i) => i.instanceType) };
    }
    const specs = this.values.map((t): Ec2InstanceSpec => {
      const spec = findEc2Instance(t);
      if (!spec) {
        v.fail('UNKNOWN_INSTANCE_TYPE', `instanceFilter.${this.kind}`, t, 'an instance type in the catalog (see ec2Instances())',
          'register other types with registerEc2Instances()');
      }
      return spec!;
    });
    if (this.kind === InstanceFilterKind.TYPES) {
      this.checkArchitecture(v, specs, architecture, 'instanceFilter.types');
      return { admitted: specs, allow: [...this.values] };
    }
    const admitted = EC2_CPU_INSTANCES.filter((i) => i.architecture === architecture && !this.values.includes(i.instanceType));
    if (admitted.length === 0) {
      v.fail('INSTANCE_FILTER_EMPTY', 'instanceFilter.exclude', this.values.length, `fewer exclusions: nothing of ${architecture} is left`);
    }
    return { admitted, exclude: [...this.values] };
  }

  private checkArchitecture(v: Validator, specs: Ec2InstanceSpec[], architecture: Ec2Architecture, property: string): void {
    const wrong = specs.find((i) => i.architecture !== architecture);
    if (wrong) {
      v.fail('ARCHITECTURE_MISMATCH', property, wrong.instanceType, `${architecture} instance types (one architecture per provider)`,
        wrong.gpuCount > 0 ? 'GPU functions on Lambda Managed Instances run on x86_64 only' : undefined);
    }
  }
}

/** What an {@link InstanceFilter} resolves to. */
export interface ResolvedInstanceFilter {
  /** Catalog types the provider may launch. */
  readonly admitted: readonly Ec2InstanceSpec[];
  /** Types for `InstanceTypeFilter.allow`, when the filter allows. */
  readonly allow?: string[];
  /** Types for `InstanceTypeFilter.exclude`, when the filter excludes. */
  readonly exclude?: string[];
}
