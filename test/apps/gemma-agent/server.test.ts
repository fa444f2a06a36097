import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { call, Harness, startAgent } from './support/agent-harness';
import { FakeOllama, fakeAnswer, startFakeOllama } from './support/fake-ollama-server';

const APP = 'production_agent';
const msg = (text: string) => ({ role: 'user', parts: [{ text }] });

/** Parses an SSE body into its `data:` payloads, asserting the framing. */
function sseFrames(text: string): any[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text.split('\n\n').filter(Boolean).map((frame) => {
    expect(frame.startsWith('data: ')).toBe(true);
    return JSON.parse(frame.slice('data: '.length));
  });
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemma-agent-test-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('agent server routes (SQLite store)', () => {
  let fake: FakeOllama;
  let agent: Harness;
  beforeAll(async () => {
    fake = await startFakeOllama();
    agent = await startAgent({ ollamaUrl: fake.url, sessionDbUrl: `sqlite://${tmp}/routes.db`, maxBodyBytes: 64 * 1024, timeoutMs: 300 });
  });
  afterAll(async () => {
    await agent.close();
    await fake.close();
  });

  test('GET /health and /list-apps', async () => {
    const h = await call(agent.url, 'GET', '/health');
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'healthy', app_name: APP, session_store: 'sqlite' });
    expect(await call(agent.url, 'GET', '/list-apps')).toMatchObject({ status: 200, body: [APP] });
  });

  test('session lifecycle: create (both body shapes, with and without id), get, list, duplicate, delete', async () => {
    const a = await call(agent.url, 'POST', `/apps/${APP}/users/u1/sessions/s1`, { visitor: 'Ada' });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ id: 's1', appName: APP, userId: 'u1', state: { visitor: 'Ada' }, events: [] });
    const b = await call(agent.url, 'POST', `/apps/${APP}/users/u1/sessions/s2`, { state: { visitor: 'Bo' } });
    expect(b.body.state).toEqual({ visitor: 'Bo' });
    const c = await call(agent.url, 'POST', `/apps/${APP}/users/u1/sessions`);
    expect(c.status).toBe(200);
    expect(typeof c.body.id).toBe('string');
    const d = await call(agent.url, 'POST', `/apps/${APP}/users/u1/sessions`, { state: {} });
    expect(d.body.id).not.toBe(c.body.id);
    expect(await call(agent.url, 'GET', `/apps/${APP}/users/u1/sessions/s1`)).toMatchObject({ status: 200, body: { id: 's1', state: { visitor: 'Ada' } } });
    const list = await call(agent.url, 'GET', `/apps/${APP}/users/u1/sessions`);
    expect(list.body.map((s: any) => s.id).sort()).toEqual(['s1', 's2', c.body.id, d.body.id].sort());
    const dup = await call(agent.url, 'POST', `/apps/${APP}/users/u1/sessions/s1`, {});
    expect(dup).toMatchObject({ status: 409, body: { code: 'SESSION_EXISTS', error: 'Session already exists: s1' } });
    expect((await call(agent.url, 'DELETE', `/apps/${APP}/users/u1/sessions/s2`)).status).toBe(204);
    expect((await call(agent.url, 'GET', `/apps/${APP}/users/u1/sessions/s2`)).status).toBe(404);
    expect((await call(agent.url, 'DELETE', `/apps/${APP}/users/u1/sessions/s2`)).status).toBe(404);
    expect(await call(agent.url, 'GET', `/apps/other/users/u1/sessions/s1`)).toMatchObject({ status: 404, body: { code: 'APP_NOT_FOUND' } });
    expect((await call(agent.url, 'POST', `/apps/${APP}/users/u1/sessions/s9`, [1, 2])).status).toBe(422);
  });

  test.each([
    ['snake_case', (s: string) => ({ app_name: APP, user_id: 'u2', session_id: s, new_message: msg('Where do penguins live?') })],
    ['camelCase', (s: string) => ({ appName: APP, userId: 'u2', sessionId: s, newMessage: msg('Where do penguins live?') })],
  ])('POST /run with %s bodies returns the events and stores them', async (casing, body) => {
    const sid = `run-${casing}`;
    await call(agent.url, 'POST', `/apps/${APP}/users/u2/sessions/${sid}`, {});
    const r = await call(agent.url, 'POST', '/run', body(sid));
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body)).toBe(true);
    expect(r.body).toHaveLength(1);
    expect(r.body[0]).toMatchObject({ author: 'gem_zoo_guide', content: { role: 'model', parts: [{ text: fakeAnswer('Where do penguins live?') }] } });
    const s = await call(agent.url, 'GET', `/apps/${APP}/users/u2/sessions/${sid}`);
    expect(s.body.events.map((e: any) => e.author)).toEqual(['user', 'gem_zoo_guide']);
    expect(s.body.events[1].id).toBe(r.body[0].id);
    // The system instruction reached the backend.
    const sent = fake.requests[fake.requests.length - 1].body;
    expect(sent.messages[0].role).toBe('system');
    expect(sent.messages[0].content).toMatch(/Gem/);
  });

  test('snake_case inside new_message and state_delta are accepted', async () => {
    await call(agent.url, 'POST', `/apps/${APP}/users/u2/sessions/snake-parts`, {});
    const r = await call(agent.url, 'POST', '/run', {
      app_name: APP, user_id: 'u2', session_id: 'snake-parts', state_delta: { last_topic: 'okapi' },
      new_message: { role: 'user', parts: [{ text: 'Okapi?' }, { inline_data: { mime_type: 'image/png', data: 'AAAA' } }] },
    });
    expect(r.status).toBe(200);
    expect(fake.requests[fake.requests.length - 1].body.messages.at(-1)).toMatchObject({ role: 'user', content: 'Okapi?', images: ['AAAA'] });
    const s = await call(agent.url, 'GET', `/apps/${APP}/users/u2/sessions/snake-parts`);
    expect(s.body.state).toMatchObject({ last_topic: 'okapi' });
  });

  test('POST /run_sse frames every event as "data: <json>\\n\\n" (streaming: partial events first)', async () => {
    await call(agent.url, 'POST', `/apps/${APP}/users/u3/sessions/sse`, {});
    const res = await fetch(`${agent.url}/run_sse`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_name: APP, user_id: 'u3', session_id: 'sse', new_message: msg('Tell me about owls'), streaming: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const frames = sseFrames(await res.text());
    expect(frames.length).toBeGreaterThan(2);
    expect(frames.slice(0, -1).every((f) => f.partial === true)).toBe(true);
    expect(frames.at(-1).partial).toBeUndefined();
    expect(frames.at(-1).content.parts[0].text).toBe(fakeAnswer('Tell me about owls'));
    // Only the final event is stored.
    const s = await call(agent.url, 'GET', `/apps/${APP}/users/u3/sessions/sse`);
    expect(s.body.events).toHaveLength(2);
    // Non-streaming SSE (camelCase): one frame.
    const res2 = await fetch(`${agent.url}/run_sse`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appName: APP, userId: 'u3', sessionId: 'sse', newMessage: msg('And bats?') }),
    });
    const frames2 = sseFrames(await res2.text());
    expect(frames2).toHaveLength(1);
  });

  test('client errors: 400 malformed JSON, 422 missing fields, 404 unknown app/session/route, 405, 413', async () => {
    const bad = await call(agent.url, 'POST', '/run', undefined, '{"app_name": ');
    expect(bad).toMatchObject({ status: 400, body: { code: 'MALFORMED_JSON' } });
    const missing = await call(agent.url, 'POST', '/run', { app_name: APP, userId: 'u' });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatch(/session_id, new_message/);
    expect(missing.body.detail.map((d: any) => d.loc[1])).toEqual(['session_id', 'new_message']);
    expect((await call(agent.url, 'POST', '/run', undefined, '')).status).toBe(422);
    expect((await call(agent.url, 'POST', '/run', [1])).status).toBe(422);
    expect((await call(agent.url, 'POST', '/run', { app_name: APP, user_id: 'u', session_id: 's', new_message: { parts: [] } })).status).toBe(422);
    expect(await call(agent.url, 'POST', '/run', { app_name: 'nope', user_id: 'u', session_id: 's', new_message: msg('x') }))
      .toMatchObject({ status: 404, body: { code: 'APP_NOT_FOUND' } });
    expect(await call(agent.url, 'POST', '/run', { app_name: APP, user_id: 'u', session_id: 'missing', new_message: msg('x') }))
      .toMatchObject({ status: 404, body: { code: 'SESSION_NOT_FOUND', error: 'Session not found: missing' } });
    expect(await call(agent.url, 'POST', '/run_sse', { app_name: APP, user_id: 'u', session_id: 'missing', new_message: msg('x') }))
      .toMatchObject({ status: 404, body: { code: 'SESSION_NOT_FOUND' } });
    expect((await call(agent.url, 'GET', '/nope')).status).toBe(404);
    expect((await call(agent.url, 'GET', '/run')).status).toBe(405);
    const big = 'x'.repeat(70 * 1024);
    const tooBig = await call(agent.url, 'POST', '/run', { app_name: APP, user_id: 'u', session_id: 's', new_message: msg(big) });
    expect(tooBig).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE' } });
    // Chunked (no Content-Length) bodies are limited too.
    const chunked = await fetch(`${agent.url}/run`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, duplex: 'half',
      body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } }),
    } as RequestInit);
    expect(chunked.status).toBe(413);
    // The server is still fine.
    expect((await call(agent.url, 'GET', '/health')).status).toBe(200);
  });

  test('backend faults: 503 with Retry-After, 504 on timeout, 502 on malformed output; the error is stored as an event', async () => {
    await call(agent.url, 'POST', `/apps/${APP}/users/u4/sessions/faults`, {});
    const body = { app_name: APP, user_id: 'u4', session_id: 'faults', new_message: msg('hello') };
    fake.script({ kind: '503' }, { kind: '503' }, { kind: '503' });
    const r503 = await call(agent.url, 'POST', '/run', body);
    expect(r503.status).toBe(503);
    expect(r503.body.code).toBe('OLLAMA_UNAVAILABLE');
    expect(Number(r503.headers.get('retry-after'))).toBeGreaterThan(0);
    fake.script({ kind: 'stall' });
    const r504 = await call(agent.url, 'POST', '/run', body);
    expect(r504).toMatchObject({ status: 504, body: { code: 'OLLAMA_TIMEOUT' } });
    fake.script({ kind: 'malformed' });
    expect(await call(agent.url, 'POST', '/run', body)).toMatchObject({ status: 502, body: { code: 'OLLAMA_BAD_RESPONSE' } });
    fake.script({ kind: '503' }, { kind: '503' }, { kind: '503' });
    const sse = await call(agent.url, 'POST', '/run_sse', body);
    expect(sse.status).toBe(503);
    expect(sse.headers.get('retry-after')).toBeTruthy();
    // A stream that fails after its first frame ends with an error frame.
    fake.script({ kind: 'drop', afterChunks: 2 });
    const mid = await fetch(`${agent.url}/run_sse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, streaming: true }) });
    expect(mid.status).toBe(200);
    const frames = sseFrames(await mid.text());
    expect(frames.at(-1)).toMatchObject({ code: 'OLLAMA_BAD_RESPONSE' });
    const s = await call(agent.url, 'GET', `/apps/${APP}/users/u4/sessions/faults`);
    const codes = s.body.events.filter((e: any) => e.errorCode).map((e: any) => e.errorCode);
    expect(codes).toEqual(['OLLAMA_UNAVAILABLE', 'OLLAMA_TIMEOUT', 'OLLAMA_BAD_RESPONSE', 'OLLAMA_UNAVAILABLE', 'OLLAMA_BAD_RESPONSE']);
    // And the next turn works.
    expect((await call(agent.url, 'POST', '/run', body)).status).toBe(200);
  });
});

describe('concurrency, restart and shutdown', () => {
  test('200 concurrent sessions x 3 turns with injected backend faults lose no session and no event', async () => {
    // Deterministic fault plan: a 503 burst the connector absorbs, 503 exhaustion, drops and malformed lines.
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const fake = await startFakeOllama({
      record: false,
      decide: () => {
        const r = rand();
        if (r < 0.15) return { kind: '503' };
        if (r < 0.2) return { kind: 'drop', afterChunks: 1 };
        if (r < 0.25) return { kind: 'malformed' };
        return { kind: 'ok' };
      },
    });
    const agent = await startAgent({ ollamaUrl: fake.url, sessionDbUrl: `sqlite://${tmp}/load.db`, maxRetries: 1 });
    const SESSIONS = 200;
    const TURNS = 3;
    // Bounded in count (200 x 3) and in time: ~10-25 s on 2 shared cores (SQLite writes are serialised).
    const deadline = Date.now() + 60_000;
    const outcomes: Record<number, number> = {};
    const returned = new Map<string, string[]>(); // session -> event ids the API returned
    const started = Date.now();
    try {
      await Promise.all(Array.from({ length: SESSIONS }, async (_, i) => {
        const sid = `load-${i}`;
        const created = await call(agent.url, 'POST', `/apps/${APP}/users/user-${i % 20}/sessions/${sid}`, { n: i });
        expect(created.status).toBe(200);
        const ids: string[] = [];
        for (let t = 0; t < TURNS && Date.now() < deadline; t++) {
          const streaming = t % 2 === 1;
          const r = await call(agent.url, 'POST', streaming ? '/run' : '/run', {
            app_name: APP, user_id: `user-${i % 20}`, session_id: sid, new_message: msg(`q${t} from ${i}`), streaming,
          });
          outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
          expect([200, 502, 503]).toContain(r.status);
          const events = r.status === 200 ? r.body : r.body.events;
          ids.push(...events.filter((e: any) => !e.partial).map((e: any) => e.id));
        }
        returned.set(sid, ids);
      }));
      expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(SESSIONS * TURNS);
      expect(outcomes[200]).toBeGreaterThan(SESSIONS); // most turns succeed
      expect((outcomes[503] ?? 0) + (outcomes[502] ?? 0)).toBeGreaterThan(0); // and faults did happen
      for (let i = 0; i < SESSIONS; i++) {
        const s = await call(agent.url, 'GET', `/apps/${APP}/users/user-${i % 20}/sessions/load-${i}`);
        expect(s.status).toBe(200);
        const stored = s.body.events;
        // One user event per turn, each followed by its answer or its error event.
        expect(stored.filter((e: any) => e.author === 'user')).toHaveLength(TURNS);
        expect(stored).toHaveLength(TURNS * 2);
        const storedIds = new Set(stored.map((e: any) => e.id));
        for (const id of returned.get(`load-${i}`)!) expect(storedIds.has(id)).toBe(true);
        expect(s.body.state).toMatchObject({ n: i });
        // Each session saw only its own questions.
        expect(stored.filter((e: any) => e.author === 'user').map((e: any) => e.content.parts[0].text)).toEqual([0, 1, 2].map((t) => `q${t} from ${i}`));
      }
      const list = await call(agent.url, 'GET', `/apps/${APP}/users/user-0/sessions`);
      expect(list.body).toHaveLength(SESSIONS / 20);
    } finally {
      await agent.close();
      await fake.close();
    }
    expect(Date.now() - started).toBeLessThan(70_000);
  }, 90_000);

  test('sessions survive a server restart (SQLite)', async () => {
    const fake = await startFakeOllama();
    const db = `sqlite://${tmp}/restart.db`;
    let agent = await startAgent({ ollamaUrl: fake.url, sessionDbUrl: db });
    await call(agent.url, 'POST', `/apps/${APP}/users/u/sessions/keep`, { zoo: 'north' });
    const first = await call(agent.url, 'POST', '/run', { app_name: APP, user_id: 'u', session_id: 'keep', new_message: msg('first') });
    await agent.close();
    agent = await startAgent({ ollamaUrl: fake.url, sessionDbUrl: db });
    try {
      const s = await call(agent.url, 'GET', `/apps/${APP}/users/u/sessions/keep`);
      expect(s.body.state).toEqual({ zoo: 'north' });
      expect(s.body.events.map((e: any) => e.id)).toContain(first.body[0].id);
      await call(agent.url, 'POST', '/run', { app_name: APP, user_id: 'u', session_id: 'keep', new_message: msg('second') });
      // The second turn's model call saw the first turn's history.
      const sent = fake.requests.at(-1)!.body.messages.map((m: any) => m.content);
      expect(sent).toEqual(expect.arrayContaining(['first', fakeAnswer('first'), 'second']));
    } finally {
      await agent.close();
      await fake.close();
    }
  });

  test('a client that disconnects aborts its run (the backend request is cancelled, nothing waits for the timeout)', async () => {
    const fake = await startFakeOllama();
    const agent = await startAgent({ ollamaUrl: fake.url, timeoutMs: 20_000 });
    try {
      await call(agent.url, 'POST', `/apps/${APP}/users/u/sessions/gone`, {});
      fake.script({ kind: 'stall', afterHeaders: true });
      const ac = new AbortController();
      const req = fetch(`${agent.url}/run_sse`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, signal: ac.signal,
        body: JSON.stringify({ app_name: APP, user_id: 'u', session_id: 'gone', new_message: msg('hello?'), streaming: true }),
      }).then((r) => r.text()).catch(() => 'aborted');
      await new Promise((r) => setTimeout(r, 200));
      expect(agent.server.inflightCount).toBe(1);
      ac.abort();
      expect(await req).toBe('aborted');
      const deadline = Date.now() + 2000;
      while (agent.server.inflightCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(agent.server.inflightCount).toBe(0);
      // The session is still usable.
      expect((await call(agent.url, 'POST', '/run', { app_name: APP, user_id: 'u', session_id: 'gone', new_message: msg('again') })).status).toBe(200);
    } finally {
      await agent.close();
      await fake.close();
    }
  });

  test('close() finishes in-flight requests and refuses new ones; one bad request does not affect others', async () => {
    const fake = await startFakeOllama({ chunkDelayMs: 15 });
    const agent = await startAgent({ ollamaUrl: fake.url });
    await call(agent.url, 'POST', `/apps/${APP}/users/u/sessions/slow`, {});
    const inflight = call(agent.url, 'POST', '/run', { app_name: APP, user_id: 'u', session_id: 'slow', new_message: msg('a slow answer please') });
    const bad = call(agent.url, 'POST', '/run', undefined, '{not json');
    await new Promise((r) => setTimeout(r, 30));
    const closing = agent.close(5000);
    const [done, badRes] = await Promise.all([inflight, bad]);
    await closing;
    expect(done.status).toBe(200);
    expect(done.body[0].content.parts[0].text).toBe(fakeAnswer('a slow answer please'));
    expect(badRes.status).toBe(400);
    await expect(fetch(`${agent.url}/health`)).rejects.toThrow();
    await fake.close();
  });
});

describe('ADK web UI', () => {
  test('is served under /dev-ui/ from a folder (the devtools bundle by default), with SPA fallback and no path traversal', async () => {
    const ui = fs.mkdtempSync(path.join(tmp, 'ui-'));
    fs.writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>adk</title>');
    fs.writeFileSync(path.join(ui, 'main.js'), 'console.log(1)');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
    const fake = await startFakeOllama();
    const agent = await startAgent({ ollamaUrl: fake.url, devUiDir: ui });
    try {
      const root = await fetch(`${agent.url}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/dev-ui/');
      const index = await fetch(`${agent.url}/dev-ui/`);
      expect(index.headers.get('content-type')).toMatch(/text\/html/);
      expect(await index.text()).toContain('<title>adk</title>');
      const js = await fetch(`${agent.url}/dev-ui/main.js`);
      expect(js.headers.get('content-type')).toBe('text/javascript');
      expect(await (await fetch(`${agent.url}/dev-ui/some/route`)).text()).toContain('<title>adk</title>');
      const traversal = await fetch(`${agent.url}/dev-ui/..%2F${path.basename(tmp)}%2Fsecret.txt`);
      expect(await traversal.text()).not.toContain('secret');
    } finally {
      await agent.close();
      await fake.close();
    }
    const { findDevUiDir } = await import('../../../apps/gemma-agent/agent/server');
    const found = findDevUiDir();
    expect(found).toBeDefined(); // @google/adk-devtools is a dev dependency here
    expect(fs.existsSync(path.join(found!, 'index.html'))).toBe(true);
  });
});

describe('session store URLs', () => {
  test('PostgreSQL options honour ?host= and ?sslmode=; bad URLs fail clearly', async () => {
    const { postgresOptions, sessionServiceFromUrl, redactUrl } = await import('../../../apps/gemma-agent/agent/session-store');
    expect(postgresOptions('postgresql://u:p@localhost/db?host=/cloudsql/proj:region:inst')).toEqual({
      clientUrl: 'postgresql://u:p@localhost/db?host=/cloudsql/proj:region:inst', host: '/cloudsql/proj:region:inst',
    });
    expect(postgresOptions('postgres://u:p@h/db?sslmode=require').driverOptions).toEqual({ connection: { ssl: { rejectUnauthorized: false } } });
    expect(postgresOptions('postgres://u:p@h/db?sslmode=verify-full').driverOptions).toEqual({ connection: { ssl: { rejectUnauthorized: true } } });
    expect(postgresOptions('postgres://u:p@h/db?sslmode=disable').driverOptions).toBeUndefined();
    expect(() => postgresOptions('postgres://u:p@h/db?sslmode=bogus')).toThrow(/Unsupported sslmode "bogus"/);
    expect(() => sessionServiceFromUrl('mysql://x')).toThrow(/SESSION_DB_URL must start with sqlite:\/\/, postgresql:\/\//);
    expect(redactUrl('postgresql://user:s3cret@db:5432/x')).toBe('postgresql://user:***@db:5432/x');
  });
});
