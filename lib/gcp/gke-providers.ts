import { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { Fn } from '../tf';
import type { GkeInferenceCluster } from './gke-inference-cluster';

/** The providers that reach a GKE cluster's API. */
export interface GkeClusterProviders {
  /** The `kubernetes` provider. */
  readonly kubernetes: KubernetesProvider;
  /** The `helm` provider. */
  readonly helm: HelmProvider;
}

/**
 * Configures the `kubernetes` and `helm` providers of `scope`'s stack for `cluster`: its endpoint and CA
 * certificate, and a short-lived access token of the identity running Terraform (`google_client_config`).
 * Put the Kubernetes objects in a stack applied after the cluster's (`kubernetes_manifest` needs the cluster
 * API and CRDs at plan time); a cluster in another stack becomes a cross-stack reference.
 * The scope's stack needs a `google` provider (for `google_client_config`).
 */
export function configureGkeProviders(scope: Construct, cluster: GkeInferenceCluster): GkeClusterProviders {
  const client = new DataGoogleClientConfig(scope, 'GoogleClientConfig');
  const host = `https://${cluster.endpoint}`;
  const clusterCaCertificate = Fn.base64decode(cluster.caCertificate);
  return {
    kubernetes: new KubernetesProvider(scope, 'Kubernetes', { host, clusterCaCertificate, token: client.accessToken }),
    helm: new HelmProvider(scope, 'Helm', { kubernetes: { host, clusterCaCertificate, token: client.accessToken } }),
  };
}
