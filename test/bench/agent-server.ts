/**
 * Agent-server benchmark (part of `npm run bench`; alone: `npx ts-node --swc test/bench/agent-server.ts`).
 *
 * Same agent (Gem + OllamaLlm), same in-memory sessions, same backend (the fake Ollama test double on
 * loopback, answering at once) behind three targets:
 * - `direct`: `POST /api/chat` on the test double, with the body the connector sends — the floor;
 * - `ours`: `POST /run` on apps/gemma-agent's server (snake_case bodies);
 * - `adk-devtools`: `POST /run` on `@google/adk-devtools`' `AdkApiServer` (camelCase bodies: it 404s on
 *   snake_case), given the agent object directly — the equivalent of `adk api_server --compile false
 *   --bundle false`, without esbuild.
 * Each target gets the same number of requests at the same concurrency, one fresh session per request
 * (sessions are created before timing starts). Prints throughput and p50/p99 latency, our p50 overhead
 * over `direct` and our throughput relative to adk-devtools (goals: >= 1.0x, <= 5 ms p50 overhead).
 * Not a test: nothing asserts a time.
 *
 * Two tables: concurrency 1 (per-request overhead, 400 requests) and 8 (throughput, 1000 requests).
 * Options: `--requests N`, `--concurrency C` (only that table), `--rounds R` (default 3: ours and
 * adk-devtools alternate; the median round by throughput is printed).
 */
import * as http from 'http';
import * as os from 'os';
import { createGemAgent, GEM_INSTRUCTION } from '../../apps/gemma-agent/agent/agent';
import { AgentServer } from '../../apps/gemma-agent/agent/server';
import { SessionStore } from '../../apps/gemma-agent/agent/session-store';
import { percentile } from '../../apps/gemma-agent/load-test/stats';
import { startFakeOllama } from '../apps/gemma-agent/support/fake-ollama-server';

const APP = 'production_agent';

function arg(name: string, d: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : d;
}

/** Keep-alive JSON POST returning status and latency. */
function post(agent: http.Agent, url: string, body: string): Promise<{ status: number; ms: number }> {
  const u = new URL(url);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Result { readonly name: string; readonly rps: number; readonly p50: number; readonly p99: number; readonly errors: number }

async function measure(name: string, url: string, bodies: string[], concurrency: number): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  // Warm-up: JIT, connections.
  await Promise.all(Array.from({ length: concurrency }, (_, i) => post(agent, url, bodies[bodies.length - 1 - i])));
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const todo = bodies.length - concurrency;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < todo) {
      const r = await post(agent, url, bodies[next++]);
      latencies.push(r.ms);
      if (r.status !== 200) errors++;
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { name, rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

async function createSessions(base: string, n: number, prefix: string): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  for (let i = 0; i < n; i += 16) {
    await Promise.all(Array.from({ length: Math.min(16, n - i) }, (_, j) => post(agent, `${base}/apps/${APP}/users/bench/sessions/${prefix}${i + j}`, '{}')));
  }
  agent.destroy();
}

/** Runs the benchmark and prints its table. */
export async function runAgentServerBench(requests = arg('--requests', 1000), concurrency = arg('--concurrency', 8), rounds = arg('--rounds', 3)): Promise<Result[]> {
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const fake = await startFakeOllama({ record: false });
  const results: Result[] = [];
  try {
    // direct
    const chat = (q: string) => JSON.stringify({ model: 'gemma3:270m', stream: false, messages: [{ role: 'system', content: GEM_INSTRUCTION }, { role: 'user', content: q }] });
    results.push(await measure('direct (test double /api/chat)', `${fake.url}/api/chat`, Array.from({ length: requests }, (_, i) => chat(`q${i}`)), concurrency));

    // ours and adk-devtools, alternating for `rounds` rounds (the machine is shared: the median is kept)
    const ours = new AgentServer({
      agent: createGemAgent({ ollamaApiBase: fake.url, idTokenProvider: null }), appName: APP, sessions: new SessionStore('memory://'), devUiDir: false, logger,
    });
    await ours.listen(0, '127.0.0.1');
    const adk = await import('@google/adk');
    const { AdkApiServer } = await import('@google/adk-devtools');
    const gem = createGemAgent({ ollamaApiBase: fake.url, idTokenProvider: null });
    const loader = {
      listAgents: async () => [APP],
      listApps: async () => [APP],
      getAgentFile: async () => ({ load: async () => gem, dispose: async () => undefined, [Symbol.asyncDispose]: async () => undefined }),
    };
    const port = await freePort();
    const devtools = new AdkApiServer({
      host: '127.0.0.1', port, sessionService: new adk.InMemorySessionService(), agentLoader: loader as never, serveDebugUI: false,
      logLevel: adk.LogLevel.ERROR,
    });
    const origLog = console.log;
    console.log = () => undefined; // its start/stop banners
    await devtools.start();
    console.log = origLog;
    const dtUrl = `http://127.0.0.1:${port}`;
    const oursRuns: Result[] = [];
    const dtRuns: Result[] = [];
    for (let round = 0; round < rounds; round++) {
      await createSessions(ours.url, requests, `ours-${round}-`);
      const snake = Array.from({ length: requests }, (_, i) => JSON.stringify({ app_name: APP, user_id: 'bench', session_id: `ours-${round}-${i}`, new_message: { role: 'user', parts: [{ text: `q${i}` }] } }));
      oursRuns.push(await measure('ours (apps/gemma-agent, snake_case)', `${ours.url}/run`, snake, concurrency));
      await createSessions(dtUrl, requests, `dt-${round}-`);
      const camel = Array.from({ length: requests }, (_, i) => JSON.stringify({ appName: APP, userId: 'bench', sessionId: `dt-${round}-${i}`, newMessage: { role: 'user', parts: [{ text: `q${i}` }] } }));
      dtRuns.push(await measure('adk-devtools AdkApiServer (camelCase)', `${dtUrl}/run`, camel, concurrency));
    }
    const median = (rs: Result[]) => [...rs].sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)];
    results.push(median(oursRuns), median(dtRuns));
    await ours.close(1000);
    console.log = () => undefined;
    await devtools.stop();
    console.log = origLog;
  } finally {
    await fake.close();
  }

  const [direct, ours, dt] = results;
  const rows = [['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'p50 overhead vs direct', 'throughput vs adk-devtools']];
  for (const r of results) {
    rows.push([r.name, r.rps.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), String(r.errors),
      r === direct ? '-' : `${(r.p50 - direct.p50).toFixed(2)} ms`, r === dt ? '1.00x' : r === direct ? '-' : `${(r.rps / dt.rps).toFixed(2)}x`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`\nAgent server benchmark: ${requests} POST /run at concurrency ${concurrency} (median of ${rounds} alternating rounds), in-memory sessions, fake Ollama on loopback (${os.cpus().length} CPUs, Node ${process.version})`);
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
  console.log(concurrency === 1
    ? `Goal: p50 overhead <= 5 ms per request (now ${(ours.p50 - direct.p50).toFixed(2)} ms; at concurrency 1 there is no queueing).`
    : `Goal: ours >= 1.0x adk-devtools throughput (now ${(ours.rps / dt.rps).toFixed(2)}x; above concurrency 1 latency includes queueing on the CPUs).`);
  return results;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Both tables: latency overhead at concurrency 1, throughput at the chosen concurrency (default 8). */
export async function runAgentServerBenches(): Promise<void> {
  if (process.argv.includes('--concurrency')) {
    await runAgentServerBench();
    return;
  }
  await runAgentServerBench(arg('--requests', 400), 1);
  await runAgentServerBench(arg('--requests', 1000), 8);
}

if (require.main === module) {
  runAgentServerBenches().then(() => process.exit(0), (e) => {
    console.error(e);
    process.exit(1);
  });
}
