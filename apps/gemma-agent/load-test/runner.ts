/**
 * The load-test scenario (the same as `locustfile.py`): each virtual user creates its session, then loops:
 * wait 1–3 s, then send a zoo question to `POST /run` 4 times for every `GET /health` call. Users start at
 * `spawnRate` per second up to `users`; the run stops after `durationSeconds` (in-flight requests finish,
 * bounded by the request timeout).
 */
import { randomUUID } from 'crypto';
import { Sample } from './stats';

/** Questions the virtual users ask Gem. */
export const ZOO_QUESTIONS = [
  'How long do elephants live?',
  'What do giraffes eat?',
  'Where do penguins live in the wild?',
  'Are red pandas endangered?',
  'Why do flamingos stand on one leg?',
  'How fast can a cheetah run?',
  'Do lions sleep a lot?',
  'What is the name of your oldest gorilla?',
  'When are the sea lions fed today?',
  'How do octopuses change colour?',
];

/** Options of {@link runLoadTest}. */
export interface LoadTestOptions {
  /** Agent base URL. */
  readonly url: string;
  /** Virtual users. */
  readonly users: number;
  /** Users started per second. */
  readonly spawnRate: number;
  /** Run length in seconds. */
  readonly durationSeconds: number;
  /** ADK app name. @default 'production_agent' */
  readonly appName?: string;
  /** Shortest wait between tasks, seconds. @default 1 */
  readonly waitMinSeconds?: number;
  /** Longest wait between tasks, seconds. @default 3 */
  readonly waitMaxSeconds?: number;
  /** Per-request timeout, seconds. @default 120 */
  readonly requestTimeoutSeconds?: number;
  /** Called with every finished request. */
  readonly onSample?: (s: Sample) => void;
  /** Random source. @default Math.random */
  readonly random?: () => number;
}

/** What a run produced. */
export interface LoadTestResult {
  /** Every request. */
  readonly samples: Sample[];
  /** Wall-clock seconds. */
  readonly elapsedSeconds: number;
  /** Users started. */
  readonly usersStarted: number;
}

/** Runs the scenario. */
export async function runLoadTest(o: LoadTestOptions): Promise<LoadTestResult> {
  const base = o.url.replace(/\/+$/, '');
  const app = o.appName ?? 'production_agent';
  const random = o.random ?? Math.random;
  const waitMin = o.waitMinSeconds ?? 1;
  const waitMax = o.waitMaxSeconds ?? 3;
  const timeoutMs = (o.requestTimeoutSeconds ?? 120) * 1000;
  const samples: Sample[] = [];
  const t0 = Date.now();
  const end = t0 + o.durationSeconds * 1000;
  const stop = new AbortController();
  const stopTimer = setTimeout(() => stop.abort(), Math.max(0, end - Date.now()));

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    stop.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });

  async function request(name: string, method: string, path: string, body?: unknown): Promise<number> {
    const started = Date.now();
    let status = 0;
    try {
      const res = await fetch(base + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 0;
    }
    const s: Sample = { name, at: Date.now() - t0, ms: Date.now() - started, status };
    samples.push(s);
    o.onSample?.(s);
    return status;
  }

  async function user(index: number): Promise<void> {
    const userId = `load-user-${index}`;
    const sessionId = `load-${randomUUID()}`;
    // Create the session; on failure retry after the usual wait until the run ends.
    while ((await request('POST /apps/{app}/users/{user}/sessions/{session}', 'POST', `/apps/${app}/users/${userId}/sessions/${sessionId}`, { state: { visitor: index } })) !== 200) {
      await sleep((waitMin + random() * (waitMax - waitMin)) * 1000);
      if (Date.now() >= end) return;
    }
    let task = 0;
    while (Date.now() < end) {
      await sleep((waitMin + random() * (waitMax - waitMin)) * 1000);
      if (Date.now() >= end) break;
      if (task % 5 === 4) {
        await request('GET /health', 'GET', '/health');
      } else {
        const question = ZOO_QUESTIONS[Math.floor(random() * ZOO_QUESTIONS.length)];
        await request('POST /run', 'POST', '/run', {
          app_name: app, user_id: userId, session_id: sessionId, new_message: { role: 'user', parts: [{ text: question }] },
        });
      }
      task++;
    }
  }

  const users: Promise<void>[] = [];
  const interval = 1000 / Math.max(0.001, o.spawnRate);
  for (let i = 0; i < o.users && Date.now() < end; i++) {
    users.push(user(i));
    if (i < o.users - 1) await sleep(interval);
  }
  await Promise.all(users);
  clearTimeout(stopTimer);
  return { samples, elapsedSeconds: (Date.now() - t0) / 1000, usersStarted: users.length };
}
