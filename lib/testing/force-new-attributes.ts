/**
 * Attributes whose change makes Terraform replace the resource ("Changing this forces a new resource"),
 * for the resource types this library emits. Paths are dot-separated through nested blocks.
 *
 * Sources: the Terraform Registry documentation of hashicorp/google 6.50 and hashicorp/kubernetes 2.38
 * (the provider versions behind @cdktf/provider-google 16.12 and @cdktf/provider-kubernetes 12.1), each
 * resource's argument reference, and hashicorp/helm 2.x for `helm_release`. Kubernetes objects are
 * replaced when their identity (name, namespace; kind and apiVersion for `kubernetes_manifest`) changes.
 * A type missing here is still guarded against disappearing addresses; add its force-new attributes
 * when the library starts emitting it.
 */
export const FORCE_NEW_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  // https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/cloud_run_v2_service
  google_cloud_run_v2_service: ['name', 'location', 'project'],
  // .../cloud_run_v2_service_iam#google_cloud_run_v2_service_iam_member
  google_cloud_run_v2_service_iam_member: ['project', 'location', 'name', 'role', 'member', 'condition'],
  google_cloud_run_v2_service_iam_binding: ['project', 'location', 'name', 'role', 'condition'],
  // .../google_service_account
  google_service_account: ['account_id', 'project'],
  google_service_account_iam_member: ['service_account_id', 'role', 'member', 'condition'],
  // .../google_project_service
  google_project_service: ['service', 'project'],
  // .../google_project_iam#google_project_iam_member
  google_project_iam_member: ['project', 'role', 'member', 'condition'],
  // .../artifact_registry_repository
  google_artifact_registry_repository: ['repository_id', 'location', 'format', 'mode', 'project', 'kms_key_name'],
  // .../container_cluster
  google_container_cluster: ['name', 'location', 'project', 'network', 'subnetwork', 'ip_allocation_policy',
    'enable_autopilot', 'private_cluster_config.enable_private_nodes', 'initial_node_count'],
  // .../container_node_pool
  google_container_node_pool: ['name', 'name_prefix', 'cluster', 'location', 'project',
    'node_config.guest_accelerator', 'node_config.spot', 'node_config.preemptible', 'placement_policy'],
  // .../compute_network, .../compute_subnetwork
  google_compute_network: ['name', 'project', 'auto_create_subnetworks'],
  google_compute_subnetwork: ['name', 'region', 'network', 'project', 'purpose', 'ip_cidr_range'],
  // .../gke_hub_membership, .../gke_hub_feature
  google_gke_hub_membership: ['membership_id', 'location', 'project', 'endpoint.gke_cluster.resource_link'],
  google_gke_hub_feature: ['name', 'location', 'project'],
  // .../secret_manager_secret
  google_secret_manager_secret: ['secret_id', 'project', 'replication'],
  // .../sql_database_instance, .../sql_database, .../sql_user
  google_sql_database_instance: ['name', 'region', 'project'],
  google_sql_database: ['name', 'instance', 'project'],
  google_sql_user: ['name', 'instance', 'project'],
  // https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs (metadata.name/namespace)
  kubernetes_namespace_v1: ['metadata.name'],
  kubernetes_deployment_v1: ['metadata.name', 'metadata.namespace'],
  kubernetes_service_v1: ['metadata.name', 'metadata.namespace'],
  kubernetes_service_account_v1: ['metadata.name', 'metadata.namespace'],
  kubernetes_secret_v1: ['metadata.name', 'metadata.namespace'],
  kubernetes_config_map_v1: ['metadata.name', 'metadata.namespace'],
  kubernetes_horizontal_pod_autoscaler_v2: ['metadata.name', 'metadata.namespace'],
  kubernetes_cluster_role_v1: ['metadata.name'],
  kubernetes_cluster_role_binding_v1: ['metadata.name'],
  kubernetes_role_binding_v1: ['metadata.name', 'metadata.namespace'],
  kubernetes_manifest: ['manifest.apiVersion', 'manifest.kind', 'manifest.metadata.name', 'manifest.metadata.namespace'],
  // https://registry.terraform.io/providers/hashicorp/helm/latest/docs/resources/release
  helm_release: ['name', 'namespace'],
};

/** The value at a dot path, descending through nested blocks (lists of blocks are mapped). */
export function valueAtPath(config: unknown, path: string): unknown {
  let current: unknown = config;
  for (const key of path.split('.')) {
    if (Array.isArray(current)) {
      current = current.map((item) => (item as Record<string, unknown> | undefined)?.[key]);
    } else if (current !== null && typeof current === 'object') {
      current = (current as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return current;
}
