/**
 * The session store, selected by a URL (`SESSION_DB_URL`):
 * - `sqlite://<path>` — ADK's `DatabaseSessionService` on an embedded SQLite file (the default,
 *   `sqlite://./.adk/sessions.db`; one instance only);
 * - `postgresql://user:pass@host:5432/db` (or `postgres://`) — the same service on PostgreSQL
 *   (Cloud SQL / RDS): every agent instance shares sessions;
 * - `memory://` — ADK's `InMemorySessionService` (tests and benchmarks; lost on restart).
 *
 * {@link SessionStore} wraps the ADK service to make it safe under concurrent requests: it initialises
 * the database once at startup (ADK's lazy `init()` is not re-entrant), retries the unique-key race of
 * two first sessions creating the same app/user state rows, and serialises writes on SQLite (one
 * file, one writer).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AppendEventRequest, BaseSessionService, CreateSessionRequest, DatabaseSessionService, DeleteSessionRequest,
  Event, GetSessionRequest, InMemorySessionService, ListSessionsRequest, ListSessionsResponse, Session,
} from '@google/adk';

/** The default store: a SQLite file under the working directory. */
export const DEFAULT_SESSION_DB_URL = 'sqlite://./.adk/sessions.db';

/** Thrown by `createSession` when the id is taken; the server answers 409. */
export class SessionExistsError extends Error {
  constructor(public readonly sessionId: string) {
    super(`Session already exists: ${sessionId}`);
    this.name = 'SessionExistsError';
  }
}

/** Redacts the password of a database URL for logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** A tiny FIFO mutex. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  /** Runs `fn` after every earlier holder finished. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }
}

/** Per-key mutexes that are dropped when idle. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();
  /** Runs `fn` after every earlier holder of `key` finished. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const result = prev.then(fn, fn);
    const tail = result.then(() => undefined, () => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
  /** Keys with a holder or waiters. */
  get size(): number {
    return this.tails.size;
  }
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { name?: string; code?: string; message?: string };
  return err?.name === 'UniqueConstraintViolationException' || err?.code === '23505' || /UNIQUE constraint failed|duplicate key/i.test(err?.message ?? '');
}

/**
 * MikroORM options for a PostgreSQL URL. MikroORM reads only user, password, host, port and database from
 * the URL; this adds libpq's `?host=` (a Unix-socket directory such as Cloud Run's Cloud SQL mount:
 * `postgresql://USER:PASS@localhost/DB?host=/cloudsql/PROJECT:REGION:INSTANCE` — the WHATWG URL parser
 * rejects an empty host, hence `@localhost`) and `?sslmode=` (`disable`; `require` = encrypted without
 * certificate verification, as libpq; `verify-ca` / `verify-full` = verified against the system CAs).
 */
export function postgresOptions(url: string): { clientUrl: string; host?: string; driverOptions?: { connection: { ssl: boolean | { rejectUnauthorized: boolean } } } } {
  const u = new URL(url);
  const host = u.searchParams.get('host') || undefined;
  const sslmode = u.searchParams.get('sslmode');
  const ssl: Record<string, boolean | { rejectUnauthorized: boolean }> = {
    'disable': false, 'allow': false, 'prefer': false, 'require': { rejectUnauthorized: false },
    'verify-ca': { rejectUnauthorized: true }, 'verify-full': { rejectUnauthorized: true },
  };
  if (sslmode !== null && !(sslmode in ssl)) throw new Error(`Unsupported sslmode "${sslmode}" in SESSION_DB_URL (use ${Object.keys(ssl).join(', ')})`);
  return {
    clientUrl: url,
    ...(host ? { host } : {}),
    ...(sslmode !== null && ssl[sslmode] !== false ? { driverOptions: { connection: { ssl: ssl[sslmode] } } } : {}),
  };
}

/** The ADK session service behind {@link SessionStore}, by URL. */
export function sessionServiceFromUrl(url: string): BaseSessionService {
  if (url === 'memory://' || url === 'memory') return new InMemorySessionService();
  if (url.startsWith('sqlite://')) {
    const file = url.substring('sqlite://'.length);
    if (file && file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new DatabaseSessionService(url);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const extra = postgresOptions(url);
    if (!extra.host && !extra.driverOptions) return new DatabaseSessionService(url);
    // Loaded here only: SQLite deployments never load the PostgreSQL driver.
    const { PostgreSqlDriver } = require('@mikro-orm/postgresql') as typeof import('@mikro-orm/postgresql');
    return new DatabaseSessionService({ driver: PostgreSqlDriver, ...extra } as ConstructorParameters<typeof DatabaseSessionService>[0]);
  }
  throw new Error(`SESSION_DB_URL must start with sqlite://, postgresql:// (or postgres://) or memory://; got ${redactUrl(url)}`);
}

/** A concurrency-safe session service; see the module comment. */
export class SessionStore extends BaseSessionService {
  /** The store's URL (password redacted). */
  public readonly url: string;
  /** Kind of store. */
  public readonly kind: 'sqlite' | 'postgresql' | 'memory';
  private readonly inner: BaseSessionService;
  private readonly writes?: Mutex;

  constructor(url: string = DEFAULT_SESSION_DB_URL, inner?: BaseSessionService) {
    super();
    this.url = redactUrl(url);
    this.kind = url.startsWith('sqlite://') ? 'sqlite' : url.startsWith('memory') ? 'memory' : 'postgresql';
    this.inner = inner ?? sessionServiceFromUrl(url);
    if (this.kind === 'sqlite') this.writes = new Mutex();
  }

  /** Connects and creates the schema; call once before serving. */
  async init(): Promise<void> {
    if (!(this.inner instanceof DatabaseSessionService)) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.inner.init();
        break;
      } catch (e) {
        // Several instances starting on a fresh database race to create the tables: the losers retry.
        if (attempt >= 3 || !/already exists|duplicate key/i.test((e as Error).message ?? '')) throw e;
        await this.close().catch(() => undefined);
        (this.inner as unknown as { orm?: unknown }).orm = undefined;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    if (this.kind === 'sqlite') {
      // WAL: readers do not block the writer; NORMAL: no fsync per commit (durable at checkpoints, safe
      // against corruption). Without these every event append waits for a disk flush.
      const orm = (this.inner as unknown as { orm: { em: { getConnection(): { execute(sql: string): Promise<unknown> } } } }).orm;
      const conn = orm.em.getConnection();
      await conn.execute('PRAGMA journal_mode = WAL');
      await conn.execute('PRAGMA synchronous = NORMAL');
      await conn.execute('PRAGMA busy_timeout = 5000');
    }
  }

  /** Closes the database connection pool. */
  async close(): Promise<void> {
    const orm = (this.inner as unknown as { orm?: { close(force?: boolean): Promise<void> } }).orm;
    if (orm) await orm.close(true);
  }

  private write<T>(fn: () => Promise<T>): Promise<T> {
    return this.writes ? this.writes.run(fn) : fn();
  }

  /** Creates a session; throws {@link SessionExistsError} when the id is taken. */
  override async createSession(request: CreateSessionRequest): Promise<Session> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.write(async () => {
          if (request.sessionId && (await this.inner.getSession({ appName: request.appName, userId: request.userId, sessionId: request.sessionId }))) {
            throw new SessionExistsError(request.sessionId);
          }
          return this.inner.createSession(request);
        });
      } catch (e) {
        if (e instanceof SessionExistsError) throw e;
        // Two first sessions of one app/user race to insert the shared state rows: the loser retries.
        if (isUniqueViolation(e) && attempt < 3) {
          if (request.sessionId && (await this.inner.getSession({ appName: request.appName, userId: request.userId, sessionId: request.sessionId }))) {
            throw new SessionExistsError(request.sessionId);
          }
          continue;
        }
        // ADK's own check, when another instance created the id between ours and the insert.
        if (request.sessionId && /^Session with id .* already exists\.$/.test((e as Error).message ?? '')) throw new SessionExistsError(request.sessionId);
        throw e;
      }
    }
  }

  /** Gets a session. */
  override getSession(request: GetSessionRequest): Promise<Session | undefined> {
    return this.inner.getSession(request);
  }

  /** Lists sessions. */
  override listSessions(request: ListSessionsRequest): Promise<ListSessionsResponse> {
    return this.inner.listSessions(request);
  }

  /** Deletes a session. */
  override deleteSession(request: DeleteSessionRequest): Promise<void> {
    return this.write(() => this.inner.deleteSession(request));
  }

  /** Appends an event (persists it and updates `session` in place). */
  override appendEvent(request: AppendEventRequest): Promise<Event> {
    return this.write(() => this.inner.appendEvent(request));
  }
}
