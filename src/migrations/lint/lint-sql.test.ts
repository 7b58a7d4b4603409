import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from './finding.ts';
import { lintSql } from './lint-sql.ts';
import type { RuleId } from './rule.ts';
import { ScratchDb } from './scratch.ts';

const BASE = [
  'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT, first TEXT, last TEXT, full_name TEXT)',
  'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE CASCADE, title TEXT)',
  'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price INTEGER)',
  'CREATE TABLE "order" (id INTEGER PRIMARY KEY, total INTEGER)',
  'CREATE TABLE audit (id INTEGER PRIMARY KEY, msg TEXT)',
  'CREATE INDEX idx_items_name ON items(name)',
];

interface Case {
  name: string;
  sql: string;
  raise?: RuleId[];
  not?: RuleId[];
  suppressed?: RuleId[];
  line?: number;
}

const wide = Array.from({ length: 101 }, (_, k) => `c${k} TEXT`).join(', ');
const REBUILD = `CREATE TABLE items_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER);
INSERT INTO items_new (id, name, price) SELECT id, name, price FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;`;

const CASES: Case[] = [
  { name: 'drop table', sql: 'DROP TABLE audit;', raise: ['drop-table'] },
  { name: 'drop table, lower case, IF EXISTS', sql: 'drop table if exists audit;', raise: ['drop-table'] },
  { name: 'drop table, quoted keyword name', sql: 'DROP TABLE "order";', raise: ['drop-table'] },
  { name: 'drop table, schema-qualified', sql: 'DROP TABLE main.audit;', raise: ['drop-table'] },
  {
    name: 'keywords inside a string literal',
    sql: "INSERT INTO audit (msg) VALUES ('DROP TABLE users; ALTER TABLE users DROP COLUMN email; BEGIN;');",
    not: ['drop-table', 'drop-column', 'transaction-statement'],
  },
  {
    name: 'keywords inside comments',
    sql: '-- DROP TABLE users;\n/* ALTER TABLE users RENAME TO people; COMMIT; */\nCREATE INDEX idx_a ON audit(msg);',
    not: ['drop-table', 'rename-table', 'transaction-statement'],
  },
  {
    name: 'quoted identifiers named like keywords',
    sql: 'CREATE TABLE "drop" ("begin" TEXT, [commit] TEXT, `rename` TEXT);',
    not: ['transaction-statement', 'drop-table', 'rename-table', 'invalid-sql'],
  },
  { name: 'drop column', sql: 'ALTER TABLE users DROP COLUMN email;', raise: ['drop-column'] },
  {
    name: 'drop column, lower case, quoted, no COLUMN',
    sql: 'alter table "users" drop "email";',
    raise: ['drop-column'],
  },
  {
    name: 'rename table',
    sql: 'ALTER TABLE items RENAME TO products;',
    raise: ['rename-table'],
    not: ['drop-table'],
  },
  {
    name: 'rename column',
    sql: 'ALTER TABLE users RENAME COLUMN name TO display_name;',
    raise: ['rename-column'],
    not: ['drop-column'],
  },
  {
    name: 'rename column, lower case, no COLUMN',
    sql: 'alter table users rename name to display_name;',
    raise: ['rename-column'],
  },
  {
    name: 'NOT NULL column without default',
    sql: 'ALTER TABLE users ADD COLUMN age INTEGER NOT NULL;',
    raise: ['add-column-not-null-without-default'],
  },
  {
    name: 'NOT NULL column with a default',
    sql: 'ALTER TABLE users ADD COLUMN age INTEGER NOT NULL DEFAULT 0;',
    not: ['add-column-not-null-without-default', 'add-column-unsupported', 'invalid-sql'],
  },
  {
    name: 'nullable column, no COLUMN keyword',
    sql: 'alter table users add bio text;',
    not: ['add-column-not-null-without-default', 'add-column-unsupported'],
  },
  {
    name: 'UNIQUE column',
    sql: 'ALTER TABLE users ADD COLUMN handle TEXT UNIQUE;',
    raise: ['add-column-unsupported'],
  },
  {
    name: 'CURRENT_TIMESTAMP default',
    sql: 'ALTER TABLE users ADD COLUMN seen TEXT DEFAULT CURRENT_TIMESTAMP;',
    raise: ['add-column-unsupported'],
  },
  {
    name: 'function default',
    sql: "ALTER TABLE users ADD COLUMN seen TEXT DEFAULT (datetime('now'));",
    raise: ['add-column-unsupported'],
  },
  {
    name: 'string default that looks like a keyword',
    sql: "ALTER TABLE users ADD COLUMN seen TEXT DEFAULT 'CURRENT_TIMESTAMP';",
    not: ['add-column-unsupported', 'invalid-sql'],
  },
  {
    name: 'transaction statements',
    sql: 'BEGIN TRANSACTION;\nCREATE TABLE t1 (id INTEGER);\nCOMMIT;',
    raise: ['transaction-statement'],
  },
  {
    name: 'savepoint and release, lower case',
    sql: 'savepoint s1;\nrelease s1;',
    raise: ['transaction-statement'],
  },
  {
    name: "a trigger's BEGIN … END body",
    sql: "CREATE TRIGGER trg AFTER INSERT ON items BEGIN\n  UPDATE audit SET msg = 'x';\n  DELETE FROM audit;\nEND;",
    not: ['transaction-statement', 'unbounded-write', 'invalid-sql'],
  },
  {
    name: 'a trigger with CASE … END and RAISE(ROLLBACK)',
    sql: "create trigger t2 before update on items begin\n  select case when new.price < 0 then raise(rollback, 'negative') end;\nend;\nCREATE INDEX idx_p ON items(price);",
    not: ['transaction-statement', 'invalid-sql'],
  },
  { name: 'PRAGMA foreign_keys', sql: 'PRAGMA foreign_keys = OFF;', raise: ['pragma-foreign-keys'] },
  { name: 'PRAGMA defer_foreign_keys', sql: 'PRAGMA defer_foreign_keys = on;', not: ['pragma-foreign-keys'] },
  {
    name: 'table rebuild',
    sql: REBUILD,
    raise: ['table-rebuild'],
    not: ['drop-table', 'rename-table', 'backfill'],
  },
  {
    name: 'table rebuild, old renamed away first',
    sql: 'ALTER TABLE audit RENAME TO audit_old;\nCREATE TABLE audit (id INTEGER PRIMARY KEY, msg TEXT NOT NULL);\nINSERT INTO audit SELECT * FROM audit_old;\nDROP TABLE audit_old;',
    raise: ['table-rebuild'],
    not: ['drop-table', 'rename-table'],
  },
  {
    name: 'unique index on an existing table',
    sql: 'CREATE UNIQUE INDEX idx_u ON users(email);',
    raise: ['unique-index'],
  },
  {
    name: 'unique index on a table created in the same file',
    sql: 'CREATE TABLE tags (id INTEGER, name TEXT);\nCREATE UNIQUE INDEX idx_tags ON tags(name);',
    not: ['unique-index'],
  },
  { name: 'drop index', sql: 'DROP INDEX idx_items_name;', raise: ['drop-index'] },
  { name: 'UPDATE without WHERE', sql: 'UPDATE items SET price = 0;', raise: ['unbounded-write'] },
  { name: 'DELETE without WHERE, lower case', sql: 'delete from audit;', raise: ['unbounded-write'] },
  {
    name: 'UPDATE behind a CTE',
    sql: 'WITH x AS (SELECT 1) UPDATE items SET price = 1;',
    raise: ['unbounded-write'],
  },
  {
    name: 'UPDATE with WHERE and a constant',
    sql: 'UPDATE items SET price = 0 WHERE id = 1;',
    not: ['unbounded-write', 'backfill'],
  },
  {
    name: 'backfill UPDATE from other columns',
    sql: "UPDATE users SET full_name = first || ' ' || last WHERE full_name IS NULL;",
    raise: ['backfill'],
    not: ['unbounded-write'],
  },
  {
    name: 'backfill INSERT … SELECT',
    sql: 'INSERT INTO audit (msg) SELECT email FROM users;',
    raise: ['backfill'],
  },
  { name: 'more than 100 columns', sql: `CREATE TABLE wide (${wide});`, raise: ['d1-limits'] },
  {
    name: 'statement over 100 KB',
    sql: `INSERT INTO audit (msg) VALUES ('${'x'.repeat(101 * 1024)}');`,
    raise: ['d1-limits'],
  },
  {
    name: 'create and drop a scratch table',
    sql: 'CREATE TABLE tmp (id INTEGER);\nDROP TABLE tmp;',
    not: ['drop-table'],
  },
  {
    name: 'acknowledged drop column',
    sql: '-- shipshape-allow drop-column: v41 stopped reading email\nALTER TABLE users DROP COLUMN email;',
    suppressed: ['drop-column'],
  },
  {
    name: 'acknowledgement among several comment lines',
    sql: '-- contract step\n-- shipshape-allow drop-table, drop-index: replaced by events in 0007\n-- owner: data team\nDROP TABLE audit;',
    suppressed: ['drop-table'],
  },
  {
    name: 'acknowledgement separated by a blank line',
    sql: '-- shipshape-allow drop-column: old\n\nALTER TABLE users DROP COLUMN email;',
    raise: ['drop-column'],
  },
  {
    name: 'acknowledgement of another rule',
    sql: '-- shipshape-allow drop-table: no\nALTER TABLE users DROP COLUMN email;',
    raise: ['drop-column'],
  },
  {
    name: 'acknowledgement without a reason',
    sql: '-- shipshape-allow drop-column\nALTER TABLE users DROP COLUMN email;',
    raise: ['drop-column'],
  },
  {
    name: 'rebuild acknowledged above its first statement',
    sql: `-- shipshape-allow table-rebuild: name becomes NOT NULL, checked empty in 0004\n${REBUILD}`,
    suppressed: ['table-rebuild'],
  },
  {
    name: 'syntax error',
    sql: 'CREATE INDEX ok ON items(name);\nCREATE TABLE (;',
    raise: ['invalid-sql'],
    line: 2,
  },
  {
    name: 'unterminated string',
    sql: "SELECT 1;\n\nINSERT INTO audit VALUES (1, 'oops);",
    raise: ['invalid-sql'],
    line: 3,
  },
  { name: 'unknown table', sql: 'CREATE INDEX i ON nope(x);', raise: ['invalid-sql'] },
];

let scratch: ScratchDb | null = null;
afterEach(() => scratch?.close());

async function lint(sql: string): Promise<Finding[]> {
  scratch = await ScratchDb.create();
  for (const statement of BASE) scratch.run(statement);
  return lintSql(sql, { file: 'm.sql', scratch });
}

describe('lint rules', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const findings = await lint(c.sql);
    const live = new Set(findings.filter((f) => !f.suppressed).map((f) => f.rule));
    for (const rule of c.raise ?? []) expect(live, `expected ${rule}`).toContain(rule);
    for (const rule of c.not ?? []) expect(live, `unexpected ${rule}`).not.toContain(rule);
    for (const rule of c.suppressed ?? []) {
      const f = findings.find((x) => x.rule === rule);
      expect(f?.suppressed, `expected ${rule} suppressed`).toBe(true);
      expect(f?.reason).toBeTruthy();
      expect(live).not.toContain(rule);
    }
    if (c.line) expect(findings.find((f) => f.rule === 'invalid-sql')?.line).toBe(c.line);
  });

  it('gives each finding its line, severity and an expand/contract hint', async () => {
    const findings = await lint('CREATE INDEX a ON items(name);\n\nALTER TABLE users\n  DROP COLUMN email;');
    expect(findings).toEqual([
      expect.objectContaining({
        file: 'm.sql',
        line: 3,
        rule: 'drop-column',
        severity: 'error',
        suppressed: false,
        reason: null,
      }),
    ]);
    expect(findings[0].hint).toMatch(/later release/);
  });

  it('warns that a rebuild drops the rows of ON DELETE CASCADE children', async () => {
    const sql = `CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
INSERT INTO users_new SELECT id, email FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;`;
    const rebuild = (await lint(sql)).find((f) => f.rule === 'table-rebuild');
    expect(rebuild?.message).toMatch(/CASCADE children \(posts\)/);
    expect(rebuild?.line).toBe(3);
  });

  it('lints without a scratch schema (a file outside the migrations folder)', () => {
    const findings = lintSql('ALTER TABLE a RENAME TO b;', { file: 'x.sql', scratch: null });
    expect(findings.map((f) => f.rule)).toEqual(['rename-table']);
  });
});

describe('scratch schema diff', () => {
  it('sees drops and renames whatever the syntax', async () => {
    scratch = await ScratchDb.create();
    for (const statement of BASE) scratch.run(statement);
    expect(scratch.run('ALTER TABLE items RENAME TO goods')?.renamedTables.get('items')).toBe('goods');
    expect(scratch.run('ALTER TABLE users DROP COLUMN email')?.droppedColumns.get('users')).toEqual([
      'email',
    ]);
    expect(scratch.run('DROP TABLE audit')?.droppedTables).toEqual(['audit']);
    expect(scratch.run('INSERT INTO goods (name) VALUES (1)')).toBeNull();
  });
});
