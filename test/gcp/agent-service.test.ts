import { Accelerator, Model, ModelServingSpec } from '../../lib';
import { AgentService, AgentServiceProps, OllamaModelService } from '../../lib/gcp';
import { TerraformStack } from '../../lib/tf';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidationError, template, testStack, warnings } from './support';

const TYPE = 'google_cloud_run_v2_service';
const IAM = 'google_cloud_run_v2_service_iam_member';
const PATH = 'Test/Agent';

function backend(stack: TerraformStack): OllamaModelService {
  return new OllamaModelService(stack, 'Backend', {
    spec: new ModelServingSpec({ model: Model.gemma3('270m'), accelerator: Accelerator.nvidiaL4() }),
    serviceName: 'backend', region: 'europe-west1',
  });
}

function synth(props: Partial<AgentServiceProps> = {}) {
  const stack = testStack();
  const model = backend(stack);
  const agent = new AgentService(stack, 'Agent', { serviceName: 'agent', region: 'europe-west1', image: 'agent:1', model, ...props });
  return { stack, agent, model, t: template(stack) };
}

const envOf = (config: any): Record<string, string> =>
  Object.fromEntries(config.template.containers[0].env.map((e: any) => [e.name, e.value]));

describe('AgentService defaults', () => {
  const { stack, t } = synth();
  const agent = t.resource(TYPE, { name: 'agent' }).config;

  test('wired to the backend: its URL and model tag, the region', () => {
    expect(envOf(agent)).toEqual({
      OLLAMA_API_BASE: expect.stringMatching(/^\$\{google_cloud_run_v2_service\.Backend_\w+\.uri\}$/),
      GEMMA_MODEL_NAME: 'gemma3:270m',
      GOOGLE_CLOUD_LOCATION: 'europe-west1',
    });
  });

  test('CPU only: 1 vCPU, 2 GiB, concurrency 10, one instance, 300 s, no GPU', () => {
    expect(agent.template.containers[0].resources).toEqual({ limits: { cpu: '1', memory: '2Gi' } });
    expect(agent.template.node_selector).toBeUndefined();
    expect(agent.template.max_instance_request_concurrency).toBe(10);
    expect(agent.template.scaling).toEqual({ min_instance_count: 0, max_instance_count: 1 });
    expect(agent.template.timeout).toBe('300s');
  });

  test("the agent's service account may invoke the backend; nobody else, and nothing is public", () => {
    t.resourceCountIs(IAM, 1);
    const binding = t.resource(IAM).config;
    expect(binding.role).toBe('roles/run.invoker');
    expect(binding.member).toMatch(/^\$\{google_service_account\.Agent_ServiceAccount_\w+\.member\}$/);
    expect(binding.name).toMatch(/^\$\{google_cloud_run_v2_service\.Backend_\w+\.name\}$/);
    expect(t.findResources(IAM, { member: 'allUsers' })).toEqual([]);
  });

  test('no warnings', () => expect(warnings(stack)).toEqual([]));
  test('snapshot', () => expectSynthSnapshot(stack));
});

describe('AgentService props', () => {
  test('project, app name, session store, sizes', () => {
    const { t } = synth({ project: 'p1', appName: 'production_agent', sessionDbUrl: 'postgresql://db/sessions',
      cpu: 2, memoryGiB: 4, concurrency: 20, maxInstances: 2, timeoutSeconds: 60 });
    const config = t.resource(TYPE, { name: 'agent' }).config;
    expect(envOf(config)).toMatchObject({ GOOGLE_CLOUD_PROJECT: 'p1', ADK_APP_NAME: 'production_agent',
      SESSION_DB_URL: 'postgresql://db/sessions' });
    expect(config.template.containers[0].resources.limits).toEqual({ cpu: '2', memory: '4Gi' });
    expect(config.template.max_instance_request_concurrency).toBe(20);
    expect(config.template.scaling.max_instance_count).toBe(2);
  });

  test('fractional memory renders in MiB', () => {
    const { t } = synth({ memoryGiB: 0.5 });
    expect(t.resource(TYPE, { name: 'agent' }).config.template.containers[0].resources.limits.memory).toBe('512Mi');
  });

  test('publicAccess: true adds exactly one allUsers invoker, on the agent only', () => {
    const { t } = synth({ publicAccess: true });
    const pub = t.findResources(IAM, { member: 'allUsers' });
    expect(pub).toHaveLength(1);
    expect(pub[0].config.name).toMatch(/^\$\{google_cloud_run_v2_service\.Agent_\w+\.name\}$/);
    expect(pub[0].config.role).toBe('roles/run.invoker');
  });

  test('publicAccess: false is the same as unset', () => {
    expect(synth({ publicAccess: false }).t.findResources(IAM, { member: 'allUsers' })).toEqual([]);
  });

  test('model.allowInvokeFrom(agent) is idempotent', () => {
    const { stack, agent, model } = synth();
    model.allowInvokeFrom(agent);
    model.allowInvokeFrom(agent);
    template(stack).resourceCountIs(IAM, 1);
  });

  test('warns when more than one instance keeps sessions in-process', () => {
    expect(warnings(synth({ maxInstances: 2 }).stack)).toEqual([expect.stringContaining('maxInstances=2 without sessionDbUrl')]);
    expect(warnings(synth({ maxInstances: 2, sessionDbUrl: 'postgresql://db/s' }).stack)).toEqual([]);
  });

  test('warns about a password in the session URL', () => {
    expect(warnings(synth({ sessionDbUrl: 'postgresql://u:secret@db/s' }).stack))
      .toEqual([expect.stringContaining('sessionDbUrl holds a password')]);
  });
});

describe('AgentService validation', () => {
  test.each([
    ['3 vCPU', { cpu: 3 }, 'CPU_OUT_OF_RANGE', 'cpu', '3'],
    ['fractional vCPU', { cpu: 0.5 }, 'CPU_OUT_OF_RANGE', 'cpu', '0.5'],
    ['8 GiB on 1 vCPU', { cpu: 1, memoryGiB: 8 }, 'MEMORY_OUT_OF_RANGE', 'memoryGiB', '8'],
    ['1 GiB on 4 vCPU', { cpu: 4, memoryGiB: 1 }, 'MEMORY_OUT_OF_RANGE', 'memoryGiB', '1'],
    ['33 GiB on 8 vCPU', { cpu: 8, memoryGiB: 33 }, 'MEMORY_OUT_OF_RANGE', 'memoryGiB', '33'],
    ['concurrency 0', { concurrency: 0 }, 'CONCURRENCY_OUT_OF_RANGE', 'concurrency', '0'],
    ['a bad service name', { serviceName: '-agent' }, 'INVALID_NAME', 'serviceName', '"-agent"'],
  ] as Array<[string, Partial<AgentServiceProps>, string, string, string]>)('fails: %s', (_, props, code, property, value) => {
    expectValidationError(() => synth(props), code, PATH, property, value);
  });

  test.each([
    ['4 GiB on 1 vCPU', { cpu: 1, memoryGiB: 4 }],
    ['8 GiB on 2 vCPU', { cpu: 2, memoryGiB: 8 }],
    ['2 GiB on 4 vCPU', { cpu: 4, memoryGiB: 2 }],
    ['32 GiB on 8 vCPU', { cpu: 8, memoryGiB: 32 }],
  ] as Array<[string, Partial<AgentServiceProps>]>)('passes: %s', (_, props) => {
    expect(() => synth(props)).not.toThrow();
  });
});
