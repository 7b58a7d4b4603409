import type { SqlStatement } from '../target.ts';

/** Runs statements as one D1 batch (one transaction) and returns each statement's rows. */
export type BatchRunner = (statements: SqlStatement[]) => Promise<Array<Array<Record<string, unknown>>>>;

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** A consistent copy of one database: its schema and, per table, each row as SQL literals. */
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
 * Reads the whole database inside one D1 batch, so the copy is consistent: every table's rows come from the
 * same transaction, and the schema is read again in it to detect a change since the column lookup.
 */
export async function dumpDatabase(batch: BatchRunner): Promise<D1Dump> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [schemaRows] = await batch([{ sql: SCHEMA_SQL }]);
    const schema = schemaRows as unknown as SchemaRow[];
    const tables = schema.filter((s) => s.type === 'table');
    const columns = tables.length
      ? await batch(tables.map((t) => ({ sql: `PRAGMA table_info(${ident(t.name)})` })))
      : [];
    const selects = tables.map((t, i) => {
      const cols = columns[i].map((c) => `quote(${ident(String(c.name))})`).join(" || ',' || ");
      return { sql: `SELECT ${cols} AS v FROM ${ident(t.name)}` };
    });
    const [again, ...data] = await batch([{ sql: SCHEMA_SQL }, ...selects]);
    if (JSON.stringify(again) !== JSON.stringify(schemaRows)) continue;
    const rows: Record<string, string[]> = {};
    tables.forEach((t, i) => {
      rows[t.name] = data[i].map((r) => String(r.v));
    });
    return { format: 'shipshape-d1-dump', version: 1, schema, rows };
  }
  throw new Error('the schema kept changing while the backup was read; try again');
}

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
