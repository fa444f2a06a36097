/**
 * Docker does not run here: these tests parse both Dockerfiles and check their essentials, and that the
 * agent image's inputs (its package.json, lock and sources) exist and match the root install.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Model } from '../../../lib';

const APP_DIR = path.join(__dirname, '..', '..', '..', 'apps', 'gemma-agent');
const ROOT = path.join(APP_DIR, '..', '..');

interface Instruction { readonly cmd: string; readonly args: string }
interface Stage { readonly from: string; readonly name?: string; readonly instructions: Instruction[] }

/** Minimal Dockerfile parser: comments, line continuations, instructions grouped by stage; global ARGs. */
function parseDockerfile(file: string): { args: Record<string, string>; stages: Stage[] } {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n').filter((l) => !/^\s*#/.test(l));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\w+)\s+([\s\S]*)$/.exec(line);
    if (!m) throw new Error(`unparsable line in ${file}: ${line}`);
    const cmd = m[1].toUpperCase();
    const rest = m[2].trim();
    if (cmd === 'FROM') {
      const [image, as, name] = rest.split(/\s+/);
      stages.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (cmd !== 'ARG') throw new Error(`${cmd} before FROM in ${file}`);
      const [k, v] = rest.split('=');
      args[k] = v ?? '';
    } else {
      stages[stages.length - 1].instructions.push({ cmd, args: rest });
    }
  }
  return { args, stages };
}

function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of stage.instructions.filter((x) => x.cmd === 'ENV')) {
    for (const m of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]] = m[2].replace(/^"|"$/g, '');
  }
  return env;
}

function argsOf(stage: Stage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of stage.instructions.filter((x) => x.cmd === 'ARG')) {
    const [k, v] = i.args.split('=');
    out[k] = v ?? '';
  }
  return out;
}

const only = (stage: Stage, cmd: string) => stage.instructions.filter((i) => i.cmd === cmd);

describe('agent/Dockerfile', () => {
  const { stages } = parseDockerfile(path.join(APP_DIR, 'agent', 'Dockerfile'));
  const final = stages[stages.length - 1];

  test('is a multi-stage build whose runtime stage is a slim Node image (>= 20.19 for require(esm))', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(final.from).toMatch(/^node:(2[2-9]|[3-9]\d)[\w.-]*-slim$/);
    expect(stages[0].from).toMatch(/^node:(2[2-9]|[3-9]\d)/);
    // Same Debian release in both stages: the native sqlite3 binding built in one runs in the other.
    expect(final.from.split('-')[1]).toBe(stages[0].from.split('-')[1]);
  });

  test('runs as a non-root user, on port 8080, with node as PID 1 (exec form) running the compiled entry point', () => {
    const user = only(final, 'USER').map((i) => i.args).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(only(final, 'EXPOSE').map((i) => i.args)).toContain('8080');
    expect(envOf(final).PORT).toBe('8080');
    const cmd = JSON.parse(only(final, 'CMD').pop()!.args);
    expect(cmd).toEqual(['node', 'dist/agent/main.js']);
    expect(fs.existsSync(path.join(APP_DIR, 'agent', 'main.ts'))).toBe(true);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'tsconfig.build.json'), 'utf8'));
    expect(tsconfig.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.', module: 'commonjs' });
  });

  test('sets the environment the deployments rely on and a writable SQLite default', () => {
    const env = envOf(final);
    expect(env).toMatchObject({ NODE_ENV: 'production', GEMMA_MODEL_NAME: 'gemma3:270m', ADK_APP_NAME: 'production_agent' });
    expect(env.SESSION_DB_URL).toMatch(/^sqlite:\/\/\/app\/data\//);
    expect(only(final, 'RUN').some((i) => /mkdir -p \/app\/data && chown node:node \/app\/data/.test(i.args))).toBe(true);
  });

  test('installs exactly the lock (npm ci), compiles, and ships no dev dependencies', () => {
    const build = stages[0];
    const runs = only(build, 'RUN').map((i) => i.args).join('\n');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/tsc -p tsconfig.build.json/);
    expect(runs).toMatch(/npm prune --omit=dev/);
    expect(only(final, 'COPY').every((i) => i.args.startsWith(`--from=${build.name}`) || i.args.includes('--from='))).toBe(true);
  });

  test('every file copied from the build context (apps/gemma-agent) exists', () => {
    for (const stage of stages) {
      for (const copy of only(stage, 'COPY').filter((i) => !i.args.includes('--from='))) {
        const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--'));
        for (const src of parts.slice(0, -1)) {
          const dir = path.join(APP_DIR, path.dirname(src));
          const re = new RegExp(`^${path.basename(src).replace(/\./g, '\\.').replace(/\*/g, '.*')}$`);
          expect(fs.readdirSync(dir).filter((f) => re.test(f)).length).toBeGreaterThan(0);
        }
      }
    }
    const ignore = fs.readFileSync(path.join(APP_DIR, '.dockerignore'), 'utf8');
    expect(ignore).toMatch(/^node_modules$/m);
  });

  test("the agent's package.json pins its runtime dependencies to the versions installed at the root, with a lock", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'package.json'), 'utf8'));
    const lock = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'package-lock.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['@google/adk', 'google-auth-library', '@mikro-orm/sqlite', '@mikro-orm/postgresql']));
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
      expect(`${name}@${version}`).toBe(`${name}@${installed}`);
      expect(`${name}@${lock.packages[`node_modules/${name}`].version}`).toBe(`${name}@${installed}`);
    }
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
    // The @mikro-orm family is pinned together (the registry lacks @mikro-orm/knex for newer 6.6.x).
    for (const name of ['@mikro-orm/core', '@mikro-orm/knex', '@mikro-orm/sqlite', '@mikro-orm/postgresql']) {
      expect(lock.packages[`node_modules/${name}`].version).toBe('6.6.16');
    }
    expect(lock.packages['node_modules/sqlite3']).toBeDefined();
    expect(lock.packages['node_modules/pg']).toBeDefined();
  });
});

describe('ollama-backend/Dockerfile', () => {
  const { args, stages } = parseDockerfile(path.join(APP_DIR, 'ollama-backend', 'Dockerfile'));
  const stage = stages[stages.length - 1];

  test('builds on the official Ollama image', () => {
    expect(stage.from).toMatch(/^ollama\/ollama:/);
    expect(args.OLLAMA_VERSION).toBeDefined();
  });

  test('listens on 0.0.0.0:8080, never unloads the model, logs quietly, keeps weights in the image', () => {
    const env = envOf(stage);
    expect(env.OLLAMA_HOST).toBe('0.0.0.0:8080');
    expect(env.OLLAMA_KEEP_ALIVE).toBe('-1');
    expect(env.OLLAMA_DEBUG).toBe('false');
    expect(env.OLLAMA_MODELS).toBe('/models');
    expect(only(stage, 'EXPOSE').map((i) => i.args)).toContain('8080');
    expect(JSON.parse(only(stage, 'ENTRYPOINT').pop()!.args)).toEqual(['ollama', 'serve']);
  });

  test('bakes the chosen Gemma tag into the image at build time', () => {
    const model = argsOf(stage).MODEL;
    expect(model).toBe(Model.gemma3('270m').ollamaTag);
    const run = only(stage, 'RUN').map((i) => i.args).join('\n');
    expect(run).toMatch(/ollama serve .*&/);
    expect(run).toMatch(/ollama pull "\$\{MODEL\}"/);
    // The pull happens after the build-time server answers, not after a fixed sleep.
    expect(run).toMatch(/ollama list/);
  });
});
