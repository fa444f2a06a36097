import { sampleAppWanted } from '../../apps/sample-apps';

describe('SAMPLE_APPS selection (both entry points)', () => {
  test.each<[string | undefined, boolean, boolean]>([
    [undefined, true, true],
    ['', true, true],
    ['cloud-run', true, false],
    [' k8s-delivery , cloud-run ', true, true],
    ['gke-multi-cluster', false, false],
  ])('SAMPLE_APPS=%j selects cloud-run: %s, k8s-delivery: %s', (value, cloudRun, delivery) => {
    const env = value === undefined ? {} : { SAMPLE_APPS: value };
    expect(sampleAppWanted('cloud-run', env)).toBe(cloudRun);
    expect(sampleAppWanted('k8s-delivery', env)).toBe(delivery);
  });
});
