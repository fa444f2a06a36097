import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { Construct } from 'constructs';
import { Validator } from '../core';
import { ITerraformDependable } from '../tf';

/** The APIs a Cloud Run GPU agent system needs: Cloud Run, Artifact Registry, Cloud Build, IAM. */
export const CLOUD_RUN_SYSTEM_APIS: readonly string[] = [
  'run.googleapis.com',
  'artifactregistry.googleapis.com',
  'cloudbuild.googleapis.com',
  'iam.googleapis.com',
];

/** Props of {@link ProjectServices}. */
export interface ProjectServicesProps {
  /** Project id. @default - the provider's project */
  readonly project?: string;
  /** Also enable Cloud SQL Admin (`sqladmin.googleapis.com`), for a Cloud SQL session store. @default false */
  readonly cloudSql?: boolean;
  /** More APIs to enable, e.g. `secretmanager.googleapis.com`. @default - none */
  readonly additionalServices?: string[];
  /**
   * Disable the APIs on `cdktf destroy`. Off by default: other workloads of the project may use them,
   * and disabling an API can delete their resources. @default false
   */
  readonly disableOnDestroy?: boolean;
}

/**
 * Enables the Google APIs the Cloud Run GPU system needs (`google_project_service`, one per API):
 * {@link CLOUD_RUN_SYSTEM_APIS}, plus `sqladmin.googleapis.com` with `cloudSql: true`. Make the
 * services depend on {@link dependables} so Terraform enables the APIs first.
 */
export class ProjectServices extends Construct {
  /** Every API this construct enables, in order. */
  public readonly services: readonly string[];
  /** The `google_project_service` resources, for `dependsOn`. */
  public readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: ProjectServicesProps = {}) {
    super(scope, id);
    const v = new Validator(this.node.path);
    const services = [...CLOUD_RUN_SYSTEM_APIS];
    if (props.cloudSql) services.push('sqladmin.googleapis.com');
    for (const s of props.additionalServices ?? []) {
      v.matches('INVALID_NAME', 'additionalServices', s, /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.googleapis\.com$/,
        'a Google API service name such as secretmanager.googleapis.com');
      if (!services.includes(s)) services.push(s);
    }
    this.services = services;
    this.dependables = services.map((service) => new ProjectService(this, service.split('.')[0], {
      project: props.project,
      service,
      disableOnDestroy: props.disableOnDestroy ?? false,
    }));
  }
}
