/**
 * Entry point of the agent service (`npm run agent:dev`, and the container's command).
 *
 * Environment: `PORT` (default 8080), `HOST` (default 0.0.0.0), `OLLAMA_API_BASE`, `GEMMA_MODEL_NAME`,
 * `ADK_APP_NAME`, `SESSION_DB_URL` (default `sqlite://./.adk/sessions.db`), `MAX_BODY_BYTES`,
 * `SHUTDOWN_GRACE_MS` (default 25000: Cloud Run sends SIGKILL 10 s after SIGTERM only for a scale-in,
 * but allows the request timeout to finish in-flight requests on a revision change).
 * SIGTERM / SIGINT: stop accepting, finish in-flight requests, close the session store, exit 0.
 */
import { agentConfigFromEnv, createGemAgent } from './agent';
import { AgentServer } from './server';
import { DEFAULT_SESSION_DB_URL, SessionStore } from './session-store';

/** Starts the server from the environment; resolves once listening. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<AgentServer> {
  const config = agentConfigFromEnv(env);
  const sessions = new SessionStore(env.SESSION_DB_URL || DEFAULT_SESSION_DB_URL);
  const server = new AgentServer({
    agent: createGemAgent(config),
    appName: config.appName!,
    sessions,
    maxBodyBytes: env.MAX_BODY_BYTES ? Number(env.MAX_BODY_BYTES) : undefined,
    healthInfo: { model: config.model, backend: config.ollamaApiBase },
  });
  const port = Number(env.PORT || 8080);
  await server.listen(port, env.HOST || '0.0.0.0');
  console.info(`[gemma-agent] app ${config.appName} (model ${config.model} at ${config.ollamaApiBase}, sessions ${sessions.url}) listening on ${server.url}`);
  const grace = Number(env.SHUTDOWN_GRACE_MS || 25_000);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.info(`[gemma-agent] ${signal}: finishing ${server.inflightCount} in-flight request(s)`);
    server.close(grace).then(
      () => process.exit(0),
      (e) => {
        console.error('[gemma-agent] shutdown failed', e);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return server;
}

if (require.main === module) {
  main().catch((e) => {
    console.error('[gemma-agent] failed to start', e);
    process.exit(1);
  });
}
