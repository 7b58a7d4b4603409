/**
 * Migrations benchmark: lint 1,000 generated files (cold, then warm from the cache with one new file); apply
 * 100 migrations with a backup on a ~100 MB D1, then restore that backup — on a bare Miniflare D1 (backup =
 * SQLite file copy) and through the local platform's daemon (the driver `shipshape deploy` uses).
 * Run: npm run bench:migrations   (env: LINT_FILES=1000 DB_MB=100 APPLY_FILES=100 TARGETS=miniflare,local)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { copyExample } from '../../src/demo/copy-example.ts';
import { applyMigrations, lintMigrations, rollbackMigrations } from '../../src/migrations/index.ts';
import { MiniflareD1Driver } from '../../src/migrations/test-support/miniflare-driver.ts';
import { createTarget } from '../../src/targets/create-target.ts';
import { runDaemon } from '../../src/targets/local/daemon.ts';
import type { BackupRef, DatabaseDriver } from '../../src/targets/target.ts';
import { generateMigrations } from './generate.ts';

const LINT_FILES = Number(process.env.LINT_FILES ?? 1000);
const DB_MB = Number(process.env.DB_MB ?? 100);
const APPLY_FILES = Number(process.env.APPLY_FILES ?? 100);
const TARGETS = (process.env.TARGETS ?? 'miniflare,local').split(',');

const rows: string[][] = [];
const since = (t0: number) => performance.now() - t0;
const fmt = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function benchLint(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'shipshape-bench-lint-'));
  try {
    const dir = join(root, 'migrations');
    generateMigrations(dir, LINT_FILES);
    const config = { worker: { projectDir: root, d1: [{ migrationsDir: dir }] } };
    let result = await lintMigrations(config, { cache: false }); // warms up the JIT and sql.js
    const cold: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      result = await lintMigrations(config, { cache: false });
      cold.push(since(t0));
    }
    const counts = `${result.errors} errors, ${result.warnings} warnings, ${result.suppressed} acknowledged`;
    rows.push([`lint ${LINT_FILES} files, cold (median of 3)`, '< 2 s', fmt(median(cold)), counts]);
    const cache = join(root, '.cache');
    await lintMigrations(config, { cache });
    writeFileSync(
      join(dir, `${String(LINT_FILES + 1).padStart(4, '0')}_new.sql`),
      'ALTER TABLE t0 ADD COLUMN z TEXT;\n',
    );
    const t1 = performance.now();
    const warm = await lintMigrations(config, { cache });
    rows.push([
      `lint ${LINT_FILES + 1} files, 1 new (cache)`,
      '< 2 s',
      fmt(since(t1)),
      `${warm.files} files`,
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Times the driver's backup calls without changing what it does. */
function timedBackups(driver: DatabaseDriver): { driver: DatabaseDriver; backupMs: () => number } {
  let ms = 0;
  const timed: DatabaseDriver = {
    binding: driver.binding,
    databaseName: driver.databaseName,
    databaseId: driver.databaseId,
    query: (sql, params) => driver.query(sql, params),
    batch: (statements) => driver.batch(statements),
    restore: (ref) => driver.restore(ref),
    async backup(label: string): Promise<BackupRef> {
      const t0 = performance.now();
      try {
        return await driver.backup(label);
      } finally {
        ms += since(t0);
      }
    },
  };
  return { driver: timed, backupMs: () => ms };
}

async function benchApply(label: string, raw: DatabaseDriver): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'shipshape-bench-apply-'));
  const { driver, backupMs } = timedBackups(raw);
  try {
    const t0 = performance.now();
    await driver.batch([
      { sql: 'CREATE TABLE IF NOT EXISTS blobs (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)' },
    ]);
    // 10 MB per statement, generated inside SQLite so the fill does not measure the transport.
    const fill =
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1024) INSERT INTO blobs (payload) SELECT hex(randomblob(5120)) FROM c';
    for (let b = 0; b < DB_MB / 10; b++) await driver.batch([{ sql: fill }]);
    const [{ bytes, n }] = await driver.query<{ bytes: number; n: number }>(
      'SELECT sum(length(payload)) AS bytes, count(*) AS n FROM blobs',
    );
    rows.push([`${label}: fill`, '', fmt(since(t0)), `${(bytes / 1024 / 1024).toFixed(0)} MB, ${n} rows`]);

    const dir = join(root, 'migrations');
    generateMigrations(dir, APPLY_FILES);
    const binding = {
      binding: 'DB',
      databaseName: 'bench',
      databaseId: 'bench',
      migrationsDir: dir,
      migrationsTable: 'd1_migrations',
    };
    const t1 = performance.now();
    const { applied, backup } = await applyMigrations(driver, binding, { releaseId: 'bench' });
    const applyMs = since(t1);
    const perFile = (applyMs - backupMs()) / Math.max(applied.length, 1);
    const note = `backup (${backup?.kind}) ${fmt(backupMs())}, then ${perFile.toFixed(0)} ms per file`;
    rows.push([`${label}: apply ${applied.length} + backup`, 'report', fmt(applyMs), note]);
    const t2 = performance.now();
    await applyMigrations(driver, binding, { backup: false });
    rows.push([`${label}: nothing pending (check only)`, '', fmt(since(t2)), '']);
    const t3 = performance.now();
    const undone = await rollbackMigrations(driver, binding, { to: 0 });
    const [{ after }] = await driver.query<{ after: number }>('SELECT count(*) AS after FROM blobs');
    rows.push([
      `${label}: restore backup`,
      'report',
      fmt(since(t3)),
      `${undone.targets.length} undone, ${after} rows back`,
    ]);
  } catch (err) {
    rows.push([`${label}: failed`, '', '-', (err as Error).message.split('\n')[0].slice(0, 100)]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function onMiniflare(): Promise<void> {
  const driver = MiniflareD1Driver.temporary();
  try {
    await benchApply('miniflare D1', driver);
  } finally {
    await driver.close();
  }
}

async function onLocalPlatform(): Promise<void> {
  const app = copyExample({ git: false });
  const daemon = await runDaemon({ projectDir: app.dir, port: 0, controlPort: 0, output: () => {} });
  const target = await createTarget(await loadConfig({ cwd: app.dir, env: null }), {
    env: process.env,
    autoStart: false,
  });
  try {
    await benchApply('local platform', target.database('DB'));
  } finally {
    await target.close();
    await daemon.close();
    app.cleanup();
  }
}

await benchLint();
if (TARGETS.includes('miniflare')) await onMiniflare();
if (TARGETS.includes('local')) await onLocalPlatform();
const head = ['measure', 'target', 'result', 'notes'];
const widths = head.map((_, i) => Math.max(...[head, ...rows].map((r) => r[i].length)));
const line = (r: string[]) =>
  r
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
console.log([line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
