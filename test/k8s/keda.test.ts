import { ClusterMetricsAdapter, InferenceHpa, InferenceServer, KedaScaledObject, MetricsAdapter, KedaTrigger, KedaTriggerAuthentication, ManifestSchemas, manifestsOf, TfTemplate } from '../../lib/k8s';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidation, gkeCluster, stack, vllmSpec } from './fixtures';

const PROM = 'http://prometheus.monitoring:9090';
const queue = () => KedaTrigger.prometheus({ serverAddress: PROM, query: 'sum(vllm:num_requests_waiting{namespace="llm"})', threshold: 5, name: 'queue' });
const target = { name: 'vllm', namespace: 'llm' };

describe('KedaTriggerAuthentication', () => {
  test('secretTargetRef only: parameters come from Kubernetes Secrets', () => {
    const s = stack();
    const auth = new KedaTriggerAuthentication(s, 'Auth', { name: 'kafka-auth', namespace: 'llm', secrets: [{ parameter: 'sasl', secretName: 'kafka', key: 'sasl' }, { parameter: 'password', secretName: 'kafka', key: 'password' }] });
    expect(auth.manifests[0]).toEqual({
      apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'kafka-auth', namespace: 'llm' },
      spec: { secretTargetRef: [{ parameter: 'sasl', name: 'kafka', key: 'sasl' }, { parameter: 'password', name: 'kafka', key: 'password' }] },
    });
    expect(ManifestSchemas.issues(auth.manifests[0])).toEqual([]);
    TfTemplate.fromStack(s).hasResourceProperties('kubernetes_manifest', { manifest: { kind: 'TriggerAuthentication', spec: { secretTargetRef: [{ parameter: 'sasl', name: 'kafka', key: 'sasl' }, { parameter: 'password', name: 'kafka', key: 'password' }] } } });
  });

  test.each([
    [{ secrets: [] }, 'SECRETS_MISSING', 'secrets'],
    [{ name: 'Bad' }, 'NAME_INVALID', 'name = "Bad"'],
    [{ secrets: [{ parameter: '1x', secretName: 's', key: 'k' }] }, 'SECRET_REF_INVALID', 'secrets[0].parameter = "1x"'],
    [{ secrets: [{ parameter: 'p', secretName: 'S!', key: 'k' }] }, 'SECRET_REF_INVALID', 'secrets[0].secretName'],
    [{ secrets: [{ parameter: 'p', secretName: 's', key: 'k/1' }] }, 'SECRET_REF_INVALID', 'secrets[0].key'],
    [{ secrets: [{ parameter: 'p', secretName: 's', key: 'a' }, { parameter: 'p', secretName: 's', key: 'b' }] }, 'SECRET_REF_INVALID', 'each parameter once'],
  ])('validation %#', (props, code, part) => {
    expectValidation(() => new KedaTriggerAuthentication(stack(), 'Auth', { name: 'auth', secrets: [{ parameter: 'p', secretName: 's', key: 'k' }], ...props as any }),
      code, part, 'K8s/Auth');
  });
});

describe('KedaTrigger', () => {
  test('prometheus, kafka, cpu and memory render KEDA\'s metadata (strings)', () => {
    expect(KedaTrigger.prometheus({ serverAddress: PROM, query: 'q', threshold: 2.5, activationThreshold: 1 }).render()).toEqual({
      type: 'prometheus', metadata: { serverAddress: PROM, query: 'q', threshold: '2.5', activationThreshold: '1' },
    });
    expect(KedaTrigger.kafka({ bootstrapServers: ['kafka-0.kafka:9092', 'kafka-1.kafka:9092'], consumerGroup: 'llm-workers', topic: 'inference-requests' }).render()).toEqual({
      type: 'kafka', metadata: { bootstrapServers: 'kafka-0.kafka:9092,kafka-1.kafka:9092', consumerGroup: 'llm-workers', topic: 'inference-requests', lagThreshold: '10' },
    });
    expect(KedaTrigger.cpu(70, { containerName: 'vllm' }).render()).toEqual({ type: 'cpu', metricType: 'Utilization', metadata: { value: '70', containerName: 'vllm' } });
    expect(KedaTrigger.memory(80).render()).toEqual({ type: 'memory', metricType: 'Utilization', metadata: { value: '80' } });
  });

  test('credentials: only through a TriggerAuthentication', () => {
    const s = stack();
    const auth = new KedaTriggerAuthentication(s, 'Auth', { name: 'prom-auth', secrets: [{ parameter: 'bearerToken', secretName: 'prom', key: 'token' }] });
    expect(KedaTrigger.prometheus({ serverAddress: PROM, query: 'q', threshold: 1, authMode: 'bearer', authentication: auth }).render()).toMatchObject({
      metadata: { authModes: 'bearer' }, authenticationRef: { name: 'prom-auth' },
    });
    expectValidation(() => KedaTrigger.prometheus({ serverAddress: 'http://admin:secret@prom:9090', query: 'q', threshold: 1 }),
      'CREDENTIALS_INLINE', 'KedaTrigger.prometheus', '//***@');
    expectValidation(() => KedaTrigger.prometheus({ serverAddress: PROM, query: 'q', threshold: 1, authMode: 'basic', authentication: auth }),
      'TRIGGER_INVALID', 'missing username, password');
    expectValidation(() => KedaTrigger.prometheus({ serverAddress: PROM, query: 'q', threshold: 1, authMode: 'tls' }), 'TRIGGER_INVALID', 'authentication');
  });

  test.each([
    [() => KedaTrigger.prometheus({ serverAddress: 'prom:9090', query: 'q', threshold: 1 }), 'serverAddress = "prom:9090"'],
    [() => KedaTrigger.prometheus({ serverAddress: PROM, query: ' ', threshold: 1 }), 'query'],
    [() => KedaTrigger.prometheus({ serverAddress: PROM, query: 'q', threshold: 0 }), 'threshold = 0'],
    [() => KedaTrigger.prometheus({ serverAddress: PROM, query: 'q', threshold: 1, activationThreshold: -1 }), 'activationThreshold = -1'],
    [() => KedaTrigger.kafka({ bootstrapServers: [], consumerGroup: 'g', topic: 't' }), 'bootstrapServers'],
    [() => KedaTrigger.kafka({ bootstrapServers: ['kafka'], consumerGroup: 'g', topic: 't' }), 'bootstrapServers[0] = "kafka"'],
    [() => KedaTrigger.kafka({ bootstrapServers: ['k:9092'], consumerGroup: 'g g', topic: 't' }), 'consumerGroup'],
    [() => KedaTrigger.kafka({ bootstrapServers: ['k:9092'], consumerGroup: 'g', topic: 't/x' }), 'topic'],
    [() => KedaTrigger.kafka({ bootstrapServers: ['k:9092'], consumerGroup: 'g', topic: 't', lagThreshold: 0 }), 'lagThreshold = 0'],
    [() => KedaTrigger.kafka({ bootstrapServers: ['k:9092'], consumerGroup: 'g', topic: 't', activationLagThreshold: 1.5 }), 'activationLagThreshold = 1.5'],
    [() => KedaTrigger.cpu(0), 'utilizationPercent = 0'],
    [() => KedaTrigger.memory(50, { containerName: 'Bad_Name' }), 'containerName'],
  ])('trigger field validation %#', (fn, part) => {
    expectValidation(fn, 'TRIGGER_INVALID', part, 'allowed');
  });
});

describe('KedaScaledObject', () => {
  test('Prometheus queue size + Kafka lag, scale to zero, fallback, behaviour; TriggerAuthentication applied first', () => {
    const s = stack();
    const server = new InferenceServer(s, 'Server', { spec: vllmSpec(4), namespace: 'llm' });
    const auth = new KedaTriggerAuthentication(s, 'KafkaAuth', { name: 'kafka-auth', namespace: 'llm', secrets: [{ parameter: 'sasl', secretName: 'kafka', key: 'sasl' }] });
    const so = new KedaScaledObject(s, 'Keda', {
      target: server, minReplicas: 0, pollingIntervalSeconds: 15, cooldownSeconds: 600,
      fallback: { failureThreshold: 3, replicas: 2 },
      behavior: { scaleDownStabilizationSeconds: 600, scaleUpPolicies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
      triggers: [queue(), KedaTrigger.kafka({ bootstrapServers: ['kafka:9092'], consumerGroup: 'llm', topic: 'requests', lagThreshold: 20, authentication: auth, name: 'kafka' })],
    });
    expect(so.maxReplicas).toBe(4);
    const m = so.manifests[0] as any;
    expect(m.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gemma-vllm' },
      pollingInterval: 15, cooldownPeriod: 600, minReplicaCount: 0, maxReplicaCount: 4,
      fallback: { failureThreshold: 3, replicas: 2 },
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] }, scaleDown: { stabilizationWindowSeconds: 600 } } } },
    });
    expect(m.spec.triggers[1].authenticationRef).toEqual({ name: 'kafka-auth' });
    for (const x of manifestsOf(s)) expect(ManifestSchemas.issues(x)).toEqual([]);
    const so_ = TfTemplate.fromStack(s).findResources('kubernetes_manifest').find((r) => (r.config.manifest as any).kind === 'ScaledObject')!;
    expect(JSON.stringify(so_.config.depends_on)).toContain('KafkaAuth');
    expectSynthSnapshot(s);
  });

  test('defaults: min 1, max 100 for a non-server target, polling 30 s, cooldown 300 s', () => {
    const so = new KedaScaledObject(stack(), 'Keda', { target, triggers: [queue()] });
    expect((so.manifests[0] as any).spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vllm' }, pollingInterval: 30, cooldownPeriod: 300,
      minReplicaCount: 1, maxReplicaCount: 100, triggers: [queue().render()],
    });
  });

  test.each([
    [{ minReplicas: -1 }, 'REPLICAS_OUT_OF_RANGE', 'minReplicas = -1'],
    [{ minReplicas: 0 }, null, null],
    [{ maxReplicas: 0 }, 'REPLICAS_OUT_OF_RANGE', 'maxReplicas = 0'],
    [{ maxReplicas: 1001 }, 'REPLICAS_OUT_OF_RANGE', 'maxReplicas = 1001'],
    [{ minReplicas: 5, maxReplicas: 2 }, 'MIN_GREATER_THAN_MAX', 'minReplicas <= maxReplicas'],
    [{ idleReplicas: 0, minReplicas: 1 }, null, null],
    [{ idleReplicas: 0, minReplicas: 0 }, 'IDLE_REPLICAS_INVALID', 'less than minReplicas'],
    [{ idleReplicas: 1, minReplicas: 2 }, 'IDLE_REPLICAS_INVALID', 'KEDA supports only idleReplicaCount 0'],
    [{ pollingIntervalSeconds: 0 }, 'POLLING_INTERVAL_OUT_OF_RANGE', 'pollingIntervalSeconds = 0'],
    [{ pollingIntervalSeconds: 3600 }, null, null],
    [{ cooldownSeconds: -1 }, 'COOLDOWN_OUT_OF_RANGE', 'cooldownSeconds = -1'],
    [{ cooldownSeconds: 86_401 }, 'COOLDOWN_OUT_OF_RANGE', 'an integer from 0 to 86400'],
    [{ fallback: { failureThreshold: 0, replicas: 1 } }, 'FALLBACK_INVALID', 'fallback.failureThreshold = 0'],
    [{ fallback: { failureThreshold: 3, replicas: 101 } }, 'FALLBACK_INVALID', 'fallback.replicas = 101'],
    [{ triggers: [] }, 'TRIGGERS_MISSING', 'triggers'],
    [{ triggers: [queue(), queue()] }, 'TRIGGER_INVALID', 'unique trigger names'],
    [{ triggers: [KedaTrigger.cpu(70)], minReplicas: 0 }, 'SCALE_TO_ZERO_NOT_SUPPORTED', 'at least 1 with only cpu/memory triggers'],
    [{ triggers: [KedaTrigger.cpu(70), queue()], minReplicas: 0 }, null, null],
    [{ triggers: [KedaTrigger.memory(70), queue()], fallback: { failureThreshold: 3, replicas: 1 } }, 'FALLBACK_INVALID', 'cpu/memory'],
    [{ behavior: { scaleUpStabilizationSeconds: 3601 } }, 'STABILIZATION_OUT_OF_RANGE', 'behavior.scaleUpStabilizationSeconds = 3601'],
    [{ behavior: { scaleDownPolicies: [{ type: 'Percent', value: 0, periodSeconds: 60 }] } }, 'SCALING_POLICY_INVALID', 'behavior.scaleDownPolicies[0].value = 0'],
  ] as const)('validation %#: %p', (props, code, part) => {
    const make = () => new KedaScaledObject(stack(), 'Keda', { target, triggers: [queue()], ...props as any });
    if (code) expectValidation(make, code, part!, 'K8s/Keda');
    else expect(make).not.toThrow();
  });

  test('a TriggerAuthentication in another namespace is refused', () => {
    const s = stack();
    const auth = new KedaTriggerAuthentication(s, 'Auth', { name: 'a', namespace: 'other', secrets: [{ parameter: 'sasl', secretName: 's', key: 'k' }] });
    expectValidation(() => new KedaScaledObject(s, 'Keda', { target, triggers: [KedaTrigger.kafka({ bootstrapServers: ['k:9092'], consumerGroup: 'g', topic: 't', authentication: auth })] }),
      'TRIGGER_INVALID', 'namespace llm');
  });

  test('a workload an InferenceHpa already scales is refused (KEDA creates its own HPA)', () => {
    const s = stack();
    const server = new InferenceServer(s, 'Server', { spec: vllmSpec(), namespace: 'llm' });
    const adapter = new ClusterMetricsAdapter(s, 'Adapter', { cluster: gkeCluster(), adapter: MetricsAdapter.stackdriver() });
    new InferenceHpa(s, 'Hpa', { target: server, adapter });
    expectValidation(() => new KedaScaledObject(s, 'Keda', { target: server, triggers: [queue()] }), 'AUTOSCALER_CONFLICT', 'llm/gemma-vllm', 'K8s/Hpa');
    expect(() => new KedaScaledObject(s, 'Other', { target: { name: 'other', namespace: 'llm' }, triggers: [queue()] })).not.toThrow();
  });
});
