/**
 * Starts the real agent server (Gem + OllamaLlm + SessionStore) on 127.0.0.1:0 against a backend URL
 * (normally the fake Ollama test double), for tests, the load-test check and the benchmark.
 */
import { LogLevel, setLogLevel } from '@google/adk';
import { createGemAgent } from '../../../../apps/gemma-agent/agent/agent';
import { AgentServer } from '../../../../apps/gemma-agent/agent/server';
import { SessionStore } from '../../../../apps/gemma-agent/agent/session-store';

// ADK logs every plugin registration at INFO; keep test and benchmark output readable.
setLogLevel(LogLevel.WARN);

/** Options of {@link startAgent}. */
export interface HarnessOptions {
  readonly ollamaUrl: string;
  readonly sessionDbUrl?: string;
  readonly appName?: string;
  readonly maxBodyBytes?: number;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  readonly devUiDir?: string | false;
}

/** A running agent server. */
export interface Harness {
  readonly server: AgentServer;
  readonly url: string;
  close(graceMs?: number): Promise<void>;
}

/** Starts the agent server. */
export async function startAgent(o: HarnessOptions): Promise<Harness> {
  const server = new AgentServer({
    agent: createGemAgent({
      model: 'gemma3:270m', ollamaApiBase: o.ollamaUrl, timeoutMs: o.timeoutMs ?? 5000, maxRetries: o.maxRetries ?? 2,
      initialBackoffMs: 1, maxBackoffMs: 5, idTokenProvider: null,
    }),
    appName: o.appName ?? 'production_agent',
    sessions: new SessionStore(o.sessionDbUrl ?? 'memory://'),
    maxBodyBytes: o.maxBodyBytes,
    devUiDir: o.devUiDir ?? false,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  await server.listen(0, '127.0.0.1');
  return { server, url: server.url, close: (g) => server.close(g ?? 2000) };
}

/** fetch + JSON helper. */
export async function call(base: string, method: string, path: string, body?: unknown, raw?: string): Promise<{ status: number; body: any; headers: Headers; text: string }> {
  const res = await fetch(base + path, {
    method,
    headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {},
    body: raw ?? (body !== undefined ? JSON.stringify(body) : undefined),
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, headers: res.headers, text };
}
