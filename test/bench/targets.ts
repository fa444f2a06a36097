/**
 * What `npm run bench` measures. Each sample app adds itself here: its entry file, which toolkit
 * synthesizes it, and any environment that selects it.
 */
export interface SynthTarget {
  /** Name printed in the table. */
  readonly name: string;
  /** Entry file, relative to the repository root. */
  readonly entry: string;
  /** Which toolkit the entry uses: the floor loads the same one. */
  readonly toolkit: 'aws-cdk' | 'cdktf';
  /** Extra environment (e.g. `SAMPLE_APPS` to synthesize one app of an entry point). */
  readonly env?: Record<string, string>;
}

/** Every synthesized app: the two entry points that cdk.json and cdktf.json name. */
export const SYNTH_TARGETS: SynthTarget[] = [
  { name: 'apps/aws.ts (all AWS apps)', entry: 'apps/aws.ts', toolkit: 'aws-cdk' },
  { name: 'apps/gcp.ts (all cdktf apps)', entry: 'apps/gcp.ts', toolkit: 'cdktf' },
  { name: 'aws-managed-instances', entry: 'apps/aws.ts', toolkit: 'aws-cdk', env: { SAMPLE_APPS: 'aws-managed-instances' } },
  { name: 'cloud-run (Gemma agent on Cloud Run GPU)', entry: 'apps/gcp.ts', toolkit: 'cdktf', env: { SAMPLE_APPS: 'cloud-run' } },
  { name: 'gke-jetstream-hpa', entry: 'apps/gcp.ts', toolkit: 'cdktf', env: { SAMPLE_APPS: 'gke-jetstream-hpa' } },
  { name: 'gke-multi-cluster', entry: 'apps/gcp.ts', toolkit: 'cdktf', env: { SAMPLE_APPS: 'gke-multi-cluster' } },
  { name: 'k8s-delivery', entry: 'apps/gcp.ts', toolkit: 'cdktf', env: { SAMPLE_APPS: 'k8s-delivery' } },
];
