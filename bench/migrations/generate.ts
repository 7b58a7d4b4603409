import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes `count` migration files shaped like a long-lived app's history: a new table every 10th file; in
 * between, added columns (half the files), indexes, seed rows and bounded updates; a trigger every 100th
 * file; an acknowledged contract step (DROP COLUMN) every 50th.
 */
export function generateMigrations(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  let tables = 0;
  let columns: string[] = [];
  for (let n = 1; n <= count; n++) {
    const t = `t${tables - 1}`;
    const lines: string[] = [`-- Migration ${n}: generated for the benchmark; 'quoted; text' stays a string`];
    if (n % 10 === 1) {
      lines.push(
        `CREATE TABLE t${tables} (\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\n  name TEXT NOT NULL,\n  created_at TEXT NOT NULL DEFAULT (datetime('now'))\n);`,
      );
      tables++;
      columns = [];
    } else if (n % 100 === 0) {
      lines.push(
        `CREATE TRIGGER trg_${n} AFTER INSERT ON ${t} BEGIN\n  UPDATE ${t} SET name = lower(new.name) WHERE id = new.id;\nEND;`,
      );
    } else if (n % 50 === 0 && columns.length > 0) {
      lines.push('-- shipshape-allow drop-column: the code stopped reading it two releases ago');
      lines.push(`ALTER TABLE ${t} DROP COLUMN ${columns.pop()};`);
    } else if (n % 2 === 0) {
      columns.push(`c${n}`);
      lines.push(`ALTER TABLE ${t} ADD COLUMN c${n} TEXT NOT NULL DEFAULT '';`);
    } else if (n % 3 === 0) {
      lines.push(`CREATE INDEX IF NOT EXISTS idx_${t}_${n} ON ${t} (name, created_at);`);
    } else {
      lines.push(`INSERT INTO ${t} (name) VALUES ('row ${n}; DROP TABLE nothing'), ('x${n}');`);
      lines.push(`UPDATE ${t} SET name = 'renamed' WHERE id = ${n};`);
    }
    writeFileSync(join(dir, `${String(n).padStart(4, '0')}_step_${n}.sql`), `${lines.join('\n')}\n`);
  }
}
