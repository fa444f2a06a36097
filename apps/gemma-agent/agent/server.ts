/**
 * The agent server: ADK's REST API as the Python ADK server (`adk api_server`) speaks it, on node:http.
 *
 * Why not `@google/adk-devtools`' server: it accepts only camelCase bodies and answers snake_case `/run`
 * bodies with 404 (see ARCHITECTURE.md §4 "ADK"), while ADK's web UI, existing load tests and scripts send
 * snake_case. This server accepts both casings.
 *
 * Routes:
 * - `GET /health` → `{"status":"healthy", ...}`; `GET /list-apps` → `["production_agent"]`
 * - `POST /apps/{app}/users/{user}/sessions[/{session}]` (body = initial state, or `{"state": {...}}`)
 * - `GET|DELETE /apps/{app}/users/{user}/sessions/{session}`, `GET /apps/{app}/users/{user}/sessions`
 * - `POST /run` → array of events; `POST /run_sse` → `text/event-stream`, one `data: <event JSON>` per event
 * - `GET /dev-ui/` → ADK's web UI, when `@google/adk-devtools` is installed
 *
 * Errors are JSON `{"error": "...", "code": "..."}`: malformed JSON 400, missing fields 422, unknown
 * app/session 404, duplicate session 409, body over the limit 413, backend unavailable 503 (with
 * `Retry-After`), backend timeout 504, backend protocol error 502. Runs on one session are serialised;
 * different sessions run concurrently. `close()` stops accepting and waits for in-flight requests.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { BaseAgent, BasePlugin, Context, createEvent, Event, LlmRequest, LlmResponse, Runner, StreamingMode } from '@google/adk';
import type { Content } from '@google/genai';
import { isOllamaError } from './ollama-llm';
import { KeyedMutex, SessionExistsError, SessionStore } from './session-store';

/** Options of {@link AgentServer}. */
export interface AgentServerOptions {
  /** The root agent. */
  readonly agent: BaseAgent;
  /** ADK app name served. */
  readonly appName: string;
  /** Session store (initialised by `start()`). */
  readonly sessions: SessionStore;
  /** Largest request body, in bytes. @default 1048576 (1 MiB) */
  readonly maxBodyBytes?: number;
  /**
   * Directory of ADK's web UI, served under `/dev-ui/`. `false` disables it.
   * @default the `dist/browser` folder of `@google/adk-devtools` when installed
   */
  readonly devUiDir?: string | false;
  /** Extra fields for `/health` (e.g. the model name). @default {} */
  readonly healthInfo?: Record<string, unknown>;
  /** Logger. @default console */
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
}

/** An HTTP error with a JSON body. */
export class HttpError extends Error {
  constructor(public readonly status: number, message: string, public readonly code: string, public readonly extra: Record<string, unknown> = {}, public readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Model errors the connector raised become events with these codes (see {@link BackendErrorPlugin}). */
const BACKEND_STATUS: Record<string, number> = {
  OLLAMA_UNAVAILABLE: 503,
  OLLAMA_TIMEOUT: 504,
  OLLAMA_BAD_RESPONSE: 502,
  OLLAMA_HTTP_ERROR: 502,
};

/** Turns a connector error into a model-error response whose `errorCode` is the connector's stable code. */
export class BackendErrorPlugin extends BasePlugin {
  constructor() {
    super('backend_error_codes');
  }
  /** Maps {@link OllamaError}s; leaves other errors to ADK's default handling. */
  override async onModelErrorCallback(params: { callbackContext: Context; llmRequest: LlmRequest; error: Error }): Promise<LlmResponse | undefined> {
    const e = params.error;
    if (!isOllamaError(e)) return undefined;
    // ADK 2.0 yields this response as the event itself (without wrapping it like its default error path),
    // so it must be a whole Event: id, invocation, author and actions.
    return createEvent({
      invocationId: params.callbackContext.invocationId,
      author: params.callbackContext.agentName,
      errorCode: e.code,
      errorMessage: e.message,
      customMetadata: e.retryAfterSeconds !== undefined ? { retryAfterSeconds: e.retryAfterSeconds } : undefined,
    });
  }
}

/** Locates ADK's web UI bundled in `@google/adk-devtools`, if installed. */
export function findDevUiDir(): string | undefined {
  try {
    const main = require.resolve('@google/adk-devtools');
    let dir = path.dirname(main);
    for (let i = 0; i < 4; i++) {
      const candidate = path.join(dir, 'browser');
      if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
      dir = path.dirname(dir);
    }
  } catch {
    // not installed
  }
  return undefined;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.json': 'application/json', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.txt': 'text/plain',
};

function pick(body: Record<string, unknown>, snake: string, camel: string): unknown {
  return body[snake] !== undefined ? body[snake] : body[camel];
}

function camelKey(k: string): string {
  return k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** snake_case keys of a genai Content → camelCase, leaving function `args`/`response` payloads untouched. */
export function normalizeContent(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeContent);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = camelKey(k);
    out[key] = key === 'args' || key === 'response' ? v : normalizeContent(v);
  }
  return out;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `Malformed URL encoding: ${segment.slice(0, 100)}`, 'MALFORMED_URL');
  }
}

interface RunRequest {
  appName: string;
  userId: string;
  sessionId: string;
  newMessage: Content;
  streaming: boolean;
  stateDelta?: Record<string, unknown>;
}

/** The ADK REST API server. See the module comment. */
export class AgentServer {
  /** The node:http server. */
  public readonly http: http.Server;
  private readonly runner: Runner;
  private readonly opts: AgentServerOptions;
  private readonly maxBody: number;
  private readonly devUi?: string;
  private readonly log: Pick<Console, 'info' | 'warn' | 'error'>;
  private readonly sessionLocks = new KeyedMutex();
  private readonly inflight = new Set<Promise<void>>();
  private readonly started = Date.now();
  private closing = false;

  constructor(options: AgentServerOptions) {
    this.opts = options;
    this.maxBody = options.maxBodyBytes ?? 1024 * 1024;
    this.devUi = options.devUiDir === false ? undefined : options.devUiDir ?? findDevUiDir();
    this.log = options.logger ?? console;
    this.runner = new Runner({
      appName: options.appName,
      agent: options.agent,
      sessionService: options.sessions,
      plugins: [new BackendErrorPlugin()],
    });
    this.http = http.createServer((req, res) => this.track(this.handle(req, res)));
    this.http.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeouts
    this.http.headersTimeout = 66_000;
    this.http.requestTimeout = 0; // runs may stream for minutes; the connector has its own timeout
    this.http.on('clientError', (err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy(err);
    });
  }

  /** `http://host:port` once listening. */
  get url(): string {
    const a = this.http.address() as AddressInfo;
    return `http://${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`;
  }

  /** Initialises the session store and listens. */
  async listen(port: number, host = '0.0.0.0'): Promise<void> {
    await this.opts.sessions.init();
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
  }

  /**
   * Graceful shutdown: stops accepting connections, lets in-flight requests finish (up to `graceMs`),
   * then closes the remaining connections and the session store.
   */
  async close(graceMs = 25_000): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    const drained = Promise.all([...this.inflight]).then(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise<void>((r) => { timer = setTimeout(r, graceMs); })]);
    if (timer) clearTimeout(timer);
    this.http.closeAllConnections();
    await closed;
    await this.opts.sessions.close();
  }

  /** Requests being handled now. */
  get inflightCount(): number {
    return this.inflight.size;
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      if (this.closing) res.setHeader('connection', 'close');
      await this.route(req, res);
    } catch (e) {
      this.fail(res, e);
    }
  }

  private fail(res: http.ServerResponse, e: unknown): void {
    const err = e instanceof HttpError ? e : new HttpError(500, `Internal error: ${(e as Error)?.message ?? String(e)}`, 'INTERNAL');
    if (err.status >= 500) this.log.error(`[agent-server] ${err.status} ${err.code}: ${err.message}`);
    if (res.headersSent) {
      if (!res.writableEnded) res.end();
      return;
    }
    this.json(res, err.status, { error: err.message, code: err.code, ...err.extra }, err.headers);
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    const method = req.method ?? 'GET';
    if (p === '/health' || p === '/healthz') {
      return this.json(res, 200, {
        status: 'healthy', app_name: this.opts.appName, session_store: this.opts.sessions.kind,
        uptime_seconds: Math.round((Date.now() - this.started) / 1000), ...this.opts.healthInfo,
      });
    }
    if (p === '/list-apps' && method === 'GET') return this.json(res, 200, [this.opts.appName]);
    if (p === '/run' || p === '/run_sse') {
      if (method !== 'POST') throw new HttpError(405, `Use POST for ${p}`, 'METHOD_NOT_ALLOWED');
      const run = this.parseRun(await this.readJson(req));
      return p === '/run' ? this.run(req, res, run) : this.runSse(req, res, run);
    }
    const m = /^\/apps\/([^/]+)\/users\/([^/]+)\/sessions(?:\/([^/]+))?\/?$/.exec(p);
    if (m) {
      const [appName, userId, sessionId] = [m[1], m[2], m[3]].map((s) => (s === undefined ? undefined : decode(s)));
      this.checkApp(appName!);
      return this.sessions(req, res, method, appName!, userId!, sessionId);
    }
    if (p === '/' && this.devUi) {
      res.writeHead(302, { location: '/dev-ui/' }).end();
      return;
    }
    if (p.startsWith('/dev-ui') && this.devUi && method === 'GET') return this.static(res, p.slice('/dev-ui'.length));
    throw new HttpError(404, `Not found: ${method} ${p}`, 'NOT_FOUND');
  }

  private checkApp(appName: string): void {
    if (appName !== this.opts.appName) throw new HttpError(404, `App not found: ${appName}`, 'APP_NOT_FOUND');
  }

  private async sessions(req: http.IncomingMessage, res: http.ServerResponse, method: string, appName: string, userId: string, sessionId?: string): Promise<void> {
    const store = this.opts.sessions;
    if (method === 'POST') {
      const body = await this.readJson(req, true);
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
        throw new HttpError(422, 'The body must be a JSON object: the initial state, or {"state": {...}}', 'INVALID_BODY');
      }
      const obj = (body ?? {}) as Record<string, unknown>;
      const keys = Object.keys(obj);
      const wrapped = keys.length > 0 && keys.every((k) => k === 'state' || k === 'events') && (obj.state === undefined || (typeof obj.state === 'object' && obj.state !== null && !Array.isArray(obj.state)));
      const state = (wrapped ? obj.state ?? {} : obj) as Record<string, unknown>;
      try {
        const session = await store.createSession({ appName, userId, sessionId, state });
        return this.json(res, 200, session);
      } catch (e) {
        if (e instanceof SessionExistsError) throw new HttpError(409, e.message, 'SESSION_EXISTS');
        throw e;
      }
    }
    if (method === 'GET' && sessionId === undefined) {
      const list = await store.listSessions({ appName, userId });
      return this.json(res, 200, list.sessions);
    }
    if (sessionId === undefined) throw new HttpError(405, `${method} is not allowed on a session list`, 'METHOD_NOT_ALLOWED');
    if (method === 'GET') {
      const session = await store.getSession({ appName, userId, sessionId });
      if (!session) throw new HttpError(404, `Session not found: ${sessionId}`, 'SESSION_NOT_FOUND');
      return this.json(res, 200, session);
    }
    if (method === 'DELETE') {
      await this.sessionLocks.run(`${appName}\u0000${userId}\u0000${sessionId}`, async () => {
        const session = await store.getSession({ appName, userId, sessionId, config: { numRecentEvents: 1 } });
        if (!session) throw new HttpError(404, `Session not found: ${sessionId}`, 'SESSION_NOT_FOUND');
        await store.deleteSession({ appName, userId, sessionId });
      });
      res.writeHead(204).end();
      return;
    }
    throw new HttpError(405, `${method} is not allowed on a session`, 'METHOD_NOT_ALLOWED');
  }

  /** Reads and parses a JSON body within the size limit. `optional`: an empty body is `undefined`. */
  private async readJson(req: http.IncomingMessage, optional = false): Promise<unknown> {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBody) {
      req.resume();
      throw new HttpError(413, `Request body of ${declared} bytes exceeds the limit of ${this.maxBody} bytes`, 'BODY_TOO_LARGE', {}, { connection: 'close' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > this.maxBody) {
        req.resume();
        throw new HttpError(413, `Request body exceeds the limit of ${this.maxBody} bytes`, 'BODY_TOO_LARGE', {}, { connection: 'close' });
      }
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text.trim()) {
      if (optional) return undefined;
      throw new HttpError(422, 'A JSON body is required', 'MISSING_BODY');
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new HttpError(400, `Malformed JSON: ${(e as Error).message}`, 'MALFORMED_JSON');
    }
  }

  private parseRun(body: unknown): RunRequest {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(422, 'The body must be a JSON object', 'INVALID_BODY');
    const b = body as Record<string, unknown>;
    const fields: Array<[string, string]> = [['app_name', 'appName'], ['user_id', 'userId'], ['session_id', 'sessionId'], ['new_message', 'newMessage']];
    const missing = fields.filter(([s, c]) => {
      const v = pick(b, s, c);
      return v === undefined || v === null || v === '';
    }).map(([s]) => s);
    if (missing.length) {
      throw new HttpError(422, `Missing required field(s): ${missing.join(', ')} (snake_case or camelCase)`, 'MISSING_FIELDS', {
        detail: missing.map((f) => ({ loc: ['body', f], msg: 'Field required', type: 'missing' })),
      });
    }
    for (const [s, c] of fields.slice(0, 3)) {
      if (typeof pick(b, s, c) !== 'string') throw new HttpError(422, `${s} must be a string`, 'INVALID_FIELD');
    }
    const newMessage = normalizeContent(pick(b, 'new_message', 'newMessage')) as Content;
    if (typeof newMessage !== 'object' || !Array.isArray(newMessage.parts) || newMessage.parts.length === 0) {
      throw new HttpError(422, 'new_message must be a Content with a non-empty "parts" array', 'INVALID_FIELD');
    }
    newMessage.role = newMessage.role ?? 'user';
    const stateDelta = pick(b, 'state_delta', 'stateDelta');
    if (stateDelta !== undefined && stateDelta !== null && (typeof stateDelta !== 'object' || Array.isArray(stateDelta))) {
      throw new HttpError(422, 'state_delta must be an object', 'INVALID_FIELD');
    }
    const appName = pick(b, 'app_name', 'appName') as string;
    this.checkApp(appName);
    return {
      appName,
      userId: pick(b, 'user_id', 'userId') as string,
      sessionId: pick(b, 'session_id', 'sessionId') as string,
      newMessage,
      streaming: pick(b, 'streaming', 'streaming') === true,
      stateDelta: (stateDelta ?? undefined) as Record<string, unknown> | undefined,
    };
  }

  /** Runs the agent for one request; serialised per session. Aborts when the client goes away. */
  private execute(req: http.IncomingMessage, res: http.ServerResponse, run: RunRequest, onEvent: (e: Event) => void | Promise<void>): Promise<void> {
    const key = `${run.appName}\u0000${run.userId}\u0000${run.sessionId}`;
    return this.sessionLocks.run(key, async () => {
      const abort = new AbortController();
      const onClose = () => {
        if (!res.writableFinished) abort.abort(new Error('client disconnected'));
      };
      res.on('close', onClose);
      req.socket.on('close', onClose);
      let first = true;
      try {
        for await (const event of this.runner.runAsync({
          userId: run.userId, sessionId: run.sessionId, newMessage: run.newMessage, stateDelta: run.stateDelta,
          runConfig: { streamingMode: run.streaming ? StreamingMode.SSE : StreamingMode.NONE },
          abortSignal: abort.signal,
        })) {
          first = false;
          await onEvent(event);
        }
      } catch (e) {
        // The runner loads the session itself and throws this before yielding anything.
        if (first && /^Session not found/.test((e as Error)?.message ?? '')) throw new HttpError(404, `Session not found: ${run.sessionId}`, 'SESSION_NOT_FOUND');
        throw e;
      } finally {
        res.off('close', onClose);
        req.socket.off('close', onClose);
      }
    });
  }

  private backendError(event: Event): HttpError | undefined {
    const status = event.errorCode ? BACKEND_STATUS[event.errorCode] : undefined;
    if (!event.errorCode) return undefined;
    if (!status) return new HttpError(500, event.errorMessage ?? `Model error ${event.errorCode}`, event.errorCode);
    const retryAfter = (event.customMetadata?.retryAfterSeconds as number | undefined) ?? 5;
    return new HttpError(status, event.errorMessage ?? event.errorCode, event.errorCode, {}, status === 503 ? { 'retry-after': String(retryAfter) } : {});
  }

  private async run(req: http.IncomingMessage, res: http.ServerResponse, run: RunRequest): Promise<void> {
    const events: Event[] = [];
    await this.execute(req, res, run, (e) => {
      events.push(e);
    });
    const failed = events.map((e) => this.backendError(e)).find((e) => e !== undefined);
    if (failed) throw new HttpError(failed.status, failed.message, failed.code, { events }, failed.headers);
    this.json(res, 200, events);
  }

  private async runSse(req: http.IncomingMessage, res: http.ServerResponse, run: RunRequest): Promise<void> {
    let opened = false;
    const open = () => {
      if (opened) return;
      opened = true;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: this.closing ? 'close' : 'keep-alive', 'x-accel-buffering': 'no' });
    };
    try {
      await this.execute(req, res, run, async (e) => {
        const failed = this.backendError(e);
        // Before the first frame a backend failure still gets its HTTP status.
        if (failed && !opened) throw failed;
        open();
        const frame = failed ? `data: ${JSON.stringify({ ...e, error: failed.message, code: failed.code })}\n\n` : `data: ${JSON.stringify(e)}\n\n`;
        if (!res.write(frame)) await new Promise<void>((r) => res.once('drain', () => r()).once('close', () => r()));
      });
    } catch (e) {
      if (!opened) throw e;
      const err = e instanceof HttpError ? e : new HttpError(500, (e as Error).message, 'INTERNAL');
      this.log.error(`[agent-server] run_sse failed: ${err.message}`);
      if (!res.writableEnded) res.write(`data: ${JSON.stringify({ error: err.message, code: err.code })}\n\n`);
    }
    open();
    res.end();
  }

  private async static(res: http.ServerResponse, rel: string): Promise<void> {
    const root = this.devUi!;
    let file = path.normalize(path.join(root, decode(rel || '/')));
    if (file !== root && !file.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) throw new HttpError(404, 'Not found', 'NOT_FOUND');
    let stat = await fs.promises.stat(file).catch(() => undefined);
    if (!stat || stat.isDirectory()) {
      // Single-page app: unknown paths get index.html.
      file = path.join(root, 'index.html');
      stat = await fs.promises.stat(file).catch(() => undefined);
      if (!stat) throw new HttpError(404, 'Not found', 'NOT_FOUND');
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'content-length': stat.size });
    await new Promise<void>((resolve) => fs.createReadStream(file).on('error', () => { res.destroy(); resolve(); }).pipe(res).on('finish', resolve).on('close', resolve));
  }
}
