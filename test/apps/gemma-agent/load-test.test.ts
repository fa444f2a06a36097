import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, parseArgs } from '../../../apps/gemma-agent/load-test/main';
import {
  formatProgress, formatTable, parseDuration, percentile, renderSvg, Sample, summarize, summarizeAll, timeSeries,
} from '../../../apps/gemma-agent/load-test/stats';
import { startAgent } from './support/agent-harness';
import { startFakeOllama } from './support/fake-ollama-server';

const s = (name: string, at: number, ms: number, status = 200): Sample => ({ name, at, ms, status });

describe('load-test statistics', () => {
  test('nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(xs, 50), percentile(xs, 95), percentile(xs, 99), percentile(xs, 100)]).toEqual([50, 95, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });

  test('per-endpoint totals, failures by status, RPS and the aggregate', () => {
    const samples = [s('POST /run', 100, 10), s('POST /run', 200, 30), s('POST /run', 300, 20, 503), s('GET /health', 400, 1), s('POST /run', 1500, 40, 0)];
    const stats = summarizeAll(samples, 2);
    expect(stats.map((x) => x.name)).toEqual(['GET /health', 'POST /run', 'Aggregated']);
    expect(stats[1]).toMatchObject({ requests: 4, failures: 2, failuresByStatus: { 503: 1, 0: 1 }, rps: 2, p50: 20, p95: 40, p99: 40, mean: 25, max: 40 });
    expect(stats[2]).toMatchObject({ requests: 5, failures: 2, rps: 2.5 });
    expect(summarize('x', [], 0)).toMatchObject({ requests: 0, rps: 0, p50: 0, mean: 0, max: 0 });
  });

  test('per-second series', () => {
    const series = timeSeries([s('a', 100, 10), s('a', 900, 30, 500), s('a', 2500, 5)], 4);
    expect(series).toEqual([
      { second: 0, requests: 2, failures: 1, p50: 10, p95: 30 },
      { second: 1, requests: 0, failures: 0, p50: 0, p95: 0 },
      { second: 2, requests: 1, failures: 0, p50: 5, p95: 5 },
      { second: 3, requests: 0, failures: 0, p50: 0, p95: 0 },
    ]);
    expect(timeSeries([s('a', 1999, 1)])).toHaveLength(2);
  });

  test('table, progress line and SVG chart', () => {
    const stats = summarizeAll([s('POST /run', 100, 10), s('POST /run', 200, 30, 503)], 1);
    const table = formatTable(stats);
    expect(table.split('\n')[0]).toMatch(/^Name\s+# reqs\s+# fails\s+failures by status\s+req\/s\s+p50 ms\s+p95 ms\s+p99 ms/);
    expect(table).toMatch(/POST \/run\s+2\s+1 \(50\.0%\)\s+503:1\s+2\.0\s+10\s+30\s+30/);
    expect(table.split('\n').at(-1)).toMatch(/^Aggregated/);
    expect(formatProgress(10, 3, [s('a', 9000, 12), s('a', 2000, 50, 503)])).toBe('[  10s] users=3 reqs=2 fails=1 rps(5s)=0.2 p50=12ms p95=12ms');
    const svg = renderSvg(timeSeries([s('a', 100, 10), s('a', 1500, 250), s('a', 2500, 40, 503)], 3), 'Gem <test>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Gem &lt;test&gt;');
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain('latency (ms)');
    expect(svg).toContain('throughput (req/s)');
    expect(renderSvg([], 'empty')).toContain('</svg>');
  });

  test('durations and arguments', () => {
    expect([parseDuration('50s'), parseDuration('2m'), parseDuration('1h30m'), parseDuration('90'), parseDuration('500ms')]).toEqual([50, 120, 5400, 90, 0.5]);
    expect(() => parseDuration('fifty')).toThrow(/Invalid duration/);
    expect(() => parseDuration('5x')).toThrow(/Invalid duration/);
    expect(parseArgs(['--url', 'http://x:8080', '--users', '3', '--spawn-rate', '1', '--duration', '50s']))
      .toMatchObject({ url: 'http://x:8080', users: 3, spawnRate: 1, durationSeconds: 50, appName: 'production_agent', waitMinSeconds: 1, waitMaxSeconds: 3 });
    expect(parseArgs(['--url=http://x', '--app=zoo']).appName).toBe('zoo');
    expect(() => parseArgs([])).toThrow(/--url is required/);
    expect(() => parseArgs(['--url', 'http://x', '--users', '0'])).toThrow(/--users must be a number >= 1/);
    expect(() => parseArgs(['--url', 'http://x', '--bogus', '1'])).toThrow(/Unknown option --bogus/);
    expect(() => parseArgs(['--url'])).toThrow(/Missing value/);
    expect(() => parseArgs(['--url', 'http://x', '--wait-min', '3', '--wait-max', '1'])).toThrow(/wait-max/);
  });
});

test('a short run against the real agent server and the fake Ollama writes the table, report and chart', async () => {
  const fake = await startFakeOllama({ record: false });
  const agent = await startAgent({ ollamaUrl: fake.url });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'load-test-'));
  const lines: string[] = [];
  try {
    const report = await main(['--url', agent.url, '--users', '3', '--spawn-rate', '20', '--duration', '3s', '--wait-min', '0.02', '--wait-max', '0.05', '--out', out], (l) => lines.push(l));
    const byName = Object.fromEntries(report.endpoints.map((e) => [e.name, e]));
    expect(byName['POST /apps/{app}/users/{user}/sessions/{session}'].requests).toBe(3);
    const runs = byName['POST /run'].requests;
    const health = byName['GET /health'].requests;
    expect(runs).toBeGreaterThan(20);
    expect(runs / Math.max(1, health)).toBeGreaterThanOrEqual(3); // 4 /run per /health
    expect(runs / Math.max(1, health)).toBeLessThanOrEqual(5);
    expect(byName.Aggregated.failures).toBe(0);
    expect(lines.join('\n')).toMatch(/\[\s+2s\] users=\d reqs=\d+/);
    expect(lines.join('\n')).toMatch(/Aggregated\s+\d+\s+0 \(0\.0%\)/);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(json.endpoints).toEqual(report.endpoints);
    expect(json.series.length).toBeGreaterThanOrEqual(3);
    expect(fs.readFileSync(path.join(out, 'chart.svg'), 'utf8')).toMatch(/<polyline/);
    expect(report.durationSeconds).toBeLessThan(8);
  } finally {
    await agent.close();
    await fake.close();
    fs.rmSync(out, { recursive: true, force: true });
  }
});
