/**
 * `npm run bench`: prints, for each synthesized app, the median whole-process synth time over several
 * runs next to its floor (the same libraries loaded, an empty stack synthesized) and their ratio.
 * Both run as compiled JavaScript (SWC, see compile.ts), as a user's synth runs the published package.
 * A benchmark, not a test: nothing here asserts a time.
 *
 * Then the agent-server benchmark (test/bench/agent-server.ts): /run throughput and latency overhead of
 * apps/gemma-agent's server vs the Ollama test double and vs @google/adk-devtools' api_server.
 *
 * Options: `--runs N` (default 5); `--only synth` or `--only agent` runs one section.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileForBench } from './compile';
import { SYNTH_TARGETS, SynthTarget } from './targets';

const ROOT = path.join(__dirname, '..', '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const JS = compileForBench(path.join(ROOT, 'bench-results', 'js'));
const js = (tsPath: string) => path.join(JS, tsPath.replace(/\.ts$/, '.js'));

function timeOnce(args: string[], env: Record<string, string>): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function bench(target: SynthTarget): { app: number; floor: number } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const modules = path.join(tmp, 'modules.json');
  const env = {
    ...target.env, CDK_OUTDIR: path.join(tmp, 'cdk.out'), CDKTF_OUTDIR: path.join(tmp, 'cdktf.out'),
    CHECKPOINT_DISABLE: '1',
  };
  // Warm-up run also records the modules the app loads.
  timeOnce(['-r', './test/bench/record-modules.js', js(target.entry)], { ...env, BENCH_MODULES_OUT: modules });
  const app: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    app.push(timeOnce([js(target.entry)], env));
    floor.push(timeOnce([js('test/bench/floor.ts'), modules, target.toolkit], env));
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return { app: median(app), floor: median(floor) };
}

const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;

if (ONLY === undefined || ONLY === 'synth') {
  const rows: string[][] = [['app', 'median synth (ms)', 'floor (ms)', 'ratio']];
  for (const target of SYNTH_TARGETS) {
    const { app, floor } = bench(target);
    rows.push([target.name, app.toFixed(0), floor.toFixed(0), `${(app / floor).toFixed(2)}x`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`Synth benchmark: median of ${RUNS} whole-process runs (${os.cpus().length} CPUs, Node ${process.version})`);
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
}

if (ONLY === undefined || ONLY === 'agent') {
  // In its own process: it loads ADK and listens on loopback.
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'test/bench/agent-server.ts'], {
    cwd: ROOT, stdio: 'inherit', env: { ...process.env, TS_NODE_SWC: 'true', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json') },
  });
  if (r.status !== 0) process.exitCode = 1;
}
