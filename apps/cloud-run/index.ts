/**
 * The Cloud Run sample app: the full Gemma agent system on Cloud Run GPU.
 *
 * - `cloud-run-base`: the APIs (run, artifactregistry, cloudbuild, iam) and the Artifact Registry
 *   repository the images are pushed to. Deployed first: the images need the repository.
 * - `cloud-run`: the Ollama backend (`ollama-gemma3-270m-gpu`: NVIDIA L4, 8 vCPU, 16 GiB, concurrency 4
 *   = OLLAMA_NUM_PARALLEL, 0-3 instances, no GPU zonal redundancy, 600 s) and the ADK agent
 *   (`production-adk-agent`: 2 vCPU, 4 GiB, concurrency 10, 1 instance, 300 s).
 *
 * Deliberate differences from the reference deployment: the backend is private (no `allUsers`
 * invoker); the agent's own service account holds `roles/run.invoker` on it and calls it with a
 * Google-signed ID token. `deletionProtection` is off so `cdktf destroy` cleans up.
 */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { Construct } from 'constructs';
import { Model, ModelServingSpec, Accelerator } from '../../lib';
import { AgentService, ArtifactRepository, OllamaModelService, ProjectServices } from '../../lib/gcp';
import { Annotations, TerraformOutput, TerraformStack, TerraformVariable } from '../../lib/tf';
import {
  AGENT_SERVICE_NAME, backendServiceName, CloudRunAppInputs, IMAGE_REPOSITORY_ID, PLACEHOLDER_IMAGE, PLACEHOLDER_PROJECT,
  resolveCloudRunInputs,
} from './inputs';

export * from './inputs';

/** Name of this app in `SAMPLE_APPS`. */
export const CLOUD_RUN_APP_NAME = 'cloud-run';

/** Props of {@link addCloudRunApp}. */
export interface CloudRunAppProps extends CloudRunAppInputs {
  /** Let anyone invoke the agent, as the reference deployment does. @default true */
  readonly agentPublicAccess?: boolean;
  /** GPU budget for the backend: synth fails if maxInstances exceeds it. @default 3 */
  readonly maxGpus?: number;
}

/** The stacks {@link addCloudRunApp} adds. */
export interface CloudRunAppStacks {
  /** APIs and the image repository. */
  readonly base: TerraformStack;
  /** The backend and the agent. */
  readonly services: TerraformStack;
  /** The backend. */
  readonly backend: OllamaModelService;
  /** The agent. */
  readonly agent: AgentService;
}

/** Adds the Cloud Run sample's two stacks (`cloud-run-base`, `cloud-run`) to `scope`. */
export function addCloudRunApp(scope: Construct, props: CloudRunAppProps = {}): CloudRunAppStacks {
  const inputs = resolveCloudRunInputs(scope, props);
  const model = Model.fromOllamaTag(inputs.model);

  const base = new TerraformStack(scope, `${CLOUD_RUN_APP_NAME}-base`);
  const baseProject = projectVariable(base, inputs.project);
  new GoogleProvider(base, 'google', { project: baseProject.stringValue, region: inputs.region });
  const apis = new ProjectServices(base, 'Apis', { project: baseProject.stringValue });
  const repository = new ArtifactRepository(base, 'Images', {
    repositoryId: IMAGE_REPOSITORY_ID,
    region: inputs.region,
    project: baseProject.stringValue,
    dependsOn: apis.dependables,
  });
  new TerraformOutput(base, 'image_repository', {
    value: repository.imagePrefix,
    description: 'Push images here: npm run images:build -- --project P --region R',
  });

  const services = new TerraformStack(scope, CLOUD_RUN_APP_NAME);
  services.addDependency(base);
  const project = projectVariable(services, inputs.project).stringValue;
  new GoogleProvider(services, 'google', { project, region: inputs.region });
  const backendImage = imageVariable(services, 'backend_image', inputs.backendImage, 'Ollama backend');
  const agentImage = imageVariable(services, 'agent_image', inputs.agentImage, 'agent');
  if (inputs.imagesFileIgnored) Annotations.of(services).addWarning(inputs.imagesFileIgnored);

  const spec = new ModelServingSpec({
    model,
    accelerator: Accelerator.nvidiaL4(),
    concurrency: 4,
    minReplicas: 0,
    maxReplicas: 3,
  });
  const backend = new OllamaModelService(services, 'Backend', {
    spec,
    serviceName: backendServiceName(inputs.model),
    region: inputs.region,
    project,
    image: backendImage,
    cpu: 8,
    memoryGiB: Math.max(16, OllamaModelService.requiredMemoryGiB(spec)),
    gpuZonalRedundancy: false,
    maxGpus: props.maxGpus ?? 3,
    timeoutSeconds: 600,
    labels: { 'dev-tutorial': 'codelab-agent-gpu' },
    deletionProtection: false,
  });
  const agent = new AgentService(services, 'Agent', {
    serviceName: AGENT_SERVICE_NAME,
    region: inputs.region,
    project,
    image: agentImage,
    model: backend,
    cpu: 2,
    memoryGiB: 4,
    concurrency: 10,
    maxInstances: 1,
    timeoutSeconds: 300,
    publicAccess: props.agentPublicAccess ?? true,
    deletionProtection: false,
  });
  backend.allowInvokeFrom(agent);
  new TerraformOutput(services, 'agent_url', { value: agent.uri, description: 'Open this URL (ADK REST API)' });
  new TerraformOutput(services, 'backend_url', { value: backend.uri, description: 'Private: ID token required' });
  return { base, services, backend, agent };
}

function projectVariable(stack: TerraformStack, value: string): TerraformVariable {
  return new TerraformVariable(stack, 'project', {
    type: 'string',
    default: value,
    description: 'Google Cloud project id (cdktf context "project" or GOOGLE_CLOUD_PROJECT at synth, or TF_VAR_project)',
    validation: [{
      condition: `\${var.project != "${PLACEHOLDER_PROJECT}"}`,
      errorMessage: 'No project set: synthesize with GOOGLE_CLOUD_PROJECT=<project id> (or cdktf.json context ' +
        '"project"), or export TF_VAR_project=<project id>, then deploy again.',
    }],
  });
}

function imageVariable(stack: TerraformStack, name: string, value: string, what: string): string {
  return new TerraformVariable(stack, name, {
    type: 'string',
    default: value,
    description: `${what} image URL (written by npm run images:build to apps/cloud-run/images.json)`,
    validation: [{
      condition: `\${var.${name} != "${PLACEHOLDER_IMAGE}"}`,
      errorMessage: `No ${what} image: run "npm run images:build -- --project <project> --region <region>" ` +
        `(it writes apps/cloud-run/images.json, which synth reads), or export TF_VAR_${name}=<image URL>.`,
    }],
  }).stringValue;
}
