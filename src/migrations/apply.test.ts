import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { D1Binding } from '../config/worker-config.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { applyMigrations } from './apply.ts';
import { pendingMigrations } from './plan.ts';
import { rollbackMigrations } from './rollback.ts';
import { migrationStatus } from './status.ts';
import { MiniflareD1Driver } from './test-support/miniflare-driver.ts';

let driver: MiniflareD1Driver;
let dir: string;
let binding: D1Binding;

beforeAll(() => {
  driver = MiniflareD1Driver.temporary();
});
afterAll(async () => {
  await driver.close();
});
beforeEach(async () => {
  await driver.reset();
  dir = mkdtempSync(join(tmpdir(), 'shipshape-mig-'));
  binding = {
    binding: 'DB',
    databaseName: 'test',
    databaseId: 'x',
    migrationsDir: dir,
    migrationsTable: 'd1_migrations',
  };
  return () => rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, sql: string) => {
  mkdirSync(join(dir, name.includes('/') ? name.split('/')[0] : ''), { recursive: true });
  writeFileSync(join(dir, name), sql);
};
const tables = async () =>
  (
    await driver.query<{ name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
  ).map((r) => `${r.name}: ${r.sql}`);
const codeOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ShipshapeError);
  return err as ShipshapeError;
};

describe('apply, status, rollback on a real D1', () => {
  it('applies in order, records both histories, and rolls back with down files', async () => {
    write(
      '0001_items.sql',
      "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO items (name) VALUES ('a');",
    );
    write('0002_tags.sql', "ALTER TABLE items ADD COLUMN tags TEXT NOT NULL DEFAULT '';");
    write('0002_tags.down.sql', 'ALTER TABLE items DROP COLUMN tags;');
    write('rollback/0001_undo.sql', 'DROP TABLE items;');
    expect((await pendingMigrations(driver, binding)).map((f) => f.name)).toEqual([
      '0001_items.sql',
      '0002_tags.sql',
    ]);

    const result = await applyMigrations(driver, binding, { releaseId: 'rel-1' });
    expect(result.applied.map((f) => f.name)).toEqual(['0001_items.sql', '0002_tags.sql']);
    expect(result.backup?.kind).toBe('sqlite-copy');
    const wrangler = await driver.query<{ id: number; name: string; applied_at: string }>(
      'SELECT * FROM d1_migrations ORDER BY id',
    );
    expect(wrangler.map((r) => r.name)).toEqual(['0001_items.sql', '0002_tags.sql']);
    expect(wrangler[0].applied_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const own = await driver.query<{ name: string; release_id: string; sha256: string }>(
      'SELECT * FROM shipshape_migrations',
    );
    expect(own.map((r) => [r.name, r.release_id, r.sha256.length])).toEqual([
      ['0001_items.sql', 'rel-1', 64],
      ['0002_tags.sql', 'rel-1', 64],
    ]);

    const status = await migrationStatus(driver, binding);
    expect(status.migrations.map((m) => [m.name, m.state, m.verified, m.hasDown])).toEqual([
      ['0001_items.sql', 'applied', true, true],
      ['0002_tags.sql', 'applied', true, true],
    ]);
    expect(status.problems.map((p) => p.kind)).toEqual(['down-beside']);

    const undone = await rollbackMigrations(driver, binding, { backup: false });
    expect(undone.method).toBe('down-files');
    expect(undone.targets.map((t) => t.name)).toEqual(['0002_tags.sql']);
    expect((await driver.query<{ name: string }>('PRAGMA table_info(items)')).map((c) => c.name)).toEqual([
      'id',
      'name',
    ]);
    await rollbackMigrations(driver, binding, { to: 0, backup: false });
    expect(await driver.query('SELECT * FROM d1_migrations')).toEqual([]);
    const marks = await driver.query<{ rolled_back_at: string | null }>(
      'SELECT rolled_back_at FROM shipshape_migrations',
    );
    expect(marks.every((m) => m.rolled_back_at)).toBe(true);
    expect((await tables()).some((t) => t.startsWith('items:'))).toBe(false);
  });

  it('refuses an applied file whose content changed, naming it', async () => {
    write('0001_a.sql', 'CREATE TABLE a (id INTEGER);');
    await applyMigrations(driver, binding, { backup: false });
    write('0001_a.sql', 'CREATE TABLE a (id INTEGER, x TEXT);');
    write('0002_b.sql', 'CREATE TABLE b (id INTEGER);');
    const err = await codeOf(applyMigrations(driver, binding));
    expect(err.code).toBe('MIGRATIONS_CHECKSUM_MISMATCH');
    expect(err.message).toContain('0001_a.sql');
    expect((await driver.query('SELECT * FROM d1_migrations')).length).toBe(1);
  });

  it('refuses a new file numbered before the last applied one', async () => {
    write('0001_a.sql', 'CREATE TABLE a (id INTEGER);');
    write('0003_c.sql', 'CREATE TABLE c (id INTEGER);');
    write('0002_b.sql', 'CREATE TABLE b (id INTEGER);');
    rmSync(join(dir, '0002_b.sql'));
    const gap = await codeOf(applyMigrations(driver, binding));
    expect(gap.message).toMatch(/Gap in migrations: 0001_a.sql is followed by 0003_c.sql/);
    await applyMigrations(driver, binding, { backup: false }).catch(() => null);
    // Apply 0001 and 0003 the way wrangler would, then a late 0002 arrives.
    await driver.batch([
      {
        sql: 'CREATE TABLE IF NOT EXISTS d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)',
      },
      { sql: "INSERT INTO d1_migrations (name) VALUES ('0001_a.sql'), ('0003_c.sql')" },
    ]);
    write('0002_b.sql', 'CREATE TABLE b (id INTEGER);');
    const late = await codeOf(applyMigrations(driver, binding));
    expect(late.code).toBe('MIGRATIONS_SEQUENCE');
    expect(late.message).toMatch(/0002_b.sql is not applied but is numbered before/);
  });

  it('leaves no trace when a statement fails mid-file, and names the statement', async () => {
    write('0001_a.sql', 'CREATE TABLE a (id INTEGER);');
    await applyMigrations(driver, binding, { backup: false });
    const before = await tables();
    write(
      '0002_bad.sql',
      "CREATE TABLE b (id INTEGER);\nINSERT INTO a VALUES (1);\n\nINSERT INTO missing VALUES ('x');\nCREATE TABLE c (id INTEGER);",
    );
    const err = await codeOf(applyMigrations(driver, binding, { backup: false }));
    expect(err.code).toBe('MIGRATIONS_STATEMENT_FAILED');
    expect(err.message).toMatch(/0002_bad.sql: statement 3 \(line 4\) failed: .*no such table: missing/);
    expect(err.message).toContain("INSERT INTO missing VALUES ('x')");
    expect(await tables()).toEqual(before);
    expect(await driver.query('SELECT * FROM a')).toEqual([]);
    expect(
      (await driver.query<{ name: string }>('SELECT name FROM d1_migrations')).map((r) => r.name),
    ).toEqual(['0001_a.sql']);
  });

  it('restores the backup when there is no down file: same schema and row counts', async () => {
    write('0001_a.sql', 'CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);\nCREATE INDEX ia ON a(v);');
    await applyMigrations(driver, binding, { backup: false });
    const rows = Array.from({ length: 50 }, (_, k) => ({
      sql: 'INSERT INTO a (v) VALUES (?)',
      params: [`v${k}`],
    }));
    await driver.batch(rows);
    const schema = await tables();
    write('0002_wreck.sql', 'DROP INDEX ia;\nALTER TABLE a DROP COLUMN v;\nCREATE TABLE b (id INTEGER);');
    write('0003_more.sql', 'INSERT INTO b VALUES (1);');
    const { backup } = await applyMigrations(driver, binding);
    expect(backup).not.toBeNull();
    expect(await tables()).not.toEqual(schema);

    const partial = await codeOf(rollbackMigrations(driver, binding));
    expect(partial.code).toBe('MIGRATIONS_BACKUP_SCOPE');
    expect(partial.hint).toContain('--to 0001');

    const result = await rollbackMigrations(driver, binding, { to: 1 });
    expect(result.method).toBe('backup');
    expect(await tables()).toEqual(schema);
    expect(await driver.query('SELECT count(*) AS n FROM a')).toEqual([{ n: 50 }]);
    expect(
      (await driver.query<{ name: string }>('SELECT name FROM d1_migrations')).map((r) => r.name),
    ).toEqual(['0001_a.sql']);
    const marked = await driver.query<{ name: string }>(
      'SELECT name FROM shipshape_migrations WHERE rolled_back_at IS NOT NULL',
    );
    expect(marked.map((r) => r.name).sort()).toEqual(['0002_wreck.sql', '0003_more.sql']);
  });
});
