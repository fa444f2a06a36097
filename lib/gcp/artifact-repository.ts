import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { Construct } from 'constructs';
import { Validator } from '../core';
import { ITerraformDependable } from '../tf';

/** Props of {@link ArtifactRepository}. */
export interface ArtifactRepositoryProps {
  /** Repository id: lowercase letters, digits and hyphens, starting with a letter (up to 63 characters). */
  readonly repositoryId: string;
  /** Region, e.g. `europe-west1` (the same as the services, so pulls stay in region). */
  readonly region: string;
  /** Project id. @default - the provider's project */
  readonly project?: string;
  /** Image versions kept per image, newest first, whatever their age (1-1000). @default 5 */
  readonly keepRecentVersions?: number;
  /** Versions older than this many days are deleted unless kept as recent (1-3650). @default 30 */
  readonly deleteOlderThanDays?: number;
  /** Labels. @default - none */
  readonly labels?: Record<string, string>;
  /** Resources that must exist first (e.g. `ProjectServices.dependables`). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * An Artifact Registry Docker repository for the system's images, with a cleanup policy that keeps
 * the newest `keepRecentVersions` versions of each image and deletes versions older than
 * `deleteOlderThanDays` (Artifact Registry applies KEEP policies before DELETE ones). The policy is
 * live (`cleanupPolicyDryRun: false`).
 */
export class ArtifactRepository extends Construct {
  /** The `google_artifact_registry_repository` (construct id `Resource`). */
  public readonly repository: ArtifactRegistryRepository;
  /** Image path prefix: `<region>-docker.pkg.dev/<project>/<repository>`. */
  public readonly imagePrefix: string;

  constructor(scope: Construct, id: string, props: ArtifactRepositoryProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    v.matches('INVALID_NAME', 'repositoryId', props.repositoryId, /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
      'lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, up to 63 characters');
    const keep = props.keepRecentVersions ?? 5;
    const days = props.deleteOlderThanDays ?? 30;
    v.integerInRange('RETENTION_OUT_OF_RANGE', 'keepRecentVersions', keep, 1, 1000);
    v.integerInRange('RETENTION_OUT_OF_RANGE', 'deleteOlderThanDays', days, 1, 3650);
    this.repository = new ArtifactRegistryRepository(this, 'Resource', {
      repositoryId: props.repositoryId,
      location: props.region,
      project: props.project,
      format: 'DOCKER',
      description: 'cdk-gpu-inference images (built outside Terraform: npm run images:build)',
      labels: props.labels,
      cleanupPolicyDryRun: false,
      cleanupPolicies: [
        { id: 'keep-recent', action: 'KEEP', mostRecentVersions: { keepCount: keep } },
        { id: 'delete-old', action: 'DELETE', condition: { tagState: 'ANY', olderThan: `${days * 86400}s` } },
      ],
      dependsOn: props.dependsOn,
    });
    this.imagePrefix = `${this.repository.location}-docker.pkg.dev/${this.repository.project}/${this.repository.repositoryId}`;
  }
}
