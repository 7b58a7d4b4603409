import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Miniflare } from 'miniflare';
import type { BackupRef, DatabaseDriver, SqlStatement } from '../../targets/target.ts';
import { createRuntime } from '../../toolchain/miniflare.ts';

type D1 = Awaited<ReturnType<Miniflare['getD1Database']>>;

/**
 * A DatabaseDriver over a real Miniflare D1 (SQLite in workerd), for tests and benchmarks of the migrations
 * module. Backups copy the persisted SQLite files with workerd stopped, so the copy is consistent.
 */
export class MiniflareD1Driver implements DatabaseDriver {
  readonly binding = 'DB';
  readonly databaseName = 'test';
  private mf: Miniflare;
  private db: Promise<D1>;
  private backups = 0;

  constructor(
    readonly persist: string,
    readonly databaseId = 'shipshape-test-db',
  ) {
    this.mf = this.start();
    this.db = this.mf.getD1Database('DB');
  }

  /** A driver on a fresh temporary folder; `close()` removes it. */
  static temporary(): MiniflareD1Driver {
    return new MiniflareD1Driver(mkdtempSync(join(tmpdir(), 'shipshape-d1-')));
  }

  /** Where wrangler's `--persist-to` would look for this database. */
  get persistRoot(): string {
    return this.persist;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const db = await this.db;
    return (
      await db
        .prepare(sql)
        .bind(...params)
        .all<T>()
    ).results;
  }

  async batch(statements: SqlStatement[]): Promise<void> {
    const db = await this.db;
    await db.batch(statements.map((s) => db.prepare(s.sql).bind(...(s.params ?? []))));
  }

  async backup(label: string): Promise<BackupRef> {
    const dest = join(this.persist, 'backups', `${++this.backups}-${label.replace(/[^\w.-]/g, '_')}`);
    await this.stopped(() => {
      mkdirSync(dest, { recursive: true });
      cpSync(this.d1Dir(), dest, { recursive: true });
    });
    return { kind: 'sqlite-copy', ref: dest, binding: this.binding, createdAt: new Date().toISOString() };
  }

  async restore(ref: BackupRef): Promise<void> {
    await this.stopped(() => {
      rmSync(this.d1Dir(), { recursive: true, force: true });
      cpSync(ref.ref, this.d1Dir(), { recursive: true });
    });
  }

  /** Drops every table (not the platform's own), for tests that start from an empty database. */
  async reset(): Promise<void> {
    const rows = await this.query<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    );
    await this.batch([
      { sql: 'PRAGMA defer_foreign_keys = on' },
      ...rows.map((r) => ({ sql: `DROP TABLE "${r.name}"` })),
    ]);
  }

  async close(options: { keep?: boolean } = {}): Promise<void> {
    await this.mf.dispose();
    if (!options.keep) rmSync(this.persist, { recursive: true, force: true });
  }

  private d1Dir(): string {
    return join(this.persist, 'v3', 'd1');
  }

  private start(): Miniflare {
    return createRuntime({
      modules: true,
      script: 'export default { fetch() { return new Response("ok") } }',
      resourcePersistencePath: join(this.persist, 'v3'),
      d1Databases: { DB: this.databaseId },
    });
  }

  private async stopped(work: () => void): Promise<void> {
    await this.mf.dispose();
    if (!existsSync(this.d1Dir())) mkdirSync(this.d1Dir(), { recursive: true });
    work();
    this.mf = this.start();
    this.db = this.mf.getD1Database('DB');
    await this.db;
  }

  /** Files of the persisted database (for tests that check a backup holds them). */
  files(): string[] {
    return readdirSync(this.d1Dir(), { recursive: true }).map(String);
  }
}
