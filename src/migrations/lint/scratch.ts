import { DatabaseSync } from 'node:sqlite';
import { parseStatement } from '../../sql/parse-statement.ts';
import { splitStatements } from '../../sql/split.ts';

export interface ColumnInfo {
  name: string;
  type: string;
}

/** What a statement did to the schema, read by comparing sqlite_master before and after it ran. */
export interface SchemaDiff {
  droppedTables: string[];
  createdTables: string[];
  /** table → columns that disappeared (tables present before and after). */
  droppedColumns: Map<string, string[]>;
  /** old name → new name, when a table vanished and one with the same columns appeared. */
  renamedTables: Map<string, string>;
}

/** Tables the platform or the history keep; never part of the user's schema. */
const isInternal = (name: string) => /^(sqlite_|_cf_|d1_migrations$|shipshape_migrations$)/.test(name);

/**
 * An in-memory SQLite (Node's own `node:sqlite`) that the migrations are applied to, statement by statement, so the linter sees
 * the real schema before each statement and what each one changed, whatever syntax it used.
 */
export class ScratchDb {
  private tables = new Map<string, string>();
  private version = 0;
  private closed = false;

  private constructor(private readonly db: DatabaseSync) {
    // D1 always enforces foreign keys; the scratch copy behaves the same.
    db.exec('PRAGMA foreign_keys = ON');
  }

  static async create(): Promise<ScratchDb> {
    return new ScratchDb(new DatabaseSync(':memory:'));
  }

  /** A scratch database holding the schema `dump()` returned (no rows: the rules never read data). */
  static async fromDump(statements: string[]): Promise<ScratchDb> {
    const scratch = await ScratchDb.create();
    for (const sql of statements) scratch.db.exec(sql);
    scratch.version = -1;
    scratch.run('SELECT 1');
    return scratch;
  }

  /** The schema as CREATE statements: tables, then indexes, views and triggers, each in creation order. */
  dump(): string[] {
    const rows = this.rows(
      "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
    );
    const order = ['table', 'index', 'view', 'trigger'];
    return order.flatMap((type) => rows.filter((r) => r[0] === type).map((r) => String(r[1])));
  }

  /** Runs one statement; returns the schema diff, or throws SQLite's own error. */
  run(sql: string): SchemaDiff | null {
    this.db.exec(sql);
    const version = Number(this.rows('PRAGMA schema_version')[0]?.[0] ?? 0);
    if (version === this.version) return null;
    this.version = version;
    const before = this.tables;
    this.tables = this.readTables();
    return this.diff(before, this.tables);
  }

  hasTable(name: string): boolean {
    return this.tables.has(name);
  }

  tableNames(): string[] {
    return [...this.tables.keys()];
  }

  columns(table: string): ColumnInfo[] {
    const sql = this.tables.get(table);
    return sql === undefined ? [] : columnsOfSql(sql);
  }

  /** Tables whose foreign keys point at `table` with ON DELETE CASCADE. */
  cascadeChildren(table: string): string[] {
    return this.tableNames().filter((child) => {
      const rows = this.rows(`PRAGMA foreign_key_list("${child.replaceAll('"', '""')}")`);
      return rows.some(
        (r) => String(r[2]).toLowerCase() === table && String(r[6]).toUpperCase() === 'CASCADE',
      );
    });
  }

  /** Idempotent: a scratch copy may be closed by its owner and again by a caller that borrowed it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** Rows as arrays of column values, in the statement's column order. */
  private rows(sql: string): unknown[][] {
    return this.db
      .prepare(sql)
      .all()
      .map((row) => Object.values(row));
  }

  private readTables(): Map<string, string> {
    const rows = this.rows("SELECT lower(name), sql FROM sqlite_master WHERE type = 'table'");
    return new Map(rows.filter((r) => !isInternal(String(r[0]))).map((r) => [String(r[0]), String(r[1])]));
  }

  private diff(before: Map<string, string>, after: Map<string, string>): SchemaDiff {
    const dropped = [...before.keys()].filter((t) => !after.has(t));
    const created = [...after.keys()].filter((t) => !before.has(t));
    const shape = (sql: string) =>
      columnsOfSql(sql)
        .map((c) => c.name)
        .join(',');
    const renamedTables = new Map<string, string>();
    for (const t of created) {
      const old = dropped.find(
        (d) => !renamedTables.has(d) && shape(before.get(d)!) === shape(after.get(t)!),
      );
      if (old) renamedTables.set(old, t);
    }
    const droppedColumns = new Map<string, string[]>();
    for (const [t, sql] of before) {
      const now = after.get(t);
      if (now === undefined || now === sql) continue;
      const kept = new Set(columnsOfSql(now).map((c) => c.name));
      const gone = columnsOfSql(sql)
        .map((c) => c.name)
        .filter((c) => !kept.has(c));
      if (gone.length) droppedColumns.set(t, gone);
    }
    const renamed = new Set(renamedTables.values());
    return {
      droppedTables: dropped.filter((t) => !renamedTables.has(t)),
      createdTables: created.filter((t) => !renamed.has(t)),
      droppedColumns,
      renamedTables,
    };
  }
}

const columnCache = new Map<string, ColumnInfo[]>();

/** Columns of a table from its CREATE TABLE text in sqlite_master (which SQLite keeps current on ALTER). */
export function columnsOfSql(sql: string): ColumnInfo[] {
  let cols = columnCache.get(sql);
  if (!cols) {
    const statement = splitStatements(sql).statements[0];
    const parsed = statement ? parseStatement(statement) : null;
    cols = parsed?.kind === 'create-table' ? parsed.columns.map((c) => ({ name: c.name, type: c.type })) : [];
    if (columnCache.size > 10_000) columnCache.clear();
    columnCache.set(sql, cols);
  }
  return cols;
}
