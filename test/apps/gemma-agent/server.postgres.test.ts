/**
 * The agent server on a real PostgreSQL (loopback). `.ci/run` installs and starts Debian's postgresql and
 * exports TEST_POSTGRES_URL. Locally, without TEST_POSTGRES_URL, these tests are skipped with a message;
 * in CI (CI=true) a missing URL fails the suite.
 */
import { randomUUID } from 'crypto';
import { call, startAgent } from './support/agent-harness';
import { FakeOllama, fakeAnswer, startFakeOllama } from './support/fake-ollama-server';

const PG = process.env.TEST_POSTGRES_URL;
if (!PG && process.env.CI === 'true') {
  throw new Error('TEST_POSTGRES_URL is not set: CI must provide a PostgreSQL (see .ci/run)');
}
if (!PG) {
  // eslint-disable-next-line no-console
  console.warn('SKIPPED: PostgreSQL session-store tests need TEST_POSTGRES_URL=postgresql://user:pass@127.0.0.1:5432/db (see .ci/run)');
}
const describePg = PG ? describe : describe.skip;

const APP = 'production_agent';
const msg = (text: string) => ({ role: 'user', parts: [{ text }] });
const run = randomUUID().slice(0, 8); // keeps ids unique across runs on a persistent database

describePg('agent server on PostgreSQL', () => {
  let fake: FakeOllama;
  beforeAll(async () => {
    fake = await startFakeOllama({ record: false });
  });
  afterAll(async () => {
    await fake.close();
  });

  test('sessions survive a server restart', async () => {
    let agent = await startAgent({ ollamaUrl: fake.url, sessionDbUrl: PG! });
    const sid = `restart-${run}`;
    try {
      expect((await call(agent.url, 'GET', '/health')).body.session_store).toBe('postgresql');
      expect((await call(agent.url, 'POST', `/apps/${APP}/users/u/sessions/${sid}`, { state: { zoo: 'south' } })).status).toBe(200);
      expect((await call(agent.url, 'POST', `/apps/${APP}/users/u/sessions/${sid}`, {})).status).toBe(409);
      const first = await call(agent.url, 'POST', '/run', { app_name: APP, user_id: 'u', session_id: sid, new_message: msg('first') });
      expect(first.status).toBe(200);
      await agent.close();
      agent = await startAgent({ ollamaUrl: fake.url, sessionDbUrl: PG! });
      const s = await call(agent.url, 'GET', `/apps/${APP}/users/u/sessions/${sid}`);
      expect(s.body.state).toEqual({ zoo: 'south' });
      expect(s.body.events.map((e: any) => e.id)).toEqual([expect.any(String), first.body[0].id]);
      const second = await call(agent.url, 'POST', '/run', { appName: APP, userId: 'u', sessionId: sid, newMessage: msg('second') });
      expect(second.body[0].content.parts[0].text).toBe(fakeAnswer('second'));
      expect((await call(agent.url, 'DELETE', `/apps/${APP}/users/u/sessions/${sid}`)).status).toBe(204);
    } finally {
      await agent.close();
    }
  });

  test('libpq-style ?host= overrides the URL host (Cloud SQL Unix sockets use it)', async () => {
    const u = new URL(PG!);
    const host = u.hostname;
    u.hostname = 'ignored.invalid';
    u.searchParams.set('host', host);
    const agent = await startAgent({ ollamaUrl: fake.url, sessionDbUrl: u.toString() });
    try {
      expect((await call(agent.url, 'POST', `/apps/${APP}/users/u/sessions/host-${run}`, {})).status).toBe(200);
    } finally {
      await agent.close();
    }
  });

  test('two agent instances share sessions', async () => {
    const a = await startAgent({ ollamaUrl: fake.url, sessionDbUrl: PG! });
    const b = await startAgent({ ollamaUrl: fake.url, sessionDbUrl: PG! });
    const sid = `shared-${run}`;
    try {
      await call(a.url, 'POST', `/apps/${APP}/users/u/sessions/${sid}`, {});
      expect((await call(b.url, 'POST', '/run', { app_name: APP, user_id: 'u', session_id: sid, new_message: msg('on b') })).status).toBe(200);
      expect((await call(a.url, 'POST', '/run', { app_name: APP, user_id: 'u', session_id: sid, new_message: msg('on a') })).status).toBe(200);
      const s = await call(b.url, 'GET', `/apps/${APP}/users/u/sessions/${sid}`);
      expect(s.body.events.filter((e: any) => e.author === 'user').map((e: any) => e.content.parts[0].text)).toEqual(['on b', 'on a']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('concurrent first sessions of new users, with backend faults, lose nothing', async () => {
    let n = 0;
    const faulty = await startFakeOllama({ record: false, decide: () => (n++ % 7 === 3 ? { kind: '503' } : { kind: 'ok' }) });
    const agent = await startAgent({ ollamaUrl: faulty.url, sessionDbUrl: PG!, maxRetries: 0 });
    const SESSIONS = 60;
    try {
      const statuses = await Promise.all(Array.from({ length: SESSIONS }, async (_, i) => {
        const user = `pg-${run}-${i % 6}`; // ten sessions per brand-new user, created at once
        const sid = `s-${i}`;
        expect((await call(agent.url, 'POST', `/apps/${APP}/users/${user}/sessions/${sid}`, { i })).status).toBe(200);
        const out: number[] = [];
        for (let t = 0; t < 2; t++) {
          out.push((await call(agent.url, 'POST', '/run', { app_name: APP, user_id: user, session_id: sid, new_message: msg(`t${t}`) })).status);
        }
        return out;
      }));
      const flat = statuses.flat();
      expect(flat.every((s) => s === 200 || s === 503)).toBe(true);
      expect(flat.filter((s) => s === 503).length).toBeGreaterThan(0);
      for (let i = 0; i < SESSIONS; i++) {
        const s = await call(agent.url, 'GET', `/apps/${APP}/users/pg-${run}-${i % 6}/sessions/s-${i}`);
        expect(s.body.state).toEqual({ i });
        expect(s.body.events).toHaveLength(4);
      }
    } finally {
      await agent.close();
      await faulty.close();
    }
  });
});
