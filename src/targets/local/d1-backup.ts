import type { SqlStatement } from '../target.ts';

/** Runs statements as one D1 batch (one transaction) and returns each statement's rows. */
export type BatchRunner = (statements: SqlStatement[]) => Promise<Array<Array<Record<string, unknown>>>>;

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/**
 * The backup format used before backups became SQLite file copies: the schema and, per table, each row as SQL
 * literals. Still restorable; no longer written.
 */
export interface D1Dump {
  format: 'shipshape-d1-dump';
  version: 1;
  schema: SchemaRow[];
  rows: Record<string, string[]>;
}

const SCHEMA_SQL =
  "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY rowid";

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Puts a dump back in one batch (all or nothing): drops what exists now, recreates the tables, inserts the
 * rows, then indexes, triggers and views. Requests keep being served meanwhile; they see before or after.
 */
export async function restoreDatabase(batch: BatchRunner, dump: D1Dump): Promise<void> {
  const [current] = await batch([{ sql: SCHEMA_SQL }]);
  const now = current as unknown as SchemaRow[];
  const statements: SqlStatement[] = [{ sql: 'PRAGMA defer_foreign_keys = on' }];
  for (const view of now.filter((s) => s.type === 'view'))
    statements.push({ sql: `DROP VIEW IF EXISTS ${ident(view.name)}` });
  for (const table of now.filter((s) => s.type === 'table').reverse()) {
    statements.push({ sql: `DROP TABLE IF EXISTS ${ident(table.name)}` });
  }
  for (const table of dump.schema.filter((s) => s.type === 'table' && s.sql)) {
    statements.push({ sql: table.sql as string });
    for (const values of dump.rows[table.name] ?? []) {
      statements.push({ sql: `INSERT INTO ${ident(table.name)} VALUES (${values})` });
    }
  }
  for (const kind of ['index', 'trigger', 'view']) {
    for (const entry of dump.schema.filter((s) => s.type === kind && s.sql))
      statements.push({ sql: entry.sql as string });
  }
  await batch(statements);
}

export function isDump(value: unknown): value is D1Dump {
  const v = value as Partial<D1Dump> | null;
  return !!v && v.format === 'shipshape-d1-dump' && Array.isArray(v.schema) && typeof v.rows === 'object';
}
