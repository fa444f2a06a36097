/**
 * `npm run load-test -- --url https://AGENT --users 3 --spawn-rate 1 --duration 50s`
 *
 * Options: `--url` (required), `--users` (default 3), `--spawn-rate` (users/s, default 1), `--duration`
 * (default 50s), `--app` (default production_agent), `--out` (default load-test-results), `--wait-min` /
 * `--wait-max` (seconds between tasks, default 1 / 3), `--timeout` (per request, default 120 s).
 * Prints live progress every 2 s and a final table; writes `<out>/report.json` and `<out>/chart.svg`.
 * Exits 1 when any request failed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runLoadTest } from './runner';
import { formatProgress, formatTable, LoadTestReport, parseDuration, renderSvg, Sample, summarizeAll, timeSeries } from './stats';

/** Parsed command line. */
export interface CliOptions {
  /** Target. */
  readonly url: string;
  /** Virtual users. */
  readonly users: number;
  /** Users per second. */
  readonly spawnRate: number;
  /** Seconds. */
  readonly durationSeconds: number;
  /** ADK app name. */
  readonly appName: string;
  /** Output folder. */
  readonly out: string;
  /** Wait bounds, seconds. */
  readonly waitMinSeconds: number;
  /** Wait bounds, seconds. */
  readonly waitMaxSeconds: number;
  /** Per-request timeout, seconds. */
  readonly requestTimeoutSeconds: number;
}

/** Parses `--name value` / `--name=value` arguments. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`Unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    if (eq > 0) raw[a.slice(2, eq)] = a.slice(eq + 1);
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`Missing value for ${a}`);
      raw[a.slice(2)] = v;
      i++;
    }
  }
  const known = ['url', 'users', 'spawn-rate', 'duration', 'app', 'out', 'wait-min', 'wait-max', 'timeout'];
  for (const k of Object.keys(raw)) if (!known.includes(k)) throw new Error(`Unknown option --${k} (known: ${known.map((x) => `--${x}`).join(' ')})`);
  if (!raw.url) throw new Error('--url is required, e.g. --url http://localhost:8080');
  new URL(raw.url);
  const num = (k: string, d: number, min: number) => {
    const v = raw[k] === undefined ? d : Number(raw[k]);
    if (!Number.isFinite(v) || v < min) throw new Error(`--${k} must be a number >= ${min}; got ${raw[k]}`);
    return v;
  };
  const o: CliOptions = {
    url: raw.url,
    users: Math.floor(num('users', 3, 1)),
    spawnRate: num('spawn-rate', 1, 0.01),
    durationSeconds: parseDuration(raw.duration ?? '50s'),
    appName: raw.app ?? 'production_agent',
    out: raw.out ?? 'load-test-results',
    waitMinSeconds: num('wait-min', 1, 0),
    waitMaxSeconds: num('wait-max', 3, 0),
    requestTimeoutSeconds: num('timeout', 120, 0.1),
  };
  if (o.waitMaxSeconds < o.waitMinSeconds) throw new Error('--wait-max must be >= --wait-min');
  return o;
}

/** Runs the load test, prints progress and the table, writes the report and chart; returns the report. */
export async function main(argv: readonly string[], log: (line: string) => void = (l) => console.log(l)): Promise<LoadTestReport> {
  const o = parseArgs(argv);
  log(`Load test: ${o.users} user(s) at ${o.spawnRate}/s for ${o.durationSeconds}s against ${o.url} (app ${o.appName})`);
  const samples: Sample[] = [];
  const startedAt = new Date();
  let users = 0;
  const progress = setInterval(() => log(formatProgress((Date.now() - startedAt.getTime()) / 1000, users, samples)), 2000);
  const spawn = setInterval(() => (users = Math.min(o.users, users + 1)), 1000 / o.spawnRate);
  let result;
  try {
    result = await runLoadTest({ ...o, onSample: (s) => samples.push(s) });
  } finally {
    clearInterval(progress);
    clearInterval(spawn);
  }
  const endpoints = summarizeAll(result.samples, result.elapsedSeconds);
  const series = timeSeries(result.samples, Math.ceil(result.elapsedSeconds));
  const report: LoadTestReport = {
    config: { url: o.url, users: o.users, spawnRate: o.spawnRate, durationSeconds: o.durationSeconds, appName: o.appName, waitSeconds: [o.waitMinSeconds, o.waitMaxSeconds] },
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round(result.elapsedSeconds * 10) / 10,
    endpoints,
    series,
  };
  log('');
  log(formatTable(endpoints));
  fs.mkdirSync(o.out, { recursive: true });
  const json = path.join(o.out, 'report.json');
  const svg = path.join(o.out, 'chart.svg');
  fs.writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(svg, renderSvg(series, `Gem agent load test: ${o.users} users, ${o.url}`));
  log(`\nReport: ${json}\nChart:  ${svg}`);
  return report;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (r) => process.exit(r.endpoints[r.endpoints.length - 1].failures > 0 ? 1 : 0),
    (e) => {
      console.error(`load-test: ${(e as Error).message}`);
      process.exit(2);
    },
  );
}
