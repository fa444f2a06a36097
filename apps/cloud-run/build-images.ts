/**
 * `npm run images:build -- --project P --region R [--model gemma3:270m] [--tag T] [--dry-run]`
 *
 * Builds the two images of the Cloud Run sample with Cloud Build (no local Docker needed) and writes
 * their URLs to apps/cloud-run/images.json, which `cdktf synth` of the app reads. Terraform has no
 * resource that builds a local folder, so this step is explicit. Prints every command before running
 * it; `--dry-run` prints the commands and the file it would write, and runs and writes nothing.
 *
 * Needs: the `cloud-run-base` stack deployed (APIs + the Artifact Registry repository) and `gcloud`
 * authenticated (`gcloud auth login`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AGENT_SERVICE_NAME, backendServiceName, DEFAULT_IMAGES_FILE, IMAGE_REPOSITORY_ID, ImagesFile } from './inputs';

/** Repository root: commands run from here, so context paths are relative to it. */
export const REPO_ROOT = path.join(__dirname, '..', '..');

/** Options of one run. */
export interface BuildImagesOptions {
  /** Project id. */
  readonly project: string;
  /** Region of the repository (and of the Cloud Build run). */
  readonly region: string;
  /** Ollama tag baked into the backend image. */
  readonly model: string;
  /** Image tag. */
  readonly tag: string;
  /** Print only. */
  readonly dryRun: boolean;
  /** Where to write the image URLs. */
  readonly output: string;
}

/** One `gcloud builds submit`. */
export interface BuildCommand {
  /** Image it pushes. */
  readonly image: string;
  /** Dockerfile, relative to the repository root. */
  readonly dockerfile: string;
  /** `gcloud` arguments. */
  readonly args: string[];
}

/** Thrown for bad command-line input. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\nusage: npm run images:build -- --project P --region R [--model gemma3:270m] [--tag T] ` +
      '[--output FILE] [--dry-run]');
    this.name = 'UsageError';
  }
}

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const MODEL = /^[a-z0-9][a-z0-9._-]*:[a-z0-9._-]+$/;

/** Parses `argv` (without node and script). */
export function parseArgs(argv: string[], now: Date = new Date()): BuildImagesOptions {
  const values: Record<string, string> = {};
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dry-run') { dryRun = true; continue; }
    const m = /^--(project|region|model|tag|output)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${m[1]} needs a value`);
    values[m[1]] = value;
  }
  if (!values.project) throw new UsageError('--project is required');
  if (!values.region) throw new UsageError('--region is required');
  const opts: BuildImagesOptions = {
    project: values.project,
    region: values.region,
    model: values.model ?? 'gemma3:270m',
    tag: values.tag ?? now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-').toLowerCase(),
    dryRun,
    output: values.output ? path.resolve(values.output) : DEFAULT_IMAGES_FILE,
  };
  if (!PROJECT_ID.test(opts.project)) throw new UsageError(`--project ${opts.project}: not a project id`);
  if (!REGION.test(opts.region)) throw new UsageError(`--region ${opts.region}: not a region such as europe-west1`);
  if (!MODEL.test(opts.model)) throw new UsageError(`--model ${opts.model}: not an Ollama tag such as gemma3:270m`);
  if (!TAG.test(opts.tag)) throw new UsageError(`--tag ${opts.tag}: not a Docker tag`);
  return opts;
}

/** The two builds: the Ollama backend (model baked in) and the agent. */
export function buildCommands(opts: BuildImagesOptions): BuildCommand[] {
  const prefix = `${opts.region}-docker.pkg.dev/${opts.project}/${IMAGE_REPOSITORY_ID}`;
  const builds = [
    { name: backendServiceName(opts.model), context: 'apps/gemma-agent/ollama-backend', dockerfile: 'Dockerfile' },
    // The agent builds from the repository root: its Dockerfile needs package.json and the library.
    { name: AGENT_SERVICE_NAME, context: '.', dockerfile: 'apps/gemma-agent/agent/Dockerfile' },
  ];
  return builds.map((b) => {
    const image = `${prefix}/${b.name}:${opts.tag}`;
    return {
      image,
      dockerfile: path.posix.join(b.context, b.dockerfile),
      args: ['builds', 'submit', b.context, `--project=${opts.project}`, `--region=${opts.region}`,
        '--config=apps/cloud-run/cloudbuild.yaml',
        `--substitutions=_IMAGE=${image},_DOCKERFILE=${b.dockerfile},_MODEL=${opts.model}`],
    };
  });
}

/** The images file for `opts`. */
export function imagesFile(opts: BuildImagesOptions, commands: BuildCommand[]): ImagesFile {
  return {
    project: opts.project, region: opts.region, model: opts.model,
    backendImage: commands[0].image, agentImage: commands[1].image,
  };
}

/** Runs one command; returns its exit status. */
export type Runner = (command: string, args: string[]) => number;

const spawnRunner: Runner = (command, args) =>
  spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' }).status ?? 1;

/** A command line as a shell would need it. */
export function shellLine(command: string, args: string[]): string {
  return [command, ...args].map((a) => (/^[A-Za-z0-9_./:=,@-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * Runs the builds (or prints them with `dryRun`) and writes the images file. Returns the exit code.
 * `run`, `log` and `exists` are injectable so tests never start gcloud.
 */
export function main(argv: string[], run: Runner = spawnRunner, log: (line: string) => void = console.log,
  exists: (file: string) => boolean = fs.existsSync): number {
  let opts: BuildImagesOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) { log(e.message); return 2; }
    throw e;
  }
  const commands = buildCommands(opts);
  for (const c of commands) {
    if (!exists(path.join(REPO_ROOT, c.dockerfile))) {
      const msg = `${c.dockerfile} does not exist (it comes with apps/gemma-agent)`;
      if (!opts.dryRun) { log(`error: ${msg}`); return 1; }
      log(`note: ${msg}`);
    }
  }
  for (const c of commands) {
    log(`$ ${shellLine('gcloud', c.args)}`);
    if (opts.dryRun) continue;
    const status = run('gcloud', c.args);
    if (status !== 0) { log(`error: gcloud exited with ${status}; ${opts.output} left unchanged`); return status; }
  }
  const file = JSON.stringify(imagesFile(opts, commands), null, 2) + '\n';
  if (opts.dryRun) {
    log(`would write ${opts.output}:\n${file}`);
  } else {
    fs.writeFileSync(opts.output, file);
    log(`wrote ${opts.output}; now run: npx cdktf deploy cloud-run-base cloud-run`);
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
