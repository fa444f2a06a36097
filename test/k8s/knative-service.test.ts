import { KnativeAutoscalerClass, KnativeMetric, KnativeService, KnativeServiceProps, ManifestSchemas, TfTemplate } from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidation, l4Pool, stack } from './fixtures';

const BASE: KnativeServiceProps = { name: 'gemma-kn', namespace: 'llm', image: 'vllm/vllm-openai:v0.10.1', port: 8000 };

describe('KnativeService', () => {
  test('scale to zero on concurrency: the annotations Knative reads, validated; GPU pool placement', () => {
    const s = stack();
    const kn = new KnativeService(s, 'Kn', {
      ...BASE, args: ['--model=google/gemma-3-1b-it'], secretEnv: { HUGGING_FACE_HUB_TOKEN: { secretName: 'hf', key: 'hf_api_token' } },
      nodePool: l4Pool(), containerConcurrency: 8,
      scaling: { minScale: 0, maxScale: 2, target: 4, scaleDownDelaySeconds: 300, scaleToZeroPodRetentionSeconds: 600, initialScale: 1 },
    });
    const m = kn.manifests[0] as any;
    expect(m.spec.template.metadata.annotations).toEqual({
      'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev',
      'autoscaling.knative.dev/metric': 'concurrency',
      'autoscaling.knative.dev/min-scale': '0',
      'autoscaling.knative.dev/max-scale': '2',
      'autoscaling.knative.dev/initial-scale': '1',
      'autoscaling.knative.dev/target': '4',
      'autoscaling.knative.dev/scale-down-delay': '300s',
      'autoscaling.knative.dev/scale-to-zero-pod-retention-period': '600s',
    });
    expect(m.spec.template.spec).toMatchObject({
      containerConcurrency: 8, timeoutSeconds: 600, nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
      containers: [{ ports: [{ name: 'http1', containerPort: 8000 }], resources: { limits: { 'nvidia.com/gpu': '1' } } }],
    });
    expect(ManifestSchemas.issues(m)).toEqual([]);
    TfTemplate.fromStack(s).hasResourceProperties('kubernetes_manifest', {
      manifest: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', spec: { template: { metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '0' } } } } },
    });
    expectSynthSnapshot(s);
  });

  test('defaults: KPA, concurrency, min 0, max 1; HPA class defaults to cpu and min 1', () => {
    expect(new KnativeService(stack(), 'Kn', BASE).annotations).toEqual({
      'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev', 'autoscaling.knative.dev/metric': 'concurrency',
      'autoscaling.knative.dev/min-scale': '0', 'autoscaling.knative.dev/max-scale': '1',
    });
    expect(new KnativeService(stack(), 'Kn', { ...BASE, scaling: { autoscalerClass: KnativeAutoscalerClass.HPA, maxScale: 3 } }).annotations).toMatchObject({
      'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev', 'autoscaling.knative.dev/metric': 'cpu', 'autoscaling.knative.dev/min-scale': '1',
    });
  });

  const HPA = { autoscalerClass: KnativeAutoscalerClass.HPA };
  test.each([
    [{ minScale: -1 }, 'REPLICAS_OUT_OF_RANGE', 'scaling.minScale = -1'],
    [{ maxScale: 0 }, 'REPLICAS_OUT_OF_RANGE', 'scaling.maxScale = 0'],
    [{ minScale: 3, maxScale: 2 }, 'MIN_GREATER_THAN_MAX', 'scaling.minScale <= scaling.maxScale'],
    [{ ...HPA, minScale: 0 }, 'SCALE_TO_ZERO_NOT_SUPPORTED', 'at least 1 with the HPA class'],
    [{ ...HPA, scaleToZeroPodRetentionSeconds: 60 }, 'SCALE_TO_ZERO_NOT_SUPPORTED', 'unset with the HPA class'],
    [{ metric: KnativeMetric.CPU }, 'SCALE_METRIC_INVALID', 'one of: concurrency, rps'],
    [{ ...HPA, metric: KnativeMetric.RPS }, 'SCALE_METRIC_INVALID', 'one of: cpu, memory'],
    [{ metric: KnativeMetric.RPS }, null, null],
    [{ autoscalerClass: 'custom' as never }, 'AUTOSCALER_CLASS_INVALID', 'scaling.autoscalerClass = "custom"'],
    [{ target: 0 }, 'SCALING_TARGET_OUT_OF_RANGE', 'scaling.target = 0'],
    [{ target: 0.5 }, null, null],
    [{ scaleDownDelaySeconds: 3601 }, 'SCALE_DOWN_DELAY_OUT_OF_RANGE', 'Knative accepts 0s to 1h'],
    [{ scaleDownDelaySeconds: 3600 }, null, null],
    [{ scaleToZeroPodRetentionSeconds: -1 }, 'RETENTION_PERIOD_OUT_OF_RANGE', 'scaling.scaleToZeroPodRetentionSeconds = -1'],
    [{ initialScale: 5, maxScale: 2 }, 'REPLICAS_OUT_OF_RANGE', 'scaling.initialScale = 5'],
  ] as const)('scaling validation %#: %p', (scaling, code, part) => {
    const make = () => new KnativeService(stack(), 'Kn', { ...BASE, scaling: scaling as any });
    if (code) expectValidation(make, code, part!, 'K8s/Kn');
    else expect(make).not.toThrow();
  });

  test.each([
    [{ name: 'Gemma' }, 'NAME_INVALID', 'name = "Gemma"'],
    [{ image: '' }, 'IMAGE_INVALID', 'image'],
    [{ port: 0 }, 'PORT_OUT_OF_RANGE', 'port = 0'],
    [{ gpus: 2, nodePool: l4Pool() }, 'ACCELERATOR_COUNT_OUT_OF_RANGE', 'gpus = 2'],
    [{ containerConcurrency: 1001 }, 'CONCURRENCY_OUT_OF_RANGE', 'containerConcurrency = 1001'],
    [{ timeoutSeconds: 0 }, 'TIMEOUT_OUT_OF_RANGE', 'timeoutSeconds = 0'],
    [{ memory: '16 GB' }, 'QUANTITY_INVALID', 'memory = "16 GB"'],
    [{ secretEnv: { '1BAD': { secretName: 's', key: 'k' } } }, 'ENV_INVALID', 'secretEnv.1BAD'],
  ] as const)('container validation %#: %p', (props, code, part) => {
    expectValidation(() => new KnativeService(stack(), 'Kn', { ...BASE, ...props as any }), code, part, 'K8s/Kn');
  });

  test('warns when the concurrency target exceeds the hard limit', () => {
    const warn = (kn: KnativeService) => kn.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warn(new KnativeService(stack(), 'Kn', { ...BASE, containerConcurrency: 4, scaling: { target: 8 } }))).toEqual([expect.stringContaining('the smaller of the soft and hard limits')]);
    expect(warn(new KnativeService(stack(), 'Kn', { ...BASE, containerConcurrency: 8, scaling: { target: 8 } }))).toEqual([]);
  });
});
