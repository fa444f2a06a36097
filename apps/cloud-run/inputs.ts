/**
 * Inputs of the Cloud Run sample app: project, region, model and the two image URLs. Each comes from
 * (first wins) the props, cdktf context (the `context` of cdktf.json, or `CDKTF_CONTEXT_JSON`), the
 * environment, the images file written by `npm run images:build`, then a default. Project and images
 * have no real default: synth uses a placeholder, and a Terraform variable validation fails
 * `cdktf deploy` at plan time, before anything changes, naming the fix.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Construct } from 'constructs';

/** Where `npm run images:build` writes the image URLs, and where the app reads them. */
export const DEFAULT_IMAGES_FILE = path.join(__dirname, 'images.json');

/** Artifact Registry repository the images go to (created by the `cloud-run-base` stack). */
export const IMAGE_REPOSITORY_ID = 'gemma-agent';

/** The agent's Cloud Run service name (and its image name). */
export const AGENT_SERVICE_NAME = 'production-adk-agent';

/** Backend service name (and image name) for an Ollama tag: `gemma3:270m` gives `ollama-gemma3-270m-gpu`. */
export function backendServiceName(tag: string): string {
  return `ollama-${tag.replace(/[^a-z0-9]+/g, '-')}-gpu`;
}

/** Placeholder project id used for synth only; a deploy with it fails validation. */
export const PLACEHOLDER_PROJECT = 'placeholder-set-project';
/** Placeholder image URL used for synth only; a deploy with it fails validation. */
export const PLACEHOLDER_IMAGE = 'placeholder.invalid/run-npm-run-images-build:unset';

/** The file `npm run images:build` writes. */
export interface ImagesFile {
  /** Project the images were pushed to. */
  readonly project: string;
  /** Region of the Artifact Registry repository. */
  readonly region: string;
  /** Ollama tag baked into the backend image. */
  readonly model: string;
  /** Ollama backend image URL. */
  readonly backendImage: string;
  /** Agent image URL. */
  readonly agentImage: string;
}

/** Inputs of {@link addCloudRunApp}; every one is optional. */
export interface CloudRunAppInputs {
  /** Project id. Context `project`, env `GOOGLE_CLOUD_PROJECT`, images file. @default - placeholder: deploy fails until set */
  readonly project?: string;
  /** Region. Context `region`, env `GOOGLE_CLOUD_REGION`, images file. @default 'europe-west1' */
  readonly region?: string;
  /** Ollama model tag. Context `model`, env `GEMMA_MODEL`, images file. @default 'gemma3:270m' */
  readonly model?: string;
  /** Backend image URL. Context `backendImage`, env `BACKEND_IMAGE`, images file. @default - placeholder: deploy fails until set */
  readonly backendImage?: string;
  /** Agent image URL. Context `agentImage`, env `AGENT_IMAGE`, images file. @default - placeholder: deploy fails until set */
  readonly agentImage?: string;
  /** Images file to read. @default DEFAULT_IMAGES_FILE (apps/cloud-run/images.json) */
  readonly imagesFile?: string;
  /** Environment to read. @default process.env */
  readonly env?: Record<string, string | undefined>;
}

/** Resolved inputs. */
export interface ResolvedCloudRunInputs {
  /** Project id (or the placeholder). */
  readonly project: string;
  /** Region. */
  readonly region: string;
  /** Ollama model tag. */
  readonly model: string;
  /** Backend image URL (or the placeholder). */
  readonly backendImage: string;
  /** Agent image URL (or the placeholder). */
  readonly agentImage: string;
  /** Why the images file was not used although it exists (built for another project, region or model). */
  readonly imagesFileIgnored?: string;
}

/** Reads the images file, or undefined when it is absent. A malformed file is an error, not ignored. */
export function readImagesFile(file: string): ImagesFile | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ImagesFile>;
  for (const key of ['project', 'region', 'model', 'backendImage', 'agentImage'] as const) {
    if (typeof parsed[key] !== 'string' || parsed[key] === '') {
      throw new Error(`${file}: "${key}" is missing; rerun npm run images:build`);
    }
  }
  return parsed as ImagesFile;
}

/** Resolves the app's inputs: props, then context, then env, then the images file, then defaults. */
export function resolveCloudRunInputs(scope: Construct, props: CloudRunAppInputs = {}): ResolvedCloudRunInputs {
  const env = props.env ?? process.env;
  const ctx = (key: string): string | undefined => {
    const value = scope.node.tryGetContext(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const nonEmpty = (value: string | undefined) => (value === '' ? undefined : value);
  const project = props.project ?? ctx('project') ?? nonEmpty(env.GOOGLE_CLOUD_PROJECT);
  const region = props.region ?? ctx('region') ?? nonEmpty(env.GOOGLE_CLOUD_REGION);
  const model = props.model ?? ctx('model') ?? nonEmpty(env.GEMMA_MODEL);
  const images = readImagesFile(props.imagesFile ?? DEFAULT_IMAGES_FILE);
  // The images file only applies to the project, region and model it was built for.
  const resolvedProject = project ?? images?.project ?? PLACEHOLDER_PROJECT;
  const resolvedRegion = region ?? images?.region ?? 'europe-west1';
  const resolvedModel = model ?? images?.model ?? 'gemma3:270m';
  const matches = images !== undefined && images.project === resolvedProject && images.region === resolvedRegion &&
    images.model === resolvedModel;
  const backendImage = props.backendImage ?? ctx('backendImage') ?? nonEmpty(env.BACKEND_IMAGE) ??
    (matches ? images!.backendImage : PLACEHOLDER_IMAGE);
  const agentImage = props.agentImage ?? ctx('agentImage') ?? nonEmpty(env.AGENT_IMAGE) ??
    (matches ? images!.agentImage : PLACEHOLDER_IMAGE);
  const fileWanted = backendImage === PLACEHOLDER_IMAGE || agentImage === PLACEHOLDER_IMAGE;
  return {
    project: resolvedProject,
    region: resolvedRegion,
    model: resolvedModel,
    backendImage,
    agentImage,
    imagesFileIgnored: images !== undefined && !matches && fileWanted
      ? `${props.imagesFile ?? DEFAULT_IMAGES_FILE} holds images for ${images.project}/${images.region}/${images.model}, ` +
        `not ${resolvedProject}/${resolvedRegion}/${resolvedModel}: rerun npm run images:build`
      : undefined,
  };
}
