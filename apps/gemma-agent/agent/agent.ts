/**
 * "Gem", the zoo tour guide: an ADK `LlmAgent` on a Gemma model served by Ollama. No tools.
 *
 * Configuration (environment, read by {@link agentConfigFromEnv}):
 * - `GEMMA_MODEL_NAME` — Ollama model tag (default `gemma3:270m`);
 * - `OLLAMA_API_BASE` — the Ollama backend (default `http://localhost:11434`);
 * - `ADK_APP_NAME` — the ADK app name clients use in `/apps/{app}/...` and `app_name` (default `production_agent`).
 */
import { LlmAgent } from '@google/adk';
import { IdTokenProvider, OllamaLlm } from './ollama-llm';

/** The default ADK app name. */
export const DEFAULT_APP_NAME = 'production_agent';
/** The default Ollama model tag. */
export const DEFAULT_MODEL = 'gemma3:270m';
/** The default backend. */
export const DEFAULT_OLLAMA_API_BASE = 'http://localhost:11434';

/** Gem's instruction. */
export const GEM_INSTRUCTION = `You are "Gem", a cheerful and friendly tour guide at a zoo.
Answer visitors' questions about animals from general animal knowledge: habitats, diet, lifespan,
behaviour and conservation status. Keep answers short, warm and accurate, and suit them to families.
You do not know anything specific about this zoo: when asked about the names of its animals, where their
enclosures are, or when they are fed, say plainly that you cannot know that and suggest asking the zoo staff
or checking the map and signs. If you do not know an answer, say so instead of guessing.`;

/** Settings of the agent. */
export interface GemAgentConfig {
  /** ADK app name. @default 'production_agent' */
  readonly appName?: string;
  /** Ollama model tag. @default 'gemma3:270m' */
  readonly model?: string;
  /** Ollama base URL. @default 'http://localhost:11434' */
  readonly ollamaApiBase?: string;
  /** Backend timeout without progress, ms. @default 120000 */
  readonly timeoutMs?: number;
  /** 503 retries. @default 4 */
  readonly maxRetries?: number;
  /** First backoff, ms. @default 250 */
  readonly initialBackoffMs?: number;
  /** Longest backoff, ms. @default 4000 */
  readonly maxBackoffMs?: number;
  /** ID tokens (tests inject a fake; `null` disables). @default automatic for Cloud Run URLs */
  readonly idTokenProvider?: IdTokenProvider | null;
}

/** Reads {@link GemAgentConfig} from the environment. */
export function agentConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GemAgentConfig {
  const num = (name: string) => (env[name] !== undefined && env[name] !== '' ? Number(env[name]) : undefined);
  return {
    appName: env.ADK_APP_NAME || DEFAULT_APP_NAME,
    model: env.GEMMA_MODEL_NAME || DEFAULT_MODEL,
    ollamaApiBase: env.OLLAMA_API_BASE || DEFAULT_OLLAMA_API_BASE,
    timeoutMs: num('OLLAMA_TIMEOUT_MS'),
    maxRetries: num('OLLAMA_MAX_RETRIES'),
  };
}

/** Builds Gem. */
export function createGemAgent(config: GemAgentConfig = {}): LlmAgent {
  const model = new OllamaLlm({
    model: config.model ?? DEFAULT_MODEL,
    baseUrl: config.ollamaApiBase ?? DEFAULT_OLLAMA_API_BASE,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    initialBackoffMs: config.initialBackoffMs,
    maxBackoffMs: config.maxBackoffMs,
    idTokenProvider: config.idTokenProvider,
  });
  return new LlmAgent({
    name: 'gem_zoo_guide',
    description: 'Gem, a cheerful zoo tour guide who answers general questions about animals.',
    model,
    instruction: GEM_INSTRUCTION,
  });
}
