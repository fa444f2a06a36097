import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  addCloudRunApp, CloudRunAppProps, PLACEHOLDER_IMAGE, PLACEHOLDER_PROJECT, readImagesFile, resolveCloudRunInputs,
} from '../../../apps/cloud-run';
import { ValidationError } from '../../../lib';
import { Testing, TfTemplate } from '../../../lib/tf';
import { expectSynthSnapshot } from '../../support/snapshot';

const NO_FILE = path.join(os.tmpdir(), 'cdk-gpu-inference-no-such-images.json');
/** Props that make the app independent of this machine: no environment, no images file. */
const isolated: CloudRunAppProps = { env: {}, imagesFile: NO_FILE };

function build(props: CloudRunAppProps = {}, context: Record<string, unknown> = {}) {
  const app = Testing.app({ context });
  const stacks = addCloudRunApp(app, { ...isolated, ...props });
  return { app, ...stacks, base: TfTemplate.fromStack(stacks.base), svc: TfTemplate.fromStack(stacks.services) };
}

const envOf = (config: any): Record<string, string> =>
  Object.fromEntries(config.template.containers[0].env.map((e: any) => [e.name, e.value]));

describe('cloud-run app: the reference deployment by default', () => {
  const { svc, base, services, backend: backendConstruct } = build();
  const backend = svc.resource('google_cloud_run_v2_service', { name: 'ollama-gemma3-270m-gpu' }).config;
  const agent = svc.resource('google_cloud_run_v2_service', { name: 'production-adk-agent' }).config;

  test('backend: L4, 8 vCPU, 16 GiB, instance billing, concurrency 4 = OLLAMA_NUM_PARALLEL, max 3, no zonal redundancy, 600 s, label', () => {
    expect(backend.location).toBe('europe-west1');
    expect(backend.template.node_selector).toEqual({ accelerator: 'nvidia-l4' });
    expect(backend.template.containers[0].resources).toEqual({ cpu_idle: false,
      limits: { cpu: '8', memory: '16Gi', 'nvidia.com/gpu': '1' } });
    expect(backend.template.max_instance_request_concurrency).toBe(4);
    expect(envOf(backend).OLLAMA_NUM_PARALLEL).toBe('4');
    expect(backend.template.scaling).toEqual({ min_instance_count: 0, max_instance_count: 3 });
    expect(backend.template.gpu_zonal_redundancy_disabled).toBe(true);
    expect(backend.template.timeout).toBe('600s');
    expect(backend.labels).toEqual({ 'dev-tutorial': 'codelab-agent-gpu' });
    expect(backend.deletion_protection).toBe(false);
  });

  test('agent: 2 vCPU, 4 GiB, max 1, concurrency 10, 300 s, the reference environment', () => {
    expect(agent.template.containers[0].resources).toEqual({ limits: { cpu: '2', memory: '4Gi' } });
    expect(agent.template.scaling.max_instance_count).toBe(1);
    expect(agent.template.max_instance_request_concurrency).toBe(10);
    expect(agent.template.timeout).toBe('300s');
    expect(envOf(agent)).toEqual({
      GOOGLE_CLOUD_PROJECT: '${var.project}', GOOGLE_CLOUD_LOCATION: 'europe-west1', GEMMA_MODEL_NAME: 'gemma3:270m',
      OLLAMA_API_BASE: expect.stringMatching(/^\$\{google_cloud_run_v2_service\.Backend_\w+\.uri\}$/),
    });
  });

  test('deliberate difference: the backend is private, only the agent identity may invoke it; the agent is public', () => {
    const bindings = svc.findResources('google_cloud_run_v2_service_iam_member');
    const onBackend = bindings.filter((b) => /Backend_/.test(b.config.name));
    expect(onBackend).toHaveLength(1);
    expect(onBackend[0].config.member).toMatch(/^\$\{google_service_account\.Agent_ServiceAccount_\w+\.member\}$/);
    const pub = bindings.filter((b) => b.config.member === 'allUsers');
    expect(pub).toHaveLength(1);
    expect(pub[0].config.name).toMatch(/Agent_/);
  });

  test('the agent can be made private too', () => {
    expect(build({ agentPublicAccess: false }).svc.findResources('google_cloud_run_v2_service_iam_member', { member: 'allUsers' }))
      .toEqual([]);
  });

  test('base stack: the APIs and the image repository; the services stack deploys after it', () => {
    expect(base.findResources('google_project_service').map((r) => r.config.service).sort())
      .toEqual(['artifactregistry.googleapis.com', 'cloudbuild.googleapis.com', 'iam.googleapis.com', 'run.googleapis.com']);
    base.hasResourceProperties('google_artifact_registry_repository', { repository_id: 'gemma-agent', format: 'DOCKER' });
    expect(services.dependencies.map((s) => s.node.id)).toEqual(['cloud-run-base']);
    expect(Object.keys(base.outputs())).toEqual(['image_repository']);
    expect(Object.keys(svc.outputs()).sort()).toEqual(['agent_url', 'backend_url']);
    expect(backendConstruct.node.path).toBe('cloud-run/Backend');
  });

  test('without inputs, synth uses placeholders and deploy fails in the variable validation', () => {
    const vars = svc.toJSON().variable!;
    expect(vars.project.default).toBe(PLACEHOLDER_PROJECT);
    expect(vars.backend_image.default).toBe(PLACEHOLDER_IMAGE);
    expect(vars.agent_image.default).toBe(PLACEHOLDER_IMAGE);
    for (const name of ['project', 'backend_image', 'agent_image']) {
      const [rule] = vars[name].validation as Array<{ condition: string; error_message: string }>;
      expect(rule.condition).toBe(`\${var.${name} != "${vars[name].default}"}`);
      expect(rule.error_message).toMatch(name === 'project' ? /GOOGLE_CLOUD_PROJECT/ : /npm run images:build/);
    }
    expect(backend.template.containers[0].image).toBe('${var.backend_image}');
    expect(agent.template.containers[0].image).toBe('${var.agent_image}');
  });
});

describe('cloud-run app snapshots', () => {
  test('both stacks, default inputs', () => {
    const stacks = addCloudRunApp(Testing.app(), isolated);
    expectSynthSnapshot(stacks.base);
    expectSynthSnapshot(stacks.services);
  });
});

describe('cloud-run app inputs', () => {
  test('props, then context, then env, then the images file, then defaults', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-'));
    const file = path.join(dir, 'images.json');
    fs.writeFileSync(file, JSON.stringify({ project: 'file-proj', region: 'europe-west4', model: 'gemma3:1b',
      backendImage: 'b:file', agentImage: 'a:file' }));
    const app = (context = {}) => Testing.app({ context });
    expect(resolveCloudRunInputs(app(), { env: {}, imagesFile: file })).toEqual({ project: 'file-proj',
      region: 'europe-west4', model: 'gemma3:1b', backendImage: 'b:file', agentImage: 'a:file' });
    const env = { GOOGLE_CLOUD_PROJECT: 'env-proj', GOOGLE_CLOUD_REGION: 'us-central1', GEMMA_MODEL: 'gemma3:4b',
      BACKEND_IMAGE: 'b:env', AGENT_IMAGE: 'a:env' };
    expect(resolveCloudRunInputs(app(), { env, imagesFile: file })).toEqual({ project: 'env-proj', region: 'us-central1',
      model: 'gemma3:4b', backendImage: 'b:env', agentImage: 'a:env' });
    expect(resolveCloudRunInputs(app({ project: 'ctx-proj', backendImage: 'b:ctx' }), { env, imagesFile: file }))
      .toMatchObject({ project: 'ctx-proj', backendImage: 'b:ctx', agentImage: 'a:env' });
    expect(resolveCloudRunInputs(app({ project: 'ctx-proj' }), { env, imagesFile: file, project: 'prop-proj' }).project)
      .toBe('prop-proj');
    // The images file only counts for the project, region and model it was built for.
    expect(resolveCloudRunInputs(app(), { env: { GOOGLE_CLOUD_PROJECT: 'other' }, imagesFile: file }))
      .toMatchObject({ project: 'other', backendImage: PLACEHOLDER_IMAGE, agentImage: PLACEHOLDER_IMAGE,
        imagesFileIgnored: expect.stringContaining('holds images for file-proj/europe-west4/gemma3:1b, not other/europe-west4/gemma3:1b') });
    const { services } = addCloudRunApp(app(), { env: { GOOGLE_CLOUD_PROJECT: 'other' }, imagesFile: file });
    expect(services.node.metadata.map((m) => m.data)).toEqual([expect.stringContaining('rerun npm run images:build')]);
    fs.writeFileSync(file, '{"project":"p"}');
    expect(() => readImagesFile(file)).toThrow('"region" is missing; rerun npm run images:build');
  });

  test('model, project and region flow into the stacks', () => {
    const { svc, base } = build({ project: 'my-proj', region: 'europe-west4', model: 'gemma3:4b',
      backendImage: 'b:1', agentImage: 'a:1' });
    svc.hasResourceProperties('google_cloud_run_v2_service', { name: 'ollama-gemma3-4b-gpu', location: 'europe-west4' });
    expect(svc.toJSON().variable!.backend_image.default).toBe('b:1');
    expect(svc.toJSON().variable!.project.default).toBe('my-proj');
    expect(svc.toJSON().provider!.google[0]).toEqual({ project: '${var.project}', region: 'europe-west4' });
    base.hasResourceProperties('google_artifact_registry_repository', { location: 'europe-west4' });
  });

  test('a model outside the catalog fails with a ValidationError', () => {
    expect(() => build({ model: 'mystery:1b' })).toThrow(ValidationError);
  });

  test('a GPU budget below the reference max instances fails synth', () => {
    expect(() => build({ maxGpus: 2 })).toThrow(/GPU_BUDGET_EXCEEDED/);
  });

  test('cdktf context reaches the app through the App', () => {
    const { svc } = build({}, { project: 'ctx-proj' });
    expect(svc.toJSON().variable!.project.default).toBe('ctx-proj');
  });
});
