/**
 * Cloud Run service limits the constructs validate against, with their sources (checked 2026-11).
 * Numbers the platform documents, not guesses: change them here only with a new citation.
 */
export const CLOUD_RUN_LIMITS = {
  /**
   * Maximum concurrent requests per instance: 1-1000.
   * https://cloud.google.com/run/docs/about-concurrency ("you can increase this to a maximum of 1000").
   */
  concurrency: { min: 1, max: 1000 },
  /**
   * Request timeout: default 300 s, up to 3600 s.
   * https://cloud.google.com/run/docs/configuring/request-timeout ("can be extended up to 60 minutes (3600 seconds)").
   */
  timeoutSeconds: { min: 1, max: 3600 },
  /**
   * Instances. The real ceiling is quota-bound (regional CPU, memory and GPU quota divided by the
   * instance size: https://cloud.google.com/run/docs/configuring/max-instances-limits); the library
   * caps both bounds at 1000, as the core ModelServingSpec does.
   */
  instances: { min: 0, max: 1000 },
  /**
   * Startup probe: `initialDelaySeconds` 0-240, `periodSeconds` 1-240 and at least `timeoutSeconds`,
   * `timeoutSeconds` at least 1 (Cloud Run Admin API v2 `Probe`, as provider-google 6.50 documents it:
   * registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/cloud_run_v2_service).
   * `failureThreshold x periodSeconds` may not exceed 240 s, after which Cloud Run shuts the container
   * down (https://cloud.google.com/run/docs/configuring/healthchecks; the default TCP probe is
   * period 240 s x 1 failure). A newer jobs page allows 600 s (1800 s with a GPU) for jobs only; services
   * keep 240 s here until Google documents more.
   */
  startupProbe: {
    initialDelaySeconds: { min: 0, max: 240 },
    periodSeconds: { min: 1, max: 240 },
    timeoutSeconds: { min: 1 },
    windowSeconds: 240,
  },
  /**
   * CPU-only services: whole vCPUs 1, 2, 4, 6 or 8, and the memory each allows (GiB).
   * https://cloud.google.com/run/docs/configuring/services/memory-limits (memory table: 1 vCPU up to
   * 4 GiB, 2 up to 8, 4: 2-16, 6: 4-24, 8: 4-32; maximum 32 GiB; minimum 512 MiB).
   * Fractional vCPUs (below 1) need concurrency 1 and request billing; the library does not offer them.
   */
  cpuMemoryGiB: {
    1: { min: 0.5, max: 4 },
    2: { min: 0.5, max: 8 },
    4: { min: 2, max: 16 },
    6: { min: 4, max: 24 },
    8: { min: 4, max: 32 },
  } as Record<number, { min: number; max: number }>,
  /**
   * Service names: lowercase letters, digits and hyphens, starting with a letter, not ending with a
   * hyphen, fewer than 50 characters. The Admin API v2 (`CreateServiceRequest.service_id`) answers
   * exactly that (quoted in pulumi/pulumi-gcp#3166, 2025); the console says "up to 49".
   */
  serviceName: /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/,
  /**
   * Service account ids: 6-30 characters, lowercase letters, digits and hyphens, starting with a
   * letter and not ending with a hyphen (https://cloud.google.com/iam/docs/service-accounts-create).
   */
  serviceAccountId: /^[a-z]([-a-z0-9]{4,28}[a-z0-9])$/,
} as const;

/**
 * Regions where Cloud Run offers each GPU (`nodeSelector.accelerator` value), as
 * https://cloud.google.com/run/docs/configuring/services/gpu lists them (checked 2026-11; asia-south1 and
 * asia-south2 by invitation only). Lists change: the constructs warn, never fail, outside them.
 */
export const CLOUD_RUN_GPU_REGIONS: Readonly<Record<string, readonly string[]>> = {
  'nvidia-l4': ['asia-southeast1', 'asia-south1', 'europe-west1', 'europe-west4', 'us-central1', 'us-east4'],
  'nvidia-rtx-pro-6000': ['asia-southeast1', 'asia-south2', 'europe-west4', 'us-central1'],
};

/**
 * The fewest whole vCPUs, at least `minCpu`, whose Cloud Run memory range holds `memoryGiB`
 * (e.g. 24 GiB needs 6 vCPU); `minCpu` when the table has no such entry (above 8 vCPU).
 */
export function cloudRunCpuForMemory(memoryGiB: number, minCpu: number): number {
  const found = Object.entries(CLOUD_RUN_LIMITS.cpuMemoryGiB)
    .map(([cpu, range]) => ({ cpu: Number(cpu), ...range }))
    .find((e) => e.cpu >= minCpu && memoryGiB >= e.min && memoryGiB <= e.max);
  return found?.cpu ?? minCpu;
}
