/**
 * Migrations benchmark: lint 1,000 generated files; apply 100 migrations with a backup on a ~100 MB D1.
 * Run: npm run bench:migrations  (env: LINT_FILES, DB_MB, APPLY_FILES)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, lintMigrations, rollbackMigrations } from '../../src/migrations/index.ts';
import { MiniflareD1Driver } from '../../src/migrations/test-support/miniflare-driver.ts';
import { generateMigrations } from './generate.ts';

const LINT_FILES = Number(process.env.LINT_FILES ?? 1000);
const DB_MB = Number(process.env.DB_MB ?? 100);
const APPLY_FILES = Number(process.env.APPLY_FILES ?? 100);

const rows: string[][] = [];
const ms = (t0: number) => performance.now() - t0;
const fmt = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`);

async function benchLint(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'shipshape-bench-lint-'));
  try {
    generateMigrations(join(root, 'migrations'), LINT_FILES);
    const config = { worker: { projectDir: root, d1: [{ migrationsDir: join(root, 'migrations') }] } };
    const times: number[] = [];
    let result = await lintMigrations(config);
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      result = await lintMigrations(config);
      times.push(ms(t0));
    }
    times.sort((a, b) => a - b);
    rows.push([
      `lint ${LINT_FILES} files (median of 3)`,
      '< 2 s',
      fmt(times[1]),
      `${result.errors} errors, ${result.warnings} warnings, ${result.suppressed} acknowledged`,
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchApply(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'shipshape-bench-apply-'));
  const driver = MiniflareD1Driver.temporary();
  try {
    const t0 = performance.now();
    await driver.batch([{ sql: 'CREATE TABLE blobs (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)' }]);
    const chunk = 'x'.repeat(10_000);
    const batches = Math.ceil((DB_MB * 1024 * 1024) / (chunk.length * 50));
    for (let b = 0; b < batches; b++) {
      await driver.batch(
        Array.from({ length: 50 }, (_, k) => ({
          sql: 'INSERT INTO blobs (payload) VALUES (?)',
          params: [`${b}-${k}${chunk}`],
        })),
      );
    }
    const [{ bytes }] = await driver.query<{ bytes: number }>(
      'SELECT sum(length(payload)) AS bytes FROM blobs',
    );
    rows.push([`fill the database`, '', fmt(ms(t0)), `${(bytes / 1024 / 1024).toFixed(0)} MB in blobs`]);

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
    const applyMs = ms(t1);
    rows.push([
      `apply ${applied.length} migrations + backup`,
      'report',
      fmt(applyMs),
      `${(applyMs / applied.length).toFixed(1)} ms per file incl. backup`,
    ]);

    const t2 = performance.now();
    const back = await rollbackMigrations(driver, binding, { to: 0 });
    rows.push([
      `restore the backup (${back.targets.length} migrations undone)`,
      'report',
      fmt(ms(t2)),
      back.method,
    ]);
    const [{ n }] = await driver.query<{ n: number }>('SELECT count(*) AS n FROM blobs');
    rows.push(['rows after restore', '', String(n), backup ? 'backup restored' : 'no backup']);
  } finally {
    await driver.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await benchLint();
await benchApply();
const widths = [0, 1, 2, 3].map((i) =>
  Math.max(...[['measure', 'target', 'result', 'notes'], ...rows].map((r) => r[i].length)),
);
const line = (r: string[]) =>
  r
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
console.log(line(['measure', 'target', 'result', 'notes']));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
