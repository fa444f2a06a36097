/**
 * An ADK model connector for Ollama: a `BaseLlm` subclass that talks to Ollama's `/api/chat`.
 *
 * ADK for TypeScript ships no Ollama/LiteLlm connector (google/adk-js#533), so this module maps ADK's
 * `LlmRequest` (genai `Content`s, system instruction, function declarations with uppercase genai schema
 * types) to Ollama's chat request (messages, JSON-Schema tools, options) and Ollama's answers (streamed
 * NDJSON or one JSON object) back to `LlmResponse`s with text and function-call parts.
 *
 * Protocol reference: ollama/ollama `docs/api.md` ("Generate a chat completion": `messages[].tool_calls`,
 * `role: "tool"` messages with `tool_name`, `tools[].function.parameters` as JSON Schema, `done`,
 * `done_reason`, `prompt_eval_count`, `eval_count`; an error is `{"error": "..."}`). A full request queue
 * answers HTTP 503 (`OLLAMA_MAX_QUEUE`), which this connector retries with capped exponential backoff and
 * jitter before failing with an {@link OllamaError} whose `code` is `OLLAMA_UNAVAILABLE`.
 *
 * The module has no dependency on the rest of the agent: reuse it in any ADK-JS agent:
 * `new LlmAgent({ model: new OllamaLlm({ model: 'gemma3:270m' }), ... })` (pass the instance: a model
 * string would make ADK build a new instance per call).
 */
import { BaseLlm, BaseLlmConnection, LlmRequest, LlmResponse } from '@google/adk';
import type { Content, FunctionDeclaration, GenerateContentConfig, Part, Schema } from '@google/genai';

/** Stable error codes of {@link OllamaError}; the agent server maps them to HTTP statuses. */
export type OllamaErrorCode =
  /** The backend answered 503 (queue full) on every attempt, or could not be reached at all. */
  | 'OLLAMA_UNAVAILABLE'
  /** The backend made no progress (headers or a streamed chunk) within the request timeout. */
  | 'OLLAMA_TIMEOUT'
  /** The backend answered something that is not Ollama's protocol (malformed NDJSON, dropped stream). */
  | 'OLLAMA_BAD_RESPONSE'
  /** The backend answered an HTTP error other than 503 (e.g. 404 model not found, 400 bad request). */
  | 'OLLAMA_HTTP_ERROR';

/** The error the connector throws; `code` tells callers (and the agent server) what happened. */
export class OllamaError extends Error {
  /** What went wrong, as a stable code. */
  public readonly code: OllamaErrorCode;
  /** The backend's HTTP status, when it answered one. */
  public readonly status?: number;
  /** Seconds a client should wait before retrying (set for `OLLAMA_UNAVAILABLE`). */
  public readonly retryAfterSeconds?: number;

  constructor(code: OllamaErrorCode, message: string, options: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OllamaError';
    this.code = code;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** True when `e` is an {@link OllamaError} (also across module copies). */
export function isOllamaError(e: unknown): e is OllamaError {
  return e instanceof OllamaError || (e instanceof Error && e.name === 'OllamaError' && typeof (e as OllamaError).code === 'string');
}

/**
 * Supplies the `Authorization` header for a backend. The default for a Cloud Run URL is
 * {@link GoogleIdTokenProvider}; tests inject a fake.
 */
export interface IdTokenProvider {
  /** Headers to add to a request whose token audience is `audience`; `{}` to send none. */
  headers(audience: string): Promise<Record<string, string>>;
}

/** True for `https://….run.app` URLs: the backends that need a Google-signed ID token. */
export function isCloudRunUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.hostname.endsWith('.run.app');
  } catch {
    return false;
  }
}

/**
 * Google-signed ID tokens from the ambient credentials (Cloud Run's metadata server, a service account key,
 * or gcloud ADC), via google-auth-library's `GoogleAuth().getIdTokenClient(audience)`; the client caches
 * and refreshes the token. Where no credentials exist (off Google Cloud) it logs once and sends no header,
 * so a public backend still works.
 */
export class GoogleIdTokenProvider implements IdTokenProvider {
  private readonly clients = new Map<string, Promise<{ getRequestHeaders(url?: string): Promise<Headers> } | undefined>>();
  private warned = false;

  /**
   * @param log where the one "no credentials" warning goes. @default console.warn
   * @param clientFactory makes the ID-token client for an audience.
   *   @default google-auth-library's `new GoogleAuth().getIdTokenClient(audience)`
   */
  constructor(
    private readonly log: (msg: string) => void = (m) => console.warn(m),
    private readonly clientFactory: (audience: string) => Promise<{ getRequestHeaders(url?: string): Promise<Headers> }> = async (audience) => {
      // Loaded lazily: only Cloud Run deployments pay for it.
      const { GoogleAuth } = await import('google-auth-library');
      return new GoogleAuth().getIdTokenClient(audience);
    },
  ) {}

  /** The `Authorization: Bearer <ID token>` header for `audience`, or `{}` without credentials. */
  public async headers(audience: string): Promise<Record<string, string>> {
    let client = this.clients.get(audience);
    if (!client) {
      client = this.createClient(audience);
      this.clients.set(audience, client);
    }
    const c = await client;
    if (!c) return {};
    const h = await c.getRequestHeaders(audience);
    const auth = h.get('authorization');
    return auth ? { authorization: auth } : {};
  }

  private async createClient(audience: string) {
    try {
      const client = await this.clientFactory(audience);
      // Fail here, once, when no credentials can mint an ID token.
      await client.getRequestHeaders(audience);
      return client;
    } catch (e) {
      if (!this.warned) {
        this.warned = true;
        this.log(`[ollama-llm] no Google credentials for an ID token (audience ${audience}); sending requests without one: ${(e as Error).message}`);
      }
      return undefined;
    }
  }
}

/** Options of {@link OllamaLlm}. */
export interface OllamaLlmOptions {
  /** Ollama model tag, e.g. `gemma3:270m`. */
  readonly model: string;
  /**
   * Base URL of the Ollama server (the agent reads `OLLAMA_API_BASE`).
   * @default process.env.OLLAMA_API_BASE ?? 'http://localhost:11434'
   */
  readonly baseUrl?: string;
  /**
   * Milliseconds the backend may go without progress (response headers, then each streamed chunk) before
   * the attempt fails with `OLLAMA_TIMEOUT`.
   * @default 120000
   */
  readonly timeoutMs?: number;
  /**
   * Retries after an HTTP 503 or a refused connection (so up to `maxRetries + 1` attempts).
   * @default 4
   */
  readonly maxRetries?: number;
  /**
   * First backoff in milliseconds; doubles per retry up to `maxBackoffMs`, with equal jitter
   * (a wait in [d/2, d]). A `Retry-After` header raises the wait, still capped by `maxBackoffMs`.
   * @default 250
   */
  readonly initialBackoffMs?: number;
  /**
   * Longest backoff in milliseconds.
   * @default 4000
   */
  readonly maxBackoffMs?: number;
  /**
   * Ollama `keep_alive` sent with every request (e.g. `-1` keeps the model loaded).
   * @default - not sent: the server's `OLLAMA_KEEP_ALIVE` applies
   */
  readonly keepAlive?: string | number;
  /**
   * Extra Ollama `options` merged under those derived from the request config (e.g. `{ num_ctx: 8192 }`).
   * @default {}
   */
  readonly options?: Record<string, unknown>;
  /**
   * Where ID tokens come from. `null` sends none.
   * @default a GoogleIdTokenProvider when baseUrl is an https Cloud Run URL, otherwise none
   */
  readonly idTokenProvider?: IdTokenProvider | null;
  /**
   * ID-token audience.
   * @default the origin of baseUrl (Cloud Run's audience is the service URL)
   */
  readonly idTokenAudience?: string;
  /**
   * The fetch implementation.
   * @default globalThis.fetch
   */
  readonly fetch?: typeof fetch;
  /**
   * Random source for backoff jitter, in [0, 1).
   * @default Math.random
   */
  readonly random?: () => number;
}

/** One Ollama chat message. */
export interface OllamaMessage {
  /** `system`, `user`, `assistant` or `tool`. */
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** Text content. */
  content: string;
  /** Base64 images (multimodal models). */
  images?: string[];
  /** Tool calls made by the assistant. */
  tool_calls?: OllamaToolCall[];
  /** For `role: "tool"`: which tool produced this result. */
  tool_name?: string;
}

/** An Ollama tool call. */
export interface OllamaToolCall {
  /** The call. */
  function: { name: string; arguments: Record<string, unknown> };
}

/** The `/api/chat` request body this connector sends. */
export interface OllamaChatRequest {
  /** Model tag. */
  model: string;
  /** Conversation. */
  messages: OllamaMessage[];
  /** Tools as JSON Schema function definitions. */
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters: Record<string, unknown> } }>;
  /** Streamed NDJSON or one JSON object. */
  stream: boolean;
  /** `json` or a JSON Schema for structured output. */
  format?: 'json' | Record<string, unknown>;
  /** Sampling options. */
  options?: Record<string, unknown>;
  /** Keep-alive of the loaded model. */
  keep_alive?: string | number;
}

/** One `/api/chat` response object (a whole answer, or one NDJSON line of a stream). */
interface OllamaChatChunk {
  message?: { role?: string; content?: string; thinking?: string; tool_calls?: OllamaToolCall[] };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
}

/** genai `Schema` (uppercase `type`, string-valued counts) → JSON Schema (what Ollama expects for tools). */
export function genaiSchemaToJsonSchema(schema: Schema | undefined): Record<string, unknown> {
  if (!schema) return {};
  const out: Record<string, unknown> = {};
  const type = schema.type && schema.type !== 'TYPE_UNSPECIFIED' ? String(schema.type).toLowerCase() : undefined;
  if (type) out.type = schema.nullable && type !== 'null' ? [type, 'null'] : type;
  for (const key of ['title', 'description', 'format', 'pattern', 'default', 'example', 'minimum', 'maximum'] as const) {
    if (schema[key] !== undefined) out[key === 'example' ? 'examples' : key] = key === 'example' ? [schema[key]] : schema[key];
  }
  if (schema.enum) out.enum = [...schema.enum];
  for (const key of ['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties'] as const) {
    if (schema[key] !== undefined) out[key] = Number(schema[key]);
  }
  if (schema.items) out.items = genaiSchemaToJsonSchema(schema.items);
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, genaiSchemaToJsonSchema(v)]));
  }
  if (schema.required?.length) out.required = [...schema.required];
  if (schema.anyOf) out.anyOf = schema.anyOf.map(genaiSchemaToJsonSchema);
  return out;
}

/** JSON Schema → genai `Schema` (uppercase types), the inverse of {@link genaiSchemaToJsonSchema}. */
export function jsonSchemaToGenaiSchema(json: Record<string, unknown> | undefined): Schema {
  if (!json || typeof json !== 'object') return {};
  const out: Record<string, unknown> = {};
  let type = json.type;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null');
    if (nonNull.length < type.length) out.nullable = true;
    type = nonNull[0];
  }
  if (typeof type === 'string') out.type = type.toUpperCase();
  for (const key of ['title', 'description', 'format', 'pattern', 'default', 'minimum', 'maximum'] as const) {
    if (json[key] !== undefined) out[key] = json[key];
  }
  if (Array.isArray(json.examples) && json.examples.length) out.example = json.examples[0];
  if (Array.isArray(json.enum)) out.enum = json.enum.map(String);
  for (const key of ['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties'] as const) {
    if (json[key] !== undefined) out[key] = String(json[key]);
  }
  if (json.items && typeof json.items === 'object') out.items = jsonSchemaToGenaiSchema(json.items as Record<string, unknown>);
  if (json.properties && typeof json.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(json.properties as Record<string, Record<string, unknown>>).map(([k, v]) => [k, jsonSchemaToGenaiSchema(v)]),
    );
  }
  if (Array.isArray(json.required) && json.required.length) out.required = [...json.required];
  if (Array.isArray(json.anyOf)) out.anyOf = json.anyOf.map((s) => jsonSchemaToGenaiSchema(s as Record<string, unknown>));
  return out as Schema;
}

/** A genai function declaration → an Ollama tool. */
export function functionDeclarationToOllamaTool(decl: FunctionDeclaration): NonNullable<OllamaChatRequest['tools']>[number] {
  const parameters = decl.parameters
    ? genaiSchemaToJsonSchema(decl.parameters)
    : (decl.parametersJsonSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} };
  return {
    type: 'function',
    function: { name: decl.name ?? '', ...(decl.description ? { description: decl.description } : {}), parameters },
  };
}

function contentText(c: unknown): string {
  if (c === undefined || c === null) return '';
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map(contentText).filter(Boolean).join('\n');
  const obj = c as Content & Part;
  if (obj.parts) return obj.parts.map((p) => (p.thought ? '' : p.text ?? '')).filter(Boolean).join('\n');
  if (typeof obj.text === 'string') return obj.text;
  return '';
}

/** genai contents + system instruction → Ollama messages. */
export function contentsToOllamaMessages(contents: Content[], systemInstruction?: unknown): OllamaMessage[] {
  const messages: OllamaMessage[] = [];
  const system = contentText(systemInstruction);
  if (system) messages.push({ role: 'system', content: system });
  for (const content of contents) {
    const role = content.role === 'model' ? 'assistant' : 'user';
    const texts: string[] = [];
    const images: string[] = [];
    const toolCalls: OllamaToolCall[] = [];
    const toolResults: OllamaMessage[] = [];
    for (const part of content.parts ?? []) {
      if (part.thought) continue;
      if (typeof part.text === 'string') texts.push(part.text);
      if (part.inlineData?.data && (part.inlineData.mimeType ?? '').startsWith('image/')) images.push(part.inlineData.data);
      if (part.functionCall) {
        toolCalls.push({ function: { name: part.functionCall.name ?? '', arguments: (part.functionCall.args ?? {}) as Record<string, unknown> } });
      }
      if (part.functionResponse) {
        toolResults.push({
          role: 'tool',
          tool_name: part.functionResponse.name ?? '',
          content: JSON.stringify(part.functionResponse.response ?? {}),
        });
      }
    }
    if (texts.length || images.length || toolCalls.length) {
      const m: OllamaMessage = { role, content: texts.join('\n') };
      if (images.length) m.images = images;
      if (toolCalls.length) m.tool_calls = toolCalls;
      messages.push(m);
    }
    messages.push(...toolResults);
  }
  return messages;
}

/** genai generation config → Ollama `options` and `format`. */
export function configToOllamaOptions(config: GenerateContentConfig | undefined): { options: Record<string, unknown>; format?: OllamaChatRequest['format'] } {
  const options: Record<string, unknown> = {};
  if (!config) return { options };
  const map: Array<[keyof GenerateContentConfig, string]> = [
    ['temperature', 'temperature'], ['topP', 'top_p'], ['topK', 'top_k'], ['maxOutputTokens', 'num_predict'],
    ['stopSequences', 'stop'], ['seed', 'seed'], ['presencePenalty', 'presence_penalty'], ['frequencyPenalty', 'frequency_penalty'],
  ];
  for (const [from, to] of map) if (config[from] !== undefined) options[to] = config[from];
  let format: OllamaChatRequest['format'];
  if (config.responseJsonSchema) format = config.responseJsonSchema as Record<string, unknown>;
  else if (config.responseSchema) format = genaiSchemaToJsonSchema(config.responseSchema as Schema);
  else if (config.responseMimeType === 'application/json') format = 'json';
  return { options, format };
}

/** Builds the `/api/chat` body for an ADK request. */
export function toOllamaChatRequest(model: string, req: LlmRequest, stream: boolean, extra: { options?: Record<string, unknown>; keepAlive?: string | number } = {}): OllamaChatRequest {
  const { options, format } = configToOllamaOptions(req.config);
  const decls = (req.config?.tools ?? []).flatMap((t) => ('functionDeclarations' in t && t.functionDeclarations) || []);
  const body: OllamaChatRequest = {
    model,
    messages: contentsToOllamaMessages(req.contents ?? [], req.config?.systemInstruction),
    stream,
  };
  if (decls.length) body.tools = decls.map(functionDeclarationToOllamaTool);
  if (format) body.format = format;
  const merged = { ...(extra.options ?? {}), ...options };
  if (Object.keys(merged).length) body.options = merged;
  if (extra.keepAlive !== undefined) body.keep_alive = extra.keepAlive;
  return body;
}

function finishReason(doneReason: string | undefined): LlmResponse['finishReason'] {
  // genai FinishReason values (string enum).
  if (doneReason === 'length') return 'MAX_TOKENS' as LlmResponse['finishReason'];
  return 'STOP' as LlmResponse['finishReason'];
}

function toolCallParts(calls: OllamaToolCall[] | undefined): Part[] {
  return (calls ?? []).map((c) => ({ functionCall: { name: c.function?.name, args: parseArgs(c.function?.arguments) } }));
}

function parseArgs(args: unknown): Record<string, unknown> {
  if (typeof args === 'string') {
    try {
      return JSON.parse(args) as Record<string, unknown>;
    } catch {
      return { raw: args };
    }
  }
  return (args ?? {}) as Record<string, unknown>;
}

function finalResponse(text: string, calls: OllamaToolCall[], last: OllamaChatChunk): LlmResponse {
  const parts: Part[] = [];
  if (text) parts.push({ text });
  parts.push(...toolCallParts(calls));
  const r: LlmResponse = {
    content: { role: 'model', parts },
    turnComplete: true,
    finishReason: finishReason(last.done_reason),
  };
  if (last.prompt_eval_count !== undefined || last.eval_count !== undefined) {
    const p = last.prompt_eval_count ?? 0;
    const c = last.eval_count ?? 0;
    r.usageMetadata = { promptTokenCount: p, candidatesTokenCount: c, totalTokenCount: p + c };
  }
  return r;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** The Ollama connector. See the module comment. */
export class OllamaLlm extends BaseLlm {
  /** Model names this class serves when registered with ADK's `LLMRegistry` (Ollama tags: `name:tag`). */
  static override readonly supportedModels: Array<string | RegExp> = [/^ollama\/.+/, /^gemma3?:.+/];

  /** Base URL of the backend, without trailing slash. */
  public readonly baseUrl: string;
  private readonly opts: OllamaLlmOptions;
  private readonly idTokens?: IdTokenProvider;
  private readonly audience: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: OllamaLlmOptions) {
    super({ model: options.model });
    this.opts = options;
    this.baseUrl = (options.baseUrl ?? process.env.OLLAMA_API_BASE ?? 'http://localhost:11434').replace(/\/+$/, '');
    new URL(this.baseUrl); // fail early on a malformed URL
    this.audience = options.idTokenAudience ?? new URL(this.baseUrl).origin;
    if (options.idTokenProvider !== undefined) this.idTokens = options.idTokenProvider ?? undefined;
    else if (isCloudRunUrl(this.baseUrl)) this.idTokens = new GoogleIdTokenProvider();
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Live (bidirectional) connections are a Gemini Live feature; Ollama has none. */
  override async connect(_llmRequest: LlmRequest): Promise<BaseLlmConnection> {
    throw new Error('OllamaLlm does not support live connections');
  }

  /** Sends the request to `/api/chat`; in streaming mode yields partial text responses, then the whole turn. */
  override async *generateContentAsync(llmRequest: LlmRequest, stream = false, abortSignal?: AbortSignal): AsyncGenerator<LlmResponse, void> {
    this.maybeAppendUserContent(llmRequest);
    const model = llmRequest.model && !llmRequest.model.startsWith('ollama/') ? llmRequest.model : this.model.replace(/^ollama\//, '');
    const body = toOllamaChatRequest(model, llmRequest, stream, { options: this.opts.options, keepAlive: this.opts.keepAlive });
    const { response, controller, progress, cleanup } = await this.post(JSON.stringify(body), abortSignal);
    try {
      if (!stream) {
        const raw = await this.readAll(response, progress);
        const chunk = this.parseLine(raw);
        yield finalResponse(chunk.message?.content ?? '', chunk.message?.tool_calls ?? [], chunk);
        return;
      }
      let text = '';
      const calls: OllamaToolCall[] = [];
      let last: OllamaChatChunk | undefined;
      for await (const line of this.lines(response, progress)) {
        const chunk = this.parseLine(line);
        last = chunk;
        const delta = chunk.message?.content ?? '';
        if (chunk.message?.tool_calls?.length) calls.push(...chunk.message.tool_calls);
        if (delta) {
          text += delta;
          yield { content: { role: 'model', parts: [{ text: delta }] }, partial: true };
        }
        if (chunk.done) break;
      }
      if (!last?.done) throw new OllamaError('OLLAMA_BAD_RESPONSE', `Ollama stream from ${this.baseUrl} ended before "done": true`);
      yield finalResponse(text, calls, last);
    } catch (e) {
      throw this.translate(e, abortSignal, controller);
    } finally {
      cleanup();
      // Releases the connection if the caller stopped iterating early; a no-op after a complete body.
      controller.abort();
    }
  }

  /** POSTs with retries on 503 and refused connections; resolves with a 2xx response. */
  private async post(body: string, abortSignal?: AbortSignal) {
    const maxRetries = this.opts.maxRetries ?? 4;
    const initial = this.opts.initialBackoffMs ?? 250;
    const cap = this.opts.maxBackoffMs ?? 4000;
    const random = this.opts.random ?? Math.random;
    const url = `${this.baseUrl}/api/chat`;
    for (let attempt = 0; ; attempt++) {
      abortSignal?.throwIfAborted();
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/x-ndjson, application/json' };
      if (this.idTokens) Object.assign(headers, await this.idTokens.headers(this.audience));
      const { controller, progress, cleanup, timedOut } = this.watchdog(abortSignal);
      let response: Response;
      try {
        response = await this.fetchImpl(url, { method: 'POST', headers, body, signal: controller.signal });
      } catch (e) {
        cleanup();
        if (abortSignal?.aborted) throw abortSignal.reason;
        if (timedOut()) throw this.timeoutError();
        const retryable = isConnectError(e);
        if (retryable && attempt < maxRetries) {
          await sleep(backoffDelay(attempt, initial, cap, random), abortSignal);
          continue;
        }
        throw new OllamaError(retryable ? 'OLLAMA_UNAVAILABLE' : 'OLLAMA_BAD_RESPONSE',
          `Ollama at ${this.baseUrl} could not be reached after ${attempt + 1} attempt(s): ${describe(e)}`,
          { cause: e, retryAfterSeconds: Math.ceil(cap / 1000) });
      }
      progress();
      if (response.ok) return { response, controller, progress, cleanup };
      const text = await response.text().catch(() => '');
      cleanup();
      if (response.status === 503) {
        const retryAfter = Number(response.headers.get('retry-after'));
        if (attempt < maxRetries) {
          const wait = Math.min(cap, Math.max(backoffDelay(attempt, initial, cap, random), Number.isFinite(retryAfter) ? retryAfter * 1000 : 0));
          await sleep(wait, abortSignal);
          continue;
        }
        throw new OllamaError('OLLAMA_UNAVAILABLE',
          `Ollama at ${this.baseUrl} is overloaded (HTTP 503: ${errorText(text)}) after ${attempt + 1} attempt(s); retry later`,
          { status: 503, retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : Math.ceil(cap / 1000) });
      }
      throw new OllamaError('OLLAMA_HTTP_ERROR', `Ollama at ${this.baseUrl} answered HTTP ${response.status}: ${errorText(text)}`, { status: response.status });
    }
  }

  /** An AbortController that fires on the caller's signal or after `timeoutMs` without progress. */
  private watchdog(abortSignal?: AbortSignal) {
    const timeoutMs = this.opts.timeoutMs ?? 120_000;
    const controller = new AbortController();
    let fired = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        fired = true;
        controller.abort(this.timeoutError());
      }, timeoutMs);
    };
    const onAbort = () => controller.abort(abortSignal!.reason);
    abortSignal?.addEventListener('abort', onAbort, { once: true });
    arm();
    return {
      controller,
      progress: arm,
      timedOut: () => fired,
      cleanup: () => {
        if (timer) clearTimeout(timer);
        abortSignal?.removeEventListener('abort', onAbort);
      },
    };
  }

  private timeoutError() {
    return new OllamaError('OLLAMA_TIMEOUT', `Ollama at ${this.baseUrl} made no progress for ${this.opts.timeoutMs ?? 120_000} ms`);
  }

  private async readAll(response: Response, progress: () => void): Promise<string> {
    let out = '';
    for await (const line of this.lines(response, progress)) out += line;
    return out;
  }

  private async *lines(response: Response, progress: () => void): AsyncGenerator<string> {
    if (!response.body) throw new OllamaError('OLLAMA_BAD_RESPONSE', `Ollama at ${this.baseUrl} sent no body`);
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      progress();
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) yield line;
      }
    }
    buf += decoder.decode();
    if (buf.trim()) yield buf.trim();
  }

  private parseLine(line: string): OllamaChatChunk {
    let chunk: OllamaChatChunk;
    try {
      chunk = JSON.parse(line) as OllamaChatChunk;
    } catch (e) {
      throw new OllamaError('OLLAMA_BAD_RESPONSE', `Ollama at ${this.baseUrl} sent a malformed line: ${line.slice(0, 120)}`, { cause: e });
    }
    if (!chunk || typeof chunk !== 'object') throw new OllamaError('OLLAMA_BAD_RESPONSE', `Ollama at ${this.baseUrl} sent a non-object line: ${line.slice(0, 120)}`);
    if (typeof chunk.error === 'string') throw new OllamaError('OLLAMA_BAD_RESPONSE', `Ollama at ${this.baseUrl} reported an error mid-stream: ${chunk.error}`);
    return chunk;
  }

  private translate(e: unknown, abortSignal: AbortSignal | undefined, controller: AbortController): unknown {
    if (isOllamaError(e)) return e;
    if (abortSignal?.aborted) return abortSignal.reason;
    if (controller.signal.aborted && isOllamaError(controller.signal.reason)) return controller.signal.reason;
    return new OllamaError('OLLAMA_BAD_RESPONSE', `Ollama at ${this.baseUrl} dropped the response: ${describe(e)}`, { cause: e });
  }
}

/**
 * The wait before retry number `attempt + 1`: `d = min(cap, initial * 2^attempt)`, then equal jitter,
 * a wait in `[d/2, d]` (`random` in [0, 1)).
 */
export function backoffDelay(attempt: number, initial: number, cap: number, random: () => number = Math.random): number {
  const d = Math.min(cap, initial * 2 ** attempt);
  return d / 2 + random() * (d / 2);
}

function isConnectError(e: unknown): boolean {
  const code = (e as { cause?: { code?: string } })?.cause?.code ?? (e as { code?: string })?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EAI_AGAIN' || code === 'ENOTFOUND' || code === 'UND_ERR_SOCKET' || code === 'EHOSTUNREACH';
}

function describe(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return [err?.message, err?.cause?.code ?? err?.cause?.message].filter(Boolean).join(': ');
}

function errorText(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: string };
    if (typeof j.error === 'string') return j.error;
  } catch {
    // not JSON
  }
  return body.slice(0, 200) || '(empty body)';
}
