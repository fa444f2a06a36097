/**
 * The entry point as a real process: configuration from the environment (PORT, OLLAMA_API_BASE,
 * GEMMA_MODEL_NAME, ADK_APP_NAME, SESSION_DB_URL) and graceful shutdown on SIGTERM.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { call } from './support/agent-harness';
import { fakeAnswer, startFakeOllama } from './support/fake-ollama-server';

const ROOT = path.join(__dirname, '..', '..', '..');

test('main: reads the environment, serves, and on SIGTERM finishes the in-flight run before exiting 0', async () => {
  const fake = await startFakeOllama({ chunkDelayMs: 40 });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemma-main-'));
  const modulesOut = path.join(tmp, 'modules.json');
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', './test/bench/record-modules.js', 'apps/gemma-agent/agent/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, TS_NODE_SWC: 'true', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json'), PORT: '0', HOST: '127.0.0.1',
      BENCH_MODULES_OUT: modulesOut, OLLAMA_API_BASE: fake.url, GEMMA_MODEL_NAME: 'gemma3:1b', ADK_APP_NAME: 'zoo_app', SESSION_DB_URL: `sqlite://${tmp}/s.db`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 30_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      url = /listening on (http:\/\/[\d.:]+)/.exec(out)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url).toBeDefined();
    expect(out).toMatch(/app zoo_app \(model gemma3:1b at http:\/\/127\.0\.0\.1:\d+, sessions sqlite:\/\//);
    const health = await call(url!, 'GET', '/health');
    expect(health.body).toMatchObject({ status: 'healthy', app_name: 'zoo_app', model: 'gemma3:1b' });
    await call(url!, 'POST', '/apps/zoo_app/users/u/sessions/s', {});
    const running = call(url!, 'POST', '/run', { app_name: 'zoo_app', user_id: 'u', session_id: 's', new_message: { role: 'user', parts: [{ text: 'slow please' }] } });
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const r = await running;
    expect(r.status).toBe(200);
    expect(r.body[0].content.parts[0].text).toBe(fakeAnswer('slow please'));
    expect(fake.requests.at(-1)!.body.model).toBe('gemma3:1b');
    expect(await exited).toBe(0);
    expect(out).toMatch(/SIGTERM: finishing 1 in-flight request/);
    // Every package the running agent loaded is a runtime dependency in the image's lock file
    // (apps/gemma-agent/package-lock.json), so the container has what it needs.
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'apps', 'gemma-agent', 'package-lock.json'), 'utf8'));
    const runtime = new Set(Object.entries(lock.packages as Record<string, { dev?: boolean }>)
      .filter(([k, v]) => k && !v.dev).map(([k]) => k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length)));
    // ts-node's own packages, and `debug`'s optional try-require of supports-color (present here only).
    const tooling = /^(ts-node|@swc\/|typescript$|source-map-support|@cspotcode\/|@jridgewell\/|@tsconfig\/|acorn|arg$|create-require|diff$|make-error|v8-compile-cache-lib|yn$|buffer-from|source-map$|supports-color$|has-flag$)/;
    const loaded = new Set((JSON.parse(fs.readFileSync(modulesOut, 'utf8')) as string[])
      .map((f) => /.*node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(f)![1].replace(/\\/g, '/')));
    const missing = [...loaded].filter((p) => !tooling.test(p) && !runtime.has(p));
    expect(loaded.has('@mikro-orm/sqlite')).toBe(true);
    expect(missing).toEqual([]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await fake.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
