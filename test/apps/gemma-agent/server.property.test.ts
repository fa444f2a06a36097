import * as fc from 'fast-check';
import { genaiSchemaToJsonSchema, jsonSchemaToGenaiSchema } from '../../../apps/gemma-agent/agent/ollama-llm';
import { call, Harness, startAgent } from './support/agent-harness';
import { FakeOllama, startFakeOllama } from './support/fake-ollama-server';

const APP = 'production_agent';

test('genai schema → JSON Schema → genai schema is the identity on generated schemas', () => {
  const leaf = fc.record({
    type: fc.constantFrom('STRING', 'NUMBER', 'INTEGER', 'BOOLEAN'),
    description: fc.option(fc.string(), { nil: undefined }),
    nullable: fc.option(fc.constant(true), { nil: undefined }),
    enum: fc.option(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  }, { requiredKeys: ['type'] });
  const schema = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.record({ type: fc.constant('ARRAY'), items: tie('node'), minItems: fc.option(fc.nat(5).map(String), { nil: undefined }) }, { requiredKeys: ['type', 'items'] }),
    object: fc.record({ type: fc.constant('OBJECT'), properties: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 3 }) }),
  })).node;
  fc.assert(fc.property(schema, (s) => {
    const clean = JSON.parse(JSON.stringify(s));
    expect(jsonSchemaToGenaiSchema(genaiSchemaToJsonSchema(clean))).toEqual(clean);
  }), { numRuns: 200, seed: 42 });
});

describe('the server never answers 5xx to client input', () => {
  let fake: FakeOllama;
  let agent: Harness;
  beforeAll(async () => {
    fake = await startFakeOllama({ record: false });
    agent = await startAgent({ ollamaUrl: fake.url, maxBodyBytes: 4096 });
    await call(agent.url, 'POST', `/apps/${APP}/users/u/sessions/s`, {});
  });
  afterAll(async () => {
    await agent.close();
    await fake.close();
  });

  test('random /run bodies get 200 or a 4xx JSON error, and the server stays healthy', async () => {
    const field = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 5 }), fc.integer(), fc.constant(APP), fc.constant('u'), fc.constant('s'));
    const message = fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), fc.constant({ role: 'user', parts: [{ text: 'hi' }] }), fc.constant({ parts: [] }));
    const body = fc.record({ app_name: field, appName: field, user_id: field, session_id: field, new_message: message, state_delta: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 1 })) });
    await fc.assert(fc.asyncProperty(body, async (b) => {
      const r = await call(agent.url, 'POST', '/run', b);
      expect(r.status === 200 || (r.status >= 400 && r.status < 500)).toBe(true);
      if (r.status !== 200) expect(typeof r.body.error).toBe('string');
    }), { numRuns: 60, seed: 7 });
    const raw = fc.oneof(fc.string({ maxLength: 50 }), fc.constant('{"a":'), fc.constant('x'.repeat(5000)));
    await fc.assert(fc.asyncProperty(raw, fc.constantFrom('/run', '/run_sse', `/apps/${APP}/users/u/sessions/x`), async (text, path) => {
      const r = await call(agent.url, 'POST', path, undefined, text);
      expect(r.status).toBeLessThan(500);
    }), { numRuns: 40, seed: 11 });
    const seg = fc.string({ minLength: 1, maxLength: 6 }).map((x) => x.replace(/[/?#]/g, '_'));
    await fc.assert(fc.asyncProperty(seg, seg, async (user, session) => {
      const r = await fetch(`${agent.url}/apps/${APP}/users/${user}/sessions/${session}%`);
      expect(r.status).toBeLessThan(500);
    }), { numRuns: 20, seed: 3 });
    expect((await call(agent.url, 'GET', '/health')).status).toBe(200);
  });
});
