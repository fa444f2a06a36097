import { FunctionTool, InMemoryRunner, LlmAgent, LlmRequest, LlmResponse } from '@google/adk';
import { Type } from '@google/genai';
import {
  contentsToOllamaMessages, configToOllamaOptions, functionDeclarationToOllamaTool, genaiSchemaToJsonSchema,
  backoffDelay, GoogleIdTokenProvider, isCloudRunUrl, jsonSchemaToGenaiSchema, OllamaError, OllamaLlm, toOllamaChatRequest,
} from '../../../apps/gemma-agent/agent/ollama-llm';
import { FakeOllama, fakeAnswer, startFakeOllama } from './support/fake-ollama-server';

function request(text: string, extra: Partial<LlmRequest> = {}): LlmRequest {
  return { contents: [{ role: 'user', parts: [{ text }] }], liveConnectConfig: {}, toolsDict: {}, ...extra } as LlmRequest;
}

async function collect(gen: AsyncGenerator<LlmResponse, void>): Promise<LlmResponse[]> {
  const out: LlmResponse[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

const fast = { initialBackoffMs: 1, maxBackoffMs: 4, random: () => 0.5 };

describe('mapping ADK/genai → Ollama', () => {
  test('genai schema (uppercase types) becomes JSON Schema, and back', () => {
    const genai = {
      type: Type.OBJECT,
      description: 'args',
      properties: {
        species: { type: Type.STRING, enum: ['lion', 'tiger'], description: 'which animal' },
        count: { type: Type.INTEGER, minimum: 1, maximum: 10 },
        tags: { type: Type.ARRAY, items: { type: Type.STRING }, minItems: '1', maxItems: '3' },
        note: { type: Type.STRING, nullable: true },
      },
      required: ['species'],
    };
    const json = genaiSchemaToJsonSchema(genai);
    expect(json).toEqual({
      type: 'object',
      description: 'args',
      properties: {
        species: { type: 'string', enum: ['lion', 'tiger'], description: 'which animal' },
        count: { type: 'integer', minimum: 1, maximum: 10 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
        note: { type: ['string', 'null'] },
      },
      required: ['species'],
    });
    expect(jsonSchemaToGenaiSchema(json)).toEqual(genai);
  });

  test('function declarations become Ollama tools (schema or parametersJsonSchema)', () => {
    expect(functionDeclarationToOllamaTool({ name: 'f', description: 'd', parameters: { type: Type.OBJECT, properties: { a: { type: Type.NUMBER } } } }))
      .toEqual({ type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object', properties: { a: { type: 'number' } } } } });
    expect(functionDeclarationToOllamaTool({ name: 'g', parametersJsonSchema: { type: 'object', properties: {} } }).function.parameters)
      .toEqual({ type: 'object', properties: {} });
    expect(functionDeclarationToOllamaTool({ name: 'h' }).function.parameters).toEqual({ type: 'object', properties: {} });
  });

  test('contents, system instruction, tool calls and tool results become messages', () => {
    const messages = contentsToOllamaMessages([
      { role: 'user', parts: [{ text: 'How long do lions live?' }, { inlineData: { mimeType: 'image/png', data: 'AAAA' } }] },
      { role: 'model', parts: [{ text: 'thinking', thought: true }, { functionCall: { name: 'lookup', args: { species: 'lion' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { years: 14 } } }] },
      { role: 'model', parts: [{ text: 'About 14 years.' }] },
    ], { parts: [{ text: 'You are Gem.' }] });
    expect(messages).toEqual([
      { role: 'system', content: 'You are Gem.' },
      { role: 'user', content: 'How long do lions live?', images: ['AAAA'] },
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'lookup', arguments: { species: 'lion' } } }] },
      { role: 'tool', tool_name: 'lookup', content: '{"years":14}' },
      { role: 'assistant', content: 'About 14 years.' },
    ]);
    expect(contentsToOllamaMessages([], 'plain string')[0]).toEqual({ role: 'system', content: 'plain string' });
  });

  test('generation config becomes Ollama options and format', () => {
    expect(configToOllamaOptions({ temperature: 0.2, topP: 0.9, topK: 40, maxOutputTokens: 100, stopSequences: ['x'], seed: 7 }))
      .toEqual({ options: { temperature: 0.2, top_p: 0.9, top_k: 40, num_predict: 100, stop: ['x'], seed: 7 } });
    expect(configToOllamaOptions({ responseMimeType: 'application/json' }).format).toBe('json');
    expect(configToOllamaOptions({ responseSchema: { type: Type.OBJECT } }).format).toEqual({ type: 'object' });
    const body = toOllamaChatRequest('gemma3:270m', request('hi', { config: { tools: [{ functionDeclarations: [{ name: 'f' }] }] } }), true, { keepAlive: -1 });
    expect(body).toMatchObject({ model: 'gemma3:270m', stream: true, keep_alive: -1, tools: [{ function: { name: 'f' } }] });
  });
});

describe('GoogleIdTokenProvider', () => {
  test('mints one ID-token client per audience and returns its Authorization header', async () => {
    const made: string[] = [];
    const provider = new GoogleIdTokenProvider(() => undefined, async (aud) => {
      made.push(aud);
      return { getRequestHeaders: async () => new Headers({ authorization: `Bearer token-for-${aud}` }) };
    });
    expect(await provider.headers('https://a-x.a.run.app')).toEqual({ authorization: 'Bearer token-for-https://a-x.a.run.app' });
    expect(await provider.headers('https://a-x.a.run.app')).toEqual({ authorization: 'Bearer token-for-https://a-x.a.run.app' });
    expect(await provider.headers('https://b-x.a.run.app')).toEqual({ authorization: 'Bearer token-for-https://b-x.a.run.app' });
    expect(made).toEqual(['https://a-x.a.run.app', 'https://b-x.a.run.app']);
  });

  test('without Google credentials it sends no header and warns once (google-auth-library, offline)', async () => {
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/key.json';
    try {
      const logs: string[] = [];
      const provider = new GoogleIdTokenProvider((m) => logs.push(m));
      expect(await provider.headers('https://a-x.a.run.app')).toEqual({});
      expect(await provider.headers('https://a-x.a.run.app')).toEqual({});
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(/no Google credentials for an ID token \(audience https:\/\/a-x\.a\.run\.app\)/);
    } finally {
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    }
  });
});

describe('OllamaLlm against the fake Ollama server', () => {
  let fake: FakeOllama;
  beforeEach(async () => {
    fake = await startFakeOllama();
  });
  afterEach(async () => {
    await fake.close();
  });

  test('non-streaming: one complete response with usage', async () => {
    const llm = new OllamaLlm({ model: 'gemma3:270m', baseUrl: fake.url });
    const [r, ...rest] = await collect(llm.generateContentAsync(request('Do zebras sleep standing?'), false));
    expect(rest).toEqual([]);
    expect(r.content).toEqual({ role: 'model', parts: [{ text: fakeAnswer('Do zebras sleep standing?') }] });
    expect(r.turnComplete).toBe(true);
    expect(r.finishReason).toBe('STOP');
    expect(r.usageMetadata?.promptTokenCount).toBe(12);
    expect(fake.requests[0].body).toMatchObject({ model: 'gemma3:270m', stream: false });
    expect(fake.requests[0].headers.authorization).toBeUndefined();
  });

  test('streaming: partial text chunks, then the aggregated turn', async () => {
    const llm = new OllamaLlm({ model: 'gemma3:270m', baseUrl: fake.url });
    const rs = await collect(llm.generateContentAsync(request('Hello there'), true));
    const partials = rs.filter((r) => r.partial);
    expect(partials.length).toBeGreaterThan(2);
    const final = rs[rs.length - 1];
    expect(final.partial).toBeUndefined();
    expect(final.content?.parts?.[0].text).toBe(fakeAnswer('Hello there'));
    expect(partials.map((p) => p.content?.parts?.[0].text).join('')).toBe(fakeAnswer('Hello there'));
  });

  test('tool calls come back as functionCall parts (streaming and not)', async () => {
    const llm = new OllamaLlm({ model: 'm', baseUrl: fake.url });
    fake.script({ kind: 'toolCall', name: 'lookup', args: { species: 'okapi' } }, { kind: 'toolCall', name: 'lookup', args: { species: 'okapi' } });
    const [r] = await collect(llm.generateContentAsync(request('x'), false));
    expect(r.content?.parts).toEqual([{ functionCall: { name: 'lookup', args: { species: 'okapi' } } }]);
    const rs = await collect(llm.generateContentAsync(request('x'), true));
    expect(rs[rs.length - 1].content?.parts).toEqual([{ functionCall: { name: 'lookup', args: { species: 'okapi' } } }]);
  });

  test('tool-call round trip through the ADK runner', async () => {
    const lookup = new FunctionTool({
      name: 'lookup_lifespan',
      description: 'Typical lifespan of a species in years',
      parameters: { type: Type.OBJECT, properties: { species: { type: Type.STRING } }, required: ['species'] },
      execute: async (args: unknown) => ({ species: (args as { species: string }).species, years: 14 }),
    });
    fake.script({ kind: 'toolCall', name: 'lookup_lifespan', args: { species: 'lion' } });
    const agent = new LlmAgent({ name: 'gem', model: new OllamaLlm({ model: 'gemma3:270m', baseUrl: fake.url }), instruction: 'Be Gem.', tools: [lookup] });
    const runner = new InMemoryRunner({ agent, appName: 'app' });
    const session = await runner.sessionService.createSession({ appName: 'app', userId: 'u' });
    const events = [];
    for await (const e of runner.runAsync({ userId: 'u', sessionId: session.id, newMessage: { role: 'user', parts: [{ text: 'How long do lions live?' }] } })) events.push(e);
    expect(events.map((e) => Object.keys(e.content?.parts?.[0] ?? {})[0])).toEqual(['functionCall', 'functionResponse', 'text']);
    expect(events[1].content?.parts?.[0].functionResponse?.response).toEqual({ species: 'lion', years: 14 });
    // Second model call carried the tool declaration, the call and its result.
    const second = fake.requests[1].body;
    expect(fake.requests[0].body.tools).toEqual([{ type: 'function', function: {
      name: 'lookup_lifespan', description: 'Typical lifespan of a species in years',
      parameters: { type: 'object', properties: { species: { type: 'string' } }, required: ['species'] },
    } }]);
    expect(second.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(second.messages[3]).toMatchObject({ role: 'tool', tool_name: 'lookup_lifespan' });
    expect(JSON.parse(second.messages[3].content)).toEqual({ species: 'lion', years: 14 });
    expect(events[2].content?.parts?.[0].text).toContain('tool lookup_lifespan returned');
  });

  test('503 is retried with backoff, then succeeds', async () => {
    fake.script({ kind: '503' }, { kind: '503', retryAfter: 0 });
    const llm = new OllamaLlm({ model: 'm', baseUrl: fake.url, ...fast });
    const rs = await collect(llm.generateContentAsync(request('hi'), true));
    expect(rs[rs.length - 1].content?.parts?.[0].text).toBe(fakeAnswer('hi'));
    expect(fake.chatCount()).toBe(3);
  });

  test('503 on every attempt fails with OLLAMA_UNAVAILABLE after maxRetries + 1 attempts', async () => {
    const llm = new OllamaLlm({ model: 'm', baseUrl: fake.url, maxRetries: 2, ...fast });
    fake.script({ kind: '503' }, { kind: '503' }, { kind: '503' });
    const err = await collect(llm.generateContentAsync(request('hi'))).catch((e) => e);
    expect(err).toBeInstanceOf(OllamaError);
    expect(err.code).toBe('OLLAMA_UNAVAILABLE');
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/overloaded \(HTTP 503: server busy.*after 3 attempt/);
    expect(fake.chatCount()).toBe(3);
  });

  test('backoff is capped exponential with equal jitter', () => {
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, 100, 300, () => 1))).toEqual([100, 200, 300, 300, 300]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 100, 300, () => 0))).toEqual([50, 100, 150, 150]);
    for (let a = 0; a < 20; a++) {
      const d = backoffDelay(a, 250, 4000);
      expect(d).toBeGreaterThanOrEqual(Math.min(4000, 250 * 2 ** a) / 2);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });

  test('the wait between 503 retries follows the backoff (Retry-After raises it, capped)', async () => {
    fake.script({ kind: '503' }, { kind: '503', retryAfter: 1 });
    const llm = new OllamaLlm({ model: 'm', baseUrl: fake.url, initialBackoffMs: 40, maxBackoffMs: 120, random: () => 0.999 });
    const started = Date.now();
    await collect(llm.generateContentAsync(request('hi')));
    const elapsed = Date.now() - started;
    // ~40 ms, then Retry-After 1 s capped at 120 ms.
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1000);
  });

  test('unreachable backend: retried, then OLLAMA_UNAVAILABLE', async () => {
    const url = fake.url;
    await fake.close();
    const llm = new OllamaLlm({ model: 'm', baseUrl: url, maxRetries: 1, ...fast });
    const err = await collect(llm.generateContentAsync(request('hi'))).catch((e) => e);
    expect(err.code).toBe('OLLAMA_UNAVAILABLE');
    fake = await startFakeOllama();
  });

  test('a stalled backend times out (before headers and mid-stream)', async () => {
    const llm = new OllamaLlm({ model: 'm', baseUrl: fake.url, timeoutMs: 150 });
    fake.script({ kind: 'stall' }, { kind: 'stall', afterHeaders: true });
    const started = Date.now();
    const e1 = await collect(llm.generateContentAsync(request('hi'), true)).catch((e) => e);
    const e2 = await collect(llm.generateContentAsync(request('hi'), true)).catch((e) => e);
    expect([e1.code, e2.code]).toEqual(['OLLAMA_TIMEOUT', 'OLLAMA_TIMEOUT']);
    expect(e1.message).toMatch(/no progress for 150 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('abort signal cancels the request', async () => {
    const llm = new OllamaLlm({ model: 'm', baseUrl: fake.url, timeoutMs: 10_000 });
    fake.script({ kind: 'stall', afterHeaders: true });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('user went away')), 50);
    const err = await collect(llm.generateContentAsync(request('hi'), true, ac.signal)).catch((e) => e);
    expect(err.message).toBe('user went away');
    const pre = new AbortController();
    pre.abort(new Error('already'));
    await expect(collect(llm.generateContentAsync(request('hi'), true, pre.signal))).rejects.toThrow('already');
  });

  test('malformed NDJSON, mid-stream errors and dropped connections fail with OLLAMA_BAD_RESPONSE', async () => {
    const llm = new OllamaLlm({ model: 'm', baseUrl: fake.url, ...fast });
    fake.script({ kind: 'malformed' }, { kind: 'streamError', error: 'model crashed' }, { kind: 'drop', afterChunks: 2 }, { kind: 'http', status: 404, error: 'model "m" not found' });
    const errs = [];
    for (let i = 0; i < 4; i++) errs.push(await collect(llm.generateContentAsync(request('hi'), true)).catch((e) => e));
    expect(errs.map((e) => e.code)).toEqual(['OLLAMA_BAD_RESPONSE', 'OLLAMA_BAD_RESPONSE', 'OLLAMA_BAD_RESPONSE', 'OLLAMA_HTTP_ERROR']);
    expect(errs[0].message).toMatch(/malformed line/);
    expect(errs[1].message).toMatch(/model crashed/);
    expect(errs[3].message).toMatch(/HTTP 404: model "m" not found/);
  });

  test('ID tokens: sent to a Cloud Run backend from the injected provider; none by default off Cloud Run', async () => {
    const audiences: string[] = [];
    const provider = { headers: async (aud: string) => (audiences.push(aud), { authorization: 'Bearer fake-id-token' }) };
    const llm = new OllamaLlm({ model: 'm', baseUrl: fake.url, idTokenProvider: provider, idTokenAudience: 'https://backend-abc.a.run.app' });
    await collect(llm.generateContentAsync(request('hi')));
    expect(fake.requests[0].headers.authorization).toBe('Bearer fake-id-token');
    expect(audiences).toEqual(['https://backend-abc.a.run.app']);
    expect(isCloudRunUrl('https://backend-abc.a.run.app/')).toBe(true);
    expect(isCloudRunUrl('http://backend-abc.a.run.app')).toBe(false);
    expect(isCloudRunUrl('http://localhost:11434')).toBe(false);
    expect((new OllamaLlm({ model: 'm', baseUrl: 'https://x-abc.a.run.app' }) as any).idTokens).toBeInstanceOf(GoogleIdTokenProvider);
    expect((new OllamaLlm({ model: 'm', baseUrl: 'http://localhost:11434' }) as any).idTokens).toBeUndefined();
    expect(() => new OllamaLlm({ model: 'm', baseUrl: 'not a url' })).toThrow();
  });
});
