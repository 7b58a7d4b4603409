import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lintMigrations } from './lint-migrations.ts';

let root: string;
let config: Parameters<typeof lintMigrations>[0];
const write = (name: string, sql: string) => writeFileSync(join(root, 'migrations', name), sql);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'shipshape-lint-'));
  mkdirSync(join(root, 'migrations'));
  config = { worker: { projectDir: root, d1: [{ migrationsDir: join(root, 'migrations') }] } };
  write('0001_a.sql', 'CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);');
  write(
    '0002_b.sql',
    'CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id) ON DELETE CASCADE);',
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('lintMigrations', () => {
  it('checks each file against the schema the earlier files built', async () => {
    write('0003_c.sql', 'ALTER TABLE a DROP COLUMN x;\nCREATE INDEX i ON b(missing);');
    const result = await lintMigrations(config, { cache: false });
    expect(result.findings.map((f) => [f.file, f.line, f.rule])).toEqual([
      ['migrations/0003_c.sql', 1, 'drop-column'],
      ['migrations/0003_c.sql', 2, 'invalid-sql'],
    ]);
    expect(result).toMatchObject({ errors: 2, warnings: 0, files: 3 });
  });

  it('lints only the paths given, with the earlier files still building the schema', async () => {
    write('0003_c.sql', 'CREATE UNIQUE INDEX u ON b(a_id);');
    const result = await lintMigrations(config, { paths: ['migrations/0003_c.sql'], cache: false });
    expect(result.files).toBe(1);
    expect(result.findings.map((f) => f.rule)).toEqual(['unique-index']);
  });

  it('gives the same findings from its cache, and replays when an early file changes', async () => {
    const cache = join(root, '.cache');
    write('0003_c.sql', 'DROP TABLE a;');
    const cold = await lintMigrations(config, { cache });
    write('0004_d.sql', 'ALTER TABLE b RENAME COLUMN a_id TO parent_id;');
    const warm = await lintMigrations(config, { cache });
    const fresh = await lintMigrations(config, { cache: false });
    expect(warm.findings).toEqual(fresh.findings);
    expect(warm.findings.map((f) => f.rule)).toEqual(['drop-table', 'rename-column']);
    expect(cold.findings.map((f) => f.rule)).toEqual(['drop-table']);
    write('0001_a.sql', 'CREATE TABLE a (id INTEGER PRIMARY KEY);');
    write('0003_c.sql', 'CREATE INDEX ix ON a(x);');
    const changed = await lintMigrations(config, { cache });
    expect(changed.findings.map((f) => [f.file, f.rule])).toEqual([
      ['migrations/0003_c.sql', 'invalid-sql'],
      ['migrations/0004_d.sql', 'rename-column'],
    ]);
  });
});
