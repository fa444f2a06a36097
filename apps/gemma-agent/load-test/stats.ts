/**
 * Load-test statistics: per-request samples → per-endpoint totals (requests, failures by status,
 * RPS, p50/p95/p99) and a per-second time series, plus the text table, the JSON report and an SVG chart.
 * Pure functions, no I/O: unit-tested on their own.
 */

/** One finished request. */
export interface Sample {
  /** Endpoint label, e.g. `POST /run`. */
  readonly name: string;
  /** Milliseconds since the test started, at completion. */
  readonly at: number;
  /** Latency in milliseconds. */
  readonly ms: number;
  /** HTTP status, or 0 for a network error / client timeout. */
  readonly status: number;
}

/** Totals of one endpoint (or of all, named `Aggregated`). */
export interface EndpointStats {
  /** Endpoint label. */
  readonly name: string;
  /** Requests completed. */
  readonly requests: number;
  /** Requests that failed (status 0 or >= 400). */
  readonly failures: number;
  /** Failures per status (`0` = network error). */
  readonly failuresByStatus: Record<string, number>;
  /** Requests per second over the whole duration. */
  readonly rps: number;
  /** Latency percentiles and mean, in ms. */
  readonly p50: number;
  /** 95th percentile, ms. */
  readonly p95: number;
  /** 99th percentile, ms. */
  readonly p99: number;
  /** Mean, ms. */
  readonly mean: number;
  /** Maximum, ms. */
  readonly max: number;
}

/** One second of the run. */
export interface SeriesPoint {
  /** Second index since start. */
  readonly second: number;
  /** Requests completed in that second. */
  readonly requests: number;
  /** Failures in that second. */
  readonly failures: number;
  /** Median latency of that second's requests (ms; 0 if none). */
  readonly p50: number;
  /** 95th percentile of that second's requests (ms; 0 if none). */
  readonly p95: number;
}

/** The JSON report. */
export interface LoadTestReport {
  /** Target and scenario. */
  readonly config: Record<string, unknown>;
  /** ISO start time. */
  readonly startedAt: string;
  /** Wall-clock duration in seconds. */
  readonly durationSeconds: number;
  /** Per endpoint, then `Aggregated`. */
  readonly endpoints: EndpointStats[];
  /** Per-second series (all endpoints). */
  readonly series: SeriesPoint[];
}

/** Nearest-rank percentile of an ascending array (0 for an empty one). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

const failed = (s: Sample) => s.status === 0 || s.status >= 400;

/** Totals of a set of samples. */
export function summarize(name: string, samples: readonly Sample[], durationSeconds: number): EndpointStats {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const failuresByStatus: Record<string, number> = {};
  for (const s of samples.filter(failed)) failuresByStatus[String(s.status)] = (failuresByStatus[String(s.status)] ?? 0) + 1;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    name,
    requests: samples.length,
    failures: samples.filter(failed).length,
    failuresByStatus,
    rps: durationSeconds > 0 ? round(samples.length / durationSeconds) : 0,
    p50: round(percentile(ms, 50)),
    p95: round(percentile(ms, 95)),
    p99: round(percentile(ms, 99)),
    mean: round(ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : 0),
    max: round(ms.length ? ms[ms.length - 1] : 0),
  };
}

/** Per-endpoint totals (sorted by name) followed by `Aggregated`. */
export function summarizeAll(samples: readonly Sample[], durationSeconds: number): EndpointStats[] {
  const names = [...new Set(samples.map((s) => s.name))].sort();
  return [...names.map((n) => summarize(n, samples.filter((s) => s.name === n), durationSeconds)), summarize('Aggregated', samples, durationSeconds)];
}

/** Per-second series from second 0 to the last completed request (or `seconds`). */
export function timeSeries(samples: readonly Sample[], seconds?: number): SeriesPoint[] {
  const last = seconds ?? Math.max(0, ...samples.map((s) => Math.floor(s.at / 1000) + 1));
  const buckets: Sample[][] = Array.from({ length: last }, () => []);
  for (const s of samples) {
    const b = Math.floor(s.at / 1000);
    if (b >= 0 && b < last) buckets[b].push(s);
  }
  return buckets.map((b, second) => {
    const ms = b.map((s) => s.ms).sort((x, y) => x - y);
    return { second, requests: b.length, failures: b.filter(failed).length, p50: percentile(ms, 50), p95: percentile(ms, 95) };
  });
}

/** The final table, locust-style. */
export function formatTable(stats: readonly EndpointStats[]): string {
  const header = ['Name', '# reqs', '# fails', 'failures by status', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms', 'max ms'];
  const rows = stats.map((s) => [
    s.name, String(s.requests), `${s.failures} (${s.requests ? ((100 * s.failures) / s.requests).toFixed(1) : '0.0'}%)`,
    Object.entries(s.failuresByStatus).map(([k, v]) => `${k === '0' ? 'network' : k}:${v}`).join(' ') || '-',
    s.rps.toFixed(1), String(s.p50), String(s.p95), String(s.p99), String(s.mean), String(s.max),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), sep, ...rows.slice(0, -1).map(line), sep, line(rows[rows.length - 1])].join('\n');
}

/** One line of live progress. */
export function formatProgress(elapsedSeconds: number, users: number, samples: readonly Sample[], windowSeconds = 5): string {
  const since = (elapsedSeconds - windowSeconds) * 1000;
  const recent = samples.filter((s) => s.at >= since);
  const ms = recent.map((s) => s.ms).sort((a, b) => a - b);
  const fails = samples.filter(failed).length;
  return `[${elapsedSeconds.toFixed(0).padStart(4)}s] users=${users} reqs=${samples.length} fails=${fails} ` +
    `rps(${windowSeconds}s)=${(recent.length / windowSeconds).toFixed(1)} p50=${percentile(ms, 50).toFixed(0)}ms p95=${percentile(ms, 95).toFixed(0)}ms`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An SVG chart: latency (p50, p95) over time on top, throughput (req/s, failures/s) below. */
export function renderSvg(series: readonly SeriesPoint[], title: string): string {
  const W = 900;
  const H = 560;
  const left = 70;
  const right = 20;
  const plotW = W - left - right;
  const panels = [
    { top: 60, h: 190, label: 'latency (ms)', lines: [{ key: 'p50' as const, color: '#1a73e8', name: 'p50' }, { key: 'p95' as const, color: '#e8710a', name: 'p95' }] },
    { top: 320, h: 190, label: 'throughput (req/s)', lines: [{ key: 'requests' as const, color: '#188038', name: 'requests/s' }, { key: 'failures' as const, color: '#d93025', name: 'failures/s' }] },
  ];
  const n = Math.max(1, series.length);
  const x = (i: number) => left + (n === 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="28" text-anchor="middle" font-size="16" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const p of panels) {
    const maxY = Math.max(1, ...series.flatMap((s) => p.lines.map((l) => s[l.key])));
    const niceMax = niceCeil(maxY);
    const y = (v: number) => p.top + p.h - (v / niceMax) * p.h;
    out.push(`<text x="${left}" y="${p.top - 10}" font-weight="bold">${esc(p.label)}</text>`);
    for (let t = 0; t <= 4; t++) {
      const v = (niceMax * t) / 4;
      out.push(`<line x1="${left}" x2="${W - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e0e0e0"/>`);
      out.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${formatNum(v)}</text>`);
    }
    out.push(`<line x1="${left}" x2="${left}" y1="${p.top}" y2="${p.top + p.h}" stroke="#555"/>`);
    out.push(`<line x1="${left}" x2="${W - right}" y1="${p.top + p.h}" y2="${p.top + p.h}" stroke="#555"/>`);
    const ticks = Math.min(10, n);
    for (let t = 0; t < ticks; t++) {
      const i = Math.round((t * (n - 1)) / Math.max(1, ticks - 1));
      out.push(`<text x="${x(i).toFixed(1)}" y="${p.top + p.h + 16}" text-anchor="middle">${i}s</text>`);
    }
    p.lines.forEach((l, li) => {
      const pts = series.map((s, i) => `${x(i).toFixed(1)},${y(s[l.key]).toFixed(1)}`).join(' ');
      if (series.length) out.push(`<polyline fill="none" stroke="${l.color}" stroke-width="2" points="${pts}"/>`);
      out.push(`<rect x="${W - right - 200 + li * 100}" y="${p.top - 20}" width="12" height="3" fill="${l.color}"/>`);
      out.push(`<text x="${W - right - 184 + li * 100}" y="${p.top - 15}">${esc(l.name)}</text>`);
    });
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function niceCeil(v: number): number {
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= v) return m * pow;
  return 10 * pow;
}

function formatNum(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** Parses `50s`, `2m`, `1h30m`, `90` (seconds) into seconds. */
export function parseDuration(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    consumed += m[0].length;
    total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 0.001 }[m[2] as 'h' | 'm' | 's' | 'ms'];
  }
  if (consumed !== text.length || consumed === 0) throw new Error(`Invalid duration "${text}" (use e.g. 50s, 2m, 1h30m)`);
  return total;
}
