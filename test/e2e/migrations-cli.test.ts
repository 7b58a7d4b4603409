import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { PACKAGE_ROOT } from '../../src/demo/copy-example.ts';
import { createTarget } from '../../src/targets/create-target.ts';
import { type RunningDaemon, runDaemon } from '../../src/targets/local/daemon.ts';
import { statePaths } from '../../src/targets/local/paths.ts';
import type { DatabaseDriver, Target } from '../../src/targets/target.ts';
import { copyExample, type ExampleCopy } from '../support/example.ts';
import { runCli } from '../support/run-cli.ts';

// The example app's migrations driven by the CLI against the real local platform (workerd daemon, persisted D1).
let app: ExampleCopy;
let daemon: RunningDaemon | undefined;
let target: Target;
let db: DatabaseDriver;
const cli = (...argv: string[]) => runCli(argv, { cwd: app.dir });
const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const columns = async () => (await db.query<{ name: string }>('PRAGMA table_info(items)')).map((c) => c.name);
const migration = (name: string, sql: string) => writeFileSync(join(app.dir, 'migrations', name), sql);

beforeAll(async () => {
  app = copyExample({ git: false });
  daemon = await runDaemon({ projectDir: app.dir, port: 0, controlPort: 0, output: () => {} });
  target = await createTarget(await loadConfig({ cwd: app.dir, env: null }), {
    env: process.env,
    autoStart: false,
  });
  db = target.database('DB');
}, 120_000);

afterAll(async () => {
  await target?.close();
  await daemon?.close();
  app?.cleanup();
});

describe('shipshape migrations on the local platform', () => {
  it('lint passes the example and blocks a DROP COLUMN with its hint (NDJSON, exit 3)', async () => {
    expect((await cli('migrations', 'lint')).code).toBe(0);
    migration(
      '0003_drop_tags.sql',
      "-- tags live in item_tags now\nALTER TABLE items DROP COLUMN tags;\nUPDATE items SET name = 'DROP TABLE x' WHERE id = 1;\n",
    );
    const lint = await cli('migrations', 'lint', '--json');
    expect(lint.code).toBe(3);
    const records = ndjson(lint.stdout);
    expect(records[0]).toMatchObject({
      type: 'lint.finding',
      file: 'migrations/0003_drop_tags.sql',
      line: 2,
      rule: 'drop-column',
      severity: 'error',
      suppressed: false,
    });
    expect(records[0].hint).toMatch(/later release/);
    expect(records.at(-1)).toMatchObject({ type: 'lint.finished', errors: 1, warnings: 0, files: 3 });

    const apply = await cli('migrations', 'apply');
    expect(apply.code).toBe(3);
    expect(apply.stderr).toContain('MIGRATIONS_LINT_FAILED');
    expect(apply.stderr).toContain('0003_drop_tags.sql:2 drop-column');
    expect((await cli('migrations', 'status', '--json')).stdout).toContain('"pending":3');
    rmSync(join(app.dir, 'migrations', '0003_drop_tags.sql'));
  });

  it('applies with a backup, and wrangler d1 migrations list agrees', async () => {
    const apply = await cli('migrations', 'apply', '--json');
    expect(apply.code).toBe(0);
    const [record] = ndjson(apply.stdout);
    expect(record).toMatchObject({
      type: 'migrations.applied',
      applied: ['0001_create_items.sql', '0002_add_item_tags.sql'],
    });
    expect(record.backup.ref).toBeTruthy();
    expect(await columns()).toContain('tags');
    const status = ndjson((await cli('migrations', 'status', '--json')).stdout)[0];
    expect(status.migrations.map((m: { state: string; verified: boolean }) => [m.state, m.verified])).toEqual(
      [
        ['applied', true],
        ['applied', true],
      ],
    );

    // wrangler reads the same SQLite files through --persist-to (<dir>/v3/d1).
    const persist = mkdtempSync(join(tmpdir(), 'shipshape-wrangler-'));
    try {
      mkdirSync(join(persist, 'v3'));
      symlinkSync(statePaths(app.dir).d1, join(persist, 'v3', 'd1'));
      const wrangler = join(PACKAGE_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [wrangler, 'd1', 'migrations', 'list', 'DB', '--local', '--persist-to', persist],
        {
          cwd: app.dir,
          env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
        },
      );
      expect(stdout).toMatch(/No migrations to apply/);
    } finally {
      rmSync(persist, { recursive: true, force: true });
    }
  }, 120_000);

  it('new → apply → rollback with its down file, after confirmation', async () => {
    const created = ndjson((await cli('migrations', 'new', 'add notes', '--json')).stdout)[0];
    expect(created).toMatchObject({
      up: 'migrations/0003_add_notes.sql',
      down: 'migrations/rollback/0003_add_notes.sql',
    });
    writeFileSync(join(app.dir, created.up), 'ALTER TABLE items ADD COLUMN notes TEXT;\n');
    writeFileSync(join(app.dir, created.down), 'ALTER TABLE items DROP COLUMN notes;\n');
    expect((await cli('migrations', 'apply')).code).toBe(0);
    expect(await columns()).toContain('notes');

    const refused = await cli('migrations', 'rollback');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('MIGRATIONS_CONFIRM');
    expect(refused.stderr).toContain('--yes');
    expect(await columns()).toContain('notes');

    const done = await cli('migrations', 'rollback', '--yes');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('rolled back 0003_add_notes.sql');
    expect(await columns()).not.toContain('notes');
    const applied = await db.query<{ name: string }>('SELECT name FROM d1_migrations ORDER BY id');
    expect(applied.map((r) => r.name)).toEqual(['0001_create_items.sql', '0002_add_item_tags.sql']);
    rmSync(join(app.dir, created.up));
    rmSync(join(app.dir, created.down));
  });

  it('refuses an edited applied file, naming it', async () => {
    const path = join(app.dir, 'migrations', '0001_create_items.sql');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, `${original}\n-- edited\n`);
    try {
      const status = await cli('migrations', 'status');
      expect(status.stdout).toMatch(/changed\s+0001_create_items.sql/);
      const apply = await cli('migrations', 'apply');
      expect(apply.code).toBe(3);
      expect(apply.stderr).toContain('MIGRATIONS_CHECKSUM_MISMATCH');
      expect(apply.stderr).toContain('0001_create_items.sql was edited after it was applied');
    } finally {
      writeFileSync(path, original);
    }
  });

  it('rolls back without down files by restoring the backup: schema and rows as before', async () => {
    await db.batch([{ sql: "INSERT INTO items (name) VALUES ('kept?')" }]);
    const rolled = await cli('migrations', 'rollback', '--to', '0', '--yes', '--json');
    expect(rolled.code).toBe(0);
    expect(ndjson(rolled.stdout)[0]).toMatchObject({
      method: 'backup',
      rolledBack: ['0002_add_item_tags.sql', '0001_create_items.sql'],
    });
    const tables = await db.query<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'items'",
    );
    expect(tables).toEqual([]);
    expect(await db.query('SELECT * FROM d1_migrations')).toEqual([]);
    const status = ndjson((await cli('migrations', 'status', '--json')).stdout)[0];
    expect(status.pending).toBe(2);
  });
});
