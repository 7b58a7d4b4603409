import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createTarget } from '../../src/targets/create-target.ts';
import { stopDaemon } from '../../src/targets/local/launcher.ts';
import { statePaths } from '../../src/targets/local/paths.ts';
import type { Artifact, DatabaseDriver, Target } from '../../src/targets/target.ts';
import { copyExample, type ExampleCopy } from '../support/example.ts';
import { steadyLoad } from '../support/steady-load.ts';

let app: ExampleCopy;
let target: Target;
let artifact: Artifact;
let db: DatabaseDriver;

const TABLES_SQL =
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%'";

async function snapshot() {
  return {
    schema: await db.query('SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE ? ORDER BY name', [
      '_cf_%',
    ]),
    items: await db.query<{ n: number }>('SELECT count(*) AS n FROM items'),
    notes: await db.query<{ n: number }>('SELECT count(*) AS n FROM notes'),
    sequence: await db.query("SELECT name, seq FROM sqlite_sequence WHERE name = 'items'"),
  };
}

beforeAll(async () => {
  app = copyExample({ git: false });
  const config = { ...(await loadConfig({ cwd: app.dir, env: null })), local: { port: 0, controlPort: 0 } };
  target = await createTarget(config, { env: { ...process.env, FAULT: '' } });
  artifact = await target.build();
  const version = await target.upload(artifact, { message: 'v1' });
  await target.setTraffic([{ version: version.id, percent: 100 }]);
  db = target.database('DB');
  await db.batch([
    {
      sql: "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL DEFAULT (datetime('now')))",
    },
    { sql: 'CREATE INDEX idx_items_name ON items (name)' },
    { sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)' },
    ...Array.from({ length: 40 }, (_, i) => ({
      sql: 'INSERT INTO items (name) VALUES (?)',
      params: [`row ${i}`],
    })),
    { sql: "INSERT INTO notes (body) VALUES ('a'), ('b')" },
    // The AUTOINCREMENT counter (40) now sits above the largest id (30): a dump of rows alone would lose it.
    { sql: 'DELETE FROM items WHERE id > 30' },
  ]);
}, 120_000);

afterAll(async () => {
  await stopDaemon(app.dir);
  if (artifact) rmSync(dirname(artifact.dir), { recursive: true, force: true });
  app.cleanup();
});

describe('local D1 backup and restore', () => {
  it('copies the SQLite file and gives back schema, row counts and the AUTOINCREMENT counter', async () => {
    const before = await snapshot();
    expect(before.items).toEqual([{ n: 30 }]);
    expect(before.sequence).toEqual([{ name: 'items', seq: 40 }]);
    const ref = await db.backup('before change');
    expect(ref.kind).toBe('sqlite-copy');
    expect(ref.ref.startsWith(statePaths(app.dir).backups)).toBe(true);
    expect(ref.ref.endsWith('.sqlite')).toBe(true);
    // Committed pages may still sit in the write-ahead log: it is part of the copy.
    const wal = existsSync(`${ref.ref}-wal`) ? statSync(`${ref.ref}-wal`).size : 0;
    expect(statSync(ref.ref).size + wal).toBeGreaterThan(4096);

    await db.batch([
      { sql: 'DROP TABLE notes' },
      { sql: 'ALTER TABLE items ADD COLUMN extra TEXT' },
      { sql: "INSERT INTO items (name) VALUES ('after backup')" },
      { sql: 'CREATE TABLE later (x INTEGER)' },
    ]);
    await db.restore(ref);
    expect(await snapshot()).toEqual(before);
    // The counter came back too: the next id follows 40, not 30.
    const [next] = await db.query<{ id: number }>("INSERT INTO items (name) VALUES ('next') RETURNING id");
    expect(next.id).toBe(41);
    // The versions see the restored database.
    const res = await target.request('/api/items?limit=1');
    expect(((await res.json()) as { items: Array<{ id: number }> }).items[0].id).toBe(41);
  });

  it('restores with zero failed requests under steady load', async () => {
    const ref = await db.backup('under-load');
    await db.query("INSERT INTO items (name) VALUES ('gone after restore')");
    const base = await target.url();
    const load = steadyLoad(base, 6);
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 3; i++) {
      await db.restore(ref);
      await db.backup(`again-${i}`);
    }
    await new Promise((r) => setTimeout(r, 300));
    const { ok, failures } = await load.stop();
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(50);
    expect(await db.query("SELECT count(*) AS n FROM items WHERE name = 'gone after restore'")).toEqual([
      { n: 0 },
    ]);
  }, 120_000);

  it('still restores an older JSON-dump backup, and refuses what is not a backup of this database', async () => {
    const dir = join(statePaths(app.dir).backups, 'legacy');
    mkdirSync(dir, { recursive: true });
    const dump = join(dir, 'old.json');
    writeFileSync(
      dump,
      JSON.stringify({
        format: 'shipshape-d1-dump',
        version: 1,
        schema: [
          {
            type: 'table',
            name: 'items',
            tbl_name: 'items',
            sql: 'CREATE TABLE items (id INTEGER, name TEXT)',
          },
        ],
        rows: { items: ["1,'from dump'"] },
      }),
    );
    const legacy = {
      kind: 'sqlite-copy' as const,
      ref: dump,
      binding: 'DB',
      createdAt: new Date().toISOString(),
    };
    await db.restore(legacy);
    expect(await db.query('SELECT id, name FROM items')).toEqual([{ id: 1, name: 'from dump' }]);
    expect(await db.query(TABLES_SQL)).toEqual([{ name: 'items' }]);

    const notSqlite = join(dir, 'junk.sqlite');
    writeFileSync(notSqlite, 'not a database');
    await expect(db.restore({ ...legacy, ref: notSqlite })).rejects.toMatchObject({
      code: 'LOCAL_BAD_REQUEST',
    });
    const other = await db.backup('x');
    const moved = join(dir, 'elsewhere.sqlite');
    writeFileSync(moved, Buffer.from('SQLite format 3\u0000'.padEnd(100, '\u0000'), 'latin1'));
    await expect(db.restore({ ...other, ref: moved })).rejects.toMatchObject({ code: 'LOCAL_BAD_REQUEST' });
    await expect(db.restore({ ...other, ref: join(app.dir, 'package.json') })).rejects.toMatchObject({
      code: 'LOCAL_BAD_REQUEST',
    });
    expect(existsSync(other.ref)).toBe(true);
  });
});
