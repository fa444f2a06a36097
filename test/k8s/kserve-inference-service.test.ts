import { KServeAutoscalerClass, KServeDeploymentMode, KServeInferenceService, KServeInferenceServiceProps, KServeScaleMetric, ManifestSchemas, TfTemplate } from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidation, l4Pool, stack } from './fixtures';

const BASE: KServeInferenceServiceProps = { name: 'gemma', namespace: 'llm', modelFormat: 'huggingface', storageUri: 'hf://google/gemma-3-1b-it' };

describe('KServeInferenceService', () => {
  test('Serverless with a 10 % canary and scale to zero on concurrency (KPA)', () => {
    const s = stack();
    const isvc = new KServeInferenceService(s, 'Isvc', {
      ...BASE, minReplicas: 0, maxReplicas: 2, canaryTrafficPercent: 10, scaleMetric: KServeScaleMetric.CONCURRENCY, scaleTarget: 4,
      nodePool: l4Pool(2), huggingFaceTokenSecret: 'hf-token', args: ['--max-model-len=8192'], timeoutSeconds: 600,
    });
    const m = isvc.manifests[0] as any;
    expect(m.metadata.annotations).toEqual({ 'serving.kserve.io/deploymentMode': 'Serverless', 'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev' });
    expect(m.spec.predictor).toMatchObject({
      minReplicas: 0, maxReplicas: 2, canaryTrafficPercent: 10, scaleMetric: 'concurrency', scaleTarget: 4, timeout: 600,
      nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
      model: {
        modelFormat: { name: 'huggingface' }, storageUri: 'hf://google/gemma-3-1b-it', args: ['--max-model-len=8192'],
        env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'hf_api_token' } } }],
        resources: { requests: { 'cpu': '4', 'memory': '16Gi', 'nvidia.com/gpu': '1' }, limits: { 'memory': '16Gi', 'nvidia.com/gpu': '1' } },
      },
    });
    expect(ManifestSchemas.issues(m)).toEqual([]);
    TfTemplate.fromStack(s).hasResourceProperties('kubernetes_manifest', { manifest: { kind: 'InferenceService', metadata: { name: 'gemma' } } });
    expectSynthSnapshot(s);
  });

  test('RawDeployment: KServe\'s autoscalerClass annotation (hpa, keda)', () => {
    const hpa = new KServeInferenceService(stack(), 'Isvc', { ...BASE, deploymentMode: KServeDeploymentMode.RAW_DEPLOYMENT, scaleMetric: KServeScaleMetric.CPU, scaleTarget: 80 });
    expect((hpa.manifests[0].metadata.annotations)).toEqual({ 'serving.kserve.io/deploymentMode': 'RawDeployment', 'serving.kserve.io/autoscalerClass': 'hpa' });
    const keda = new KServeInferenceService(stack(), 'Isvc', { ...BASE, deploymentMode: KServeDeploymentMode.RAW_DEPLOYMENT, autoscalerClass: KServeAutoscalerClass.KEDA });
    expect(keda.manifests[0].metadata.annotations!['serving.kserve.io/autoscalerClass']).toBe('keda');
    const knativeHpa = new KServeInferenceService(stack(), 'Isvc', { ...BASE, autoscalerClass: KServeAutoscalerClass.HPA, scaleMetric: KServeScaleMetric.CPU });
    expect(knativeHpa.manifests[0].metadata.annotations!['autoscaling.knative.dev/class']).toBe('hpa.autoscaling.knative.dev');
  });

  const RAW = { deploymentMode: KServeDeploymentMode.RAW_DEPLOYMENT };
  test.each([
    [{ canaryTrafficPercent: 0 }, null, null],
    [{ canaryTrafficPercent: 100 }, null, null],
    [{ canaryTrafficPercent: 101 }, 'CANARY_PERCENT_OUT_OF_RANGE', 'canaryTrafficPercent = 101'],
    [{ canaryTrafficPercent: -1 }, 'CANARY_PERCENT_OUT_OF_RANGE', 'an integer from 0 to 100'],
    [{ ...RAW, canaryTrafficPercent: 10 }, 'CANARY_NOT_SUPPORTED', 'unset in RawDeployment mode'],
    [{ minReplicas: 0 }, null, null],
    [{ ...RAW, minReplicas: 0 }, 'SCALE_TO_ZERO_NOT_SUPPORTED', 'at least 1 with the hpa autoscaler'],
    [{ autoscalerClass: KServeAutoscalerClass.HPA, minReplicas: 0 }, 'SCALE_TO_ZERO_NOT_SUPPORTED', 'minReplicas = 0'],
    [{ minReplicas: -1 }, 'REPLICAS_OUT_OF_RANGE', 'minReplicas = -1'],
    [{ maxReplicas: 0 }, 'REPLICAS_OUT_OF_RANGE', 'maxReplicas = 0'],
    [{ minReplicas: 3, maxReplicas: 2 }, 'MIN_GREATER_THAN_MAX', 'minReplicas <= maxReplicas'],
    [{ ...RAW, autoscalerClass: KServeAutoscalerClass.KPA }, 'AUTOSCALER_CLASS_INVALID', 'hpa or keda in RawDeployment mode'],
    [{ autoscalerClass: KServeAutoscalerClass.KEDA }, 'AUTOSCALER_CLASS_INVALID', 'kpa or hpa in Serverless mode'],
    [{ deploymentMode: 'ModelMesh' as never }, 'DEPLOYMENT_MODE_INVALID', 'deploymentMode = "ModelMesh"'],
    [{ ...RAW, scaleMetric: KServeScaleMetric.RPS }, 'SCALE_METRIC_INVALID', 'cpu or memory with the hpa autoscaler'],
    [{ ...RAW, autoscalerClass: KServeAutoscalerClass.KEDA, scaleMetric: KServeScaleMetric.CPU }, 'SCALE_METRIC_INVALID', 'unset with the keda autoscaler'],
    [{ scaleMetric: KServeScaleMetric.CPU, scaleTarget: 150 }, 'SCALING_TARGET_OUT_OF_RANGE', 'an integer from 1 to 100'],
    [{ scaleTarget: 0 }, 'SCALING_TARGET_OUT_OF_RANGE', 'scaleTarget = 0'],
    [{ gpus: 2, nodePool: l4Pool() }, 'ACCELERATOR_COUNT_OUT_OF_RANGE', 'gpus = 2'],
    [{ gpus: 0 }, null, null],
    [{ name: 'Gemma' }, 'NAME_INVALID', 'name = "Gemma"'],
    [{ name: '1gemma' }, 'NAME_INVALID', 'starting with a letter'],
    [{ cpu: 'four' }, 'QUANTITY_INVALID', 'cpu = "four"'],
    [{ timeoutSeconds: 0 }, 'TIMEOUT_OUT_OF_RANGE', 'timeoutSeconds = 0'],
  ] as const)('validation %#: %p', (props, code, part) => {
    const make = () => new KServeInferenceService(stack(), 'Isvc', { ...BASE, ...props as any });
    if (code) expectValidation(make, code, part!, 'K8s/Isvc');
    else expect(make).not.toThrow();
  });
});
