/** Package entry points (package.json `exports`), in the order the API reference lists them. */
export const ENTRY_POINTS: Record<string, string> = {
  'cdk-gpu-inference': 'lib/index.ts',
  'cdk-gpu-inference/aws': 'lib/aws/index.ts',
  'cdk-gpu-inference/gcp': 'lib/gcp/index.ts',
  'cdk-gpu-inference/k8s': 'lib/k8s/index.ts',
  'cdk-gpu-inference/testing': 'lib/testing/index.ts',
};
