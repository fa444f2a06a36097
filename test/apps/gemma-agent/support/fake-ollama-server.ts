/**
 * TEST DOUBLE: a fake Ollama server speaking just enough of `/api/chat` (streamed NDJSON and one JSON
 * object) for the connector, server, load-test and benchmark code. It never runs a model: the answer to a
 * chat is computed from the last user message (or scripted). Tests can make it answer 503, stall, drop the
 * connection or send malformed lines, per request or with a probability.
 *
 * Listens on 127.0.0.1 with an ephemeral port; `close()` stops it (and drops open connections).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

/** What the double does with one request. */
export type FakeOllamaBehaviour =
  /** Answer normally (streamed or not, as the request asks). */
  | { kind: 'ok' }
  /** Answer with a tool call instead of text. */
  | { kind: 'toolCall'; name: string; args: Record<string, unknown> }
  /** HTTP 503 `{"error":"server busy, please try again.  maximum pending requests exceeded"}` (Ollama's queue full). */
  | { kind: '503'; retryAfter?: number }
  /** Any other HTTP error status with Ollama's `{"error": ...}` body. */
  | { kind: 'http'; status: number; error: string }
  /** Never answer (or answer headers then stop, with `afterHeaders`) until the client goes away or `close()`. */
  | { kind: 'stall'; afterHeaders?: boolean }
  /** Send `afterChunks` NDJSON lines, then destroy the socket. */
  | { kind: 'drop'; afterChunks?: number }
  /** Send one valid line, then a line that is not JSON. */
  | { kind: 'malformed' }
  /** Send a mid-stream `{"error": ...}` line. */
  | { kind: 'streamError'; error: string };

/** A request the double received. */
export interface RecordedRequest {
  /** Request path. */
  readonly path: string;
  /** Request headers. */
  readonly headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined if none). */
  readonly body: any;
}

/** Options of {@link startFakeOllama}. */
export interface FakeOllamaOptions {
  /** Delay between streamed chunks, in ms. @default 0 */
  readonly chunkDelayMs?: number;
  /** Decides the behaviour of every request not covered by a scripted one. @default always ok */
  readonly decide?: (req: RecordedRequest, index: number) => FakeOllamaBehaviour;
  /** Keep the bodies of received requests (memory grows with load). @default true */
  readonly record?: boolean;
}

/** A running double. */
export interface FakeOllama {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests received (when recording). */
  readonly requests: RecordedRequest[];
  /** Count of `/api/chat` requests received. */
  readonly chatCount: () => number;
  /** Scripts the next requests' behaviours, in order (then `decide` applies again). */
  script(...behaviours: FakeOllamaBehaviour[]): void;
  /** Stops the server and destroys open connections. */
  close(): Promise<void>;
}

/** The deterministic answer the double gives to `text`. */
export function fakeAnswer(text: string): string {
  return `Gem (test double) heard: ${text}`;
}

function lastUserText(body: any): string {
  const msgs: any[] = Array.isArray(body?.messages) ? body.messages : [];
  for (let i = msgs.length - 1; i >= 0; i--) {
    if (msgs[i].role === 'user') return String(msgs[i].content ?? '');
    if (msgs[i].role === 'tool') return `tool ${msgs[i].tool_name} returned ${msgs[i].content}`;
  }
  return '';
}

/** Starts the double on 127.0.0.1:0. */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const requests: RecordedRequest[] = [];
  const scripted: FakeOllamaBehaviour[] = [];
  const sockets = new Set<import('net').Socket>();
  let chats = 0;
  const delay = options.chunkDelayMs ?? 0;
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: any;
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid JSON' }));
          return;
        }
        const rec: RecordedRequest = { path: req.url ?? '', headers: req.headers, body };
        if (options.record ?? true) requests.push(rec);
        if (req.method === 'GET' && (req.url === '/' || req.url === '/api/version')) {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('Ollama is running');
          return;
        }
        if (req.method !== 'POST' || req.url !== '/api/chat') {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
          return;
        }
        const index = chats++;
        const behaviour = scripted.shift() ?? options.decide?.(rec, index) ?? { kind: 'ok' };
        await respond(behaviour, body, res);
      })().catch(() => res.destroy());
    });
  });

  async function respond(b: FakeOllamaBehaviour, body: any, res: http.ServerResponse): Promise<void> {
    const model = body?.model ?? 'unknown';
    const stream = body?.stream !== false;
    const line = (o: object) => JSON.stringify({ model, created_at: new Date().toISOString(), ...o }) + '\n';
    const head = () => res.writeHead(200, { 'content-type': stream ? 'application/x-ndjson' : 'application/json' });
    switch (b.kind) {
      case '503':
        res.writeHead(503, { 'content-type': 'application/json', ...(b.retryAfter !== undefined ? { 'retry-after': String(b.retryAfter) } : {}) })
          .end(JSON.stringify({ error: 'server busy, please try again.  maximum pending requests exceeded' }));
        return;
      case 'http':
        res.writeHead(b.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: b.error }));
        return;
      case 'stall':
        if (b.afterHeaders) {
          head();
          res.write(stream ? line({ message: { role: 'assistant', content: '' }, done: false }) : '');
        }
        return; // never finishes; the client's timeout or close() ends it
      case 'drop':
        head();
        for (let i = 0; i < (b.afterChunks ?? 1); i++) res.write(line({ message: { role: 'assistant', content: `part${i} ` }, done: false }));
        await wait(5);
        res.socket?.destroy();
        return;
      case 'malformed':
        head();
        res.write(line({ message: { role: 'assistant', content: 'ok ' }, done: false }));
        res.end('{"message": {"role": "assistant", "content": "trunc\n');
        return;
      case 'streamError':
        head();
        res.end(line({ error: b.error }));
        return;
      case 'toolCall': {
        const message = { role: 'assistant', content: '', tool_calls: [{ function: { name: b.name, arguments: b.args } }] };
        head();
        if (stream) {
          res.write(line({ message, done: false }));
          res.end(line({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 10, eval_count: 5 }));
        } else {
          res.end(line({ message, done: true, done_reason: 'stop', prompt_eval_count: 10, eval_count: 5 }));
        }
        return;
      }
      case 'ok': {
        const answer = fakeAnswer(lastUserText(body));
        const words = answer.split(/(?<= )/);
        head();
        if (!stream) {
          res.end(line({ message: { role: 'assistant', content: answer }, done: true, done_reason: 'stop', prompt_eval_count: 12, eval_count: words.length }));
          return;
        }
        for (const w of words) {
          if (res.destroyed) return;
          res.write(line({ message: { role: 'assistant', content: w }, done: false }));
          if (delay) await wait(delay);
        }
        res.end(line({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 12, eval_count: words.length }));
        return;
      }
    }
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    chatCount: () => chats,
    script: (...b) => scripted.push(...b),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
