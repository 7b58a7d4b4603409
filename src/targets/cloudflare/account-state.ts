import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { ActionRequest } from '../../state/control.ts';
import type { ReleaseStore, StoredRelease } from '../../state/release-store.ts';
import type { CloudflareApi } from './api-client.ts';
import { NOW_MS } from './guard/guard-worker.ts';

export { NOW_MS };

interface D1Answer<T> {
  results: T[];
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS shipshape_leases (key TEXT PRIMARY KEY, release TEXT, generation INTEGER NOT NULL,
     pid INTEGER, host TEXT, started_at TEXT, expires_at INTEGER, ttl_ms INTEGER NOT NULL DEFAULT 0,
     plan TEXT, restored TEXT)`,
  `CREATE TABLE IF NOT EXISTS shipshape_releases (release TEXT PRIMARY KEY, worker TEXT NOT NULL, env TEXT,
     lines INTEGER NOT NULL DEFAULT 0)`,
  'CREATE INDEX IF NOT EXISTS shipshape_releases_worker ON shipshape_releases (worker, release)',
  `CREATE TABLE IF NOT EXISTS shipshape_journal (release TEXT NOT NULL, seq INTEGER NOT NULL, line TEXT NOT NULL,
     PRIMARY KEY (release, seq))`,
  `CREATE TABLE IF NOT EXISTS shipshape_requests (release TEXT PRIMARY KEY, action TEXT NOT NULL, actor TEXT NOT NULL,
     reason TEXT, at TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS shipshape_guard (name TEXT PRIMARY KEY, installed_at TEXT, schedule TEXT,
     last_run TEXT, last_result TEXT)`,
];

/** Lines per request: D1 takes 100 bound parameters per statement and a batch of many statements per call. */
const CHUNK = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The release state of an account in one of its D1 databases (`cloudflare.state.d1`): the lease that is the
 * release lock, and the journals every runner reads. Tables are created on first use; the database is the user's
 * own, kept apart from the app's data so that restoring the app's database never rewinds the history.
 */
export class AccountState implements ReleaseStore {
  readonly where: string;
  private id: Promise<string> | null = null;

  constructor(
    private readonly api: CloudflareApi,
    private readonly database: string,
    /** Databases the Worker binds: the state may not share one (a Time Travel restore would rewind it). */
    private readonly appDatabases: string[],
  ) {
    this.where = `D1 database "${database}"`;
  }

  /** Runs one statement, answering its rows. `idempotent`: may be sent again after a dropped connection. */
  async query<T>(sql: string, params: unknown[] = [], idempotent = false): Promise<T[]> {
    const id = await this.ready();
    const answers = await this.api.call<Array<D1Answer<T>>>('POST', this.path(id), {
      body: { sql, params },
      idempotent,
    });
    return answers.at(-1)?.results ?? [];
  }

  private async batch(statements: Array<{ sql: string; params: unknown[] }>): Promise<void> {
    const id = await this.ready();
    // Every statement here is an upsert or INSERT OR IGNORE: sending the batch twice changes nothing more.
    await this.api.call('POST', this.path(id), { body: { batch: statements }, idempotent: true });
  }

  private path(id: string): string {
    return this.api.account(`/d1/database/${encodeURIComponent(id)}/query`);
  }

  /** The database's id, looked up by name once, with its tables created. */
  ready(): Promise<string> {
    this.id ??= this.open().catch((err) => {
      this.id = null;
      throw err;
    });
    return this.id;
  }

  private async open(): Promise<string> {
    const id = await this.lookUp();
    if (this.appDatabases.includes(id))
      throw new ShipshapeError('STATE_STORE_SHARED', { database: this.database });
    await this.api.call('POST', this.path(id), {
      body: { batch: SCHEMA.map((sql) => ({ sql, params: [] })) },
      idempotent: true,
    });
    return id;
  }

  private async lookUp(): Promise<string> {
    if (UUID.test(this.database)) return this.database;
    const found = await this.api.call<Array<{ uuid: string; name: string }>>(
      'GET',
      this.api.account('/d1/database'),
      { query: { name: this.database } },
    );
    const match = found.find((d) => d.name === this.database);
    if (!match) throw new ShipshapeError('STATE_STORE_MISSING', { database: this.database });
    return match.uuid;
  }

  async releases(worker: string, limit: number): Promise<StoredRelease[]> {
    return this.query<StoredRelease>(
      'SELECT release, lines FROM shipshape_releases WHERE worker = ?1 ORDER BY release DESC LIMIT ?2',
      [worker, limit],
      true,
    );
  }

  async lines(release: string, from: number): Promise<string[]> {
    const rows = await this.query<{ line: string }>(
      'SELECT line FROM shipshape_journal WHERE release = ?1 AND seq >= ?2 ORDER BY seq',
      [release, from],
      true,
    );
    return rows.map((r) => r.line);
  }

  async sendRequest(release: string, request: ActionRequest): Promise<void> {
    await this.query(
      'INSERT OR REPLACE INTO shipshape_requests (release, action, actor, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)',
      [release, request.action, request.actor, request.reason, new Date().toISOString()],
      true,
    );
  }

  async takeRequest(release: string): Promise<ActionRequest | null> {
    // One statement takes and removes it: two polls never both act on one request.
    const rows = await this.query<ActionRequest>(
      'DELETE FROM shipshape_requests WHERE release = ?1 RETURNING action, actor, reason',
      [release],
    );
    const row = rows[0];
    return row && (row.action === 'promote' || row.action === 'abort') ? row : null;
  }

  async append(
    release: string,
    meta: { worker: string; env: string | null },
    from: number,
    lines: string[],
  ): Promise<void> {
    for (let start = 0; start < lines.length; start += CHUNK) {
      const chunk = lines.slice(start, start + CHUNK);
      const upto = from + start + chunk.length;
      await this.batch([
        ...chunk.map((line, i) => ({
          sql: 'INSERT OR IGNORE INTO shipshape_journal (release, seq, line) VALUES (?1, ?2, ?3)',
          params: [release, from + start + i, line],
        })),
        {
          sql: `INSERT INTO shipshape_releases (release, worker, env, lines) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (release) DO UPDATE SET lines = max(lines, excluded.lines)`,
          params: [release, meta.worker, meta.env, upto],
        },
      ]);
    }
  }
}
