import { Construct } from 'constructs';
import { anyToTerraform, hashMapper, TerraformMetaArguments, TerraformResource } from 'cdktf';

/** Configuration of {@link TerraformData}. */
export interface TerraformDataConfig extends TerraformMetaArguments {
  /** A value stored in state and reflected in `output` after apply. @default - none */
  readonly input?: Record<string, unknown>;
  /** A value whose change replaces the resource (and re-runs its provisioners). @default - none */
  readonly triggersReplace?: Record<string, unknown>;
}

/**
 * Terraform's built-in `terraform_data` resource (Terraform >= 1.4), rendered exactly as cdktf's
 * `DataResource` renders it, without `DataResource`'s synth-time `terraform version` check: that check
 * shells out to a terraform binary and fails `cdktf synth` on a machine that has none, while synth must
 * work with no terraform installed (deploy needs terraform anyway, and Terraform itself rejects
 * `terraform_data` below 1.4).
 */
export class TerraformData extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = 'terraform_data';

  private readonly input?: Record<string, unknown>;
  private readonly triggersReplace?: Record<string, unknown>;

  constructor(scope: Construct, id: string, config: TerraformDataConfig = {}) {
    super(scope, id, {
      terraformResourceType: TerraformData.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'terraform' },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
    this.input = config.input;
    this.triggersReplace = config.triggersReplace;
  }

  /** The resource id (known after apply). */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      input: hashMapper(anyToTerraform)(this.input),
      triggers_replace: hashMapper(anyToTerraform)(this.triggersReplace),
    };
  }
}
