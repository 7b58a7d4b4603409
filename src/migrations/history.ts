import type { D1Binding } from '../config/worker-config.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { BackupRef, DatabaseDriver, SqlStatement } from '../targets/target.ts';

/** shipshape's own history: one row per apply, so a rollback keeps its trace. */
export const OWN_TABLE = 'shipshape_migrations';

/** A row of shipshape_migrations. */
export interface HistoryRecord {
  id: number;
  name: string;
  sha256: string;
  applied_at: string;
  release_id: string | null;
  rolled_back_at: string | null;
  /** JSON of the BackupRef taken before the apply run that applied this file. */
  backup: string | null;
}

/** A row of wrangler's table. */
export interface WranglerRecord {
  id: number;
  name: string;
  applied_at: string;
}

export interface History {
  /** wrangler's rows, in apply order: the truth of what is applied (wrangler agrees with it). */
  applied: WranglerRecord[];
  /** shipshape's live (not rolled back) record per applied file name. */
  records: Map<string, HistoryRecord>;
}

/** The binding's migrations table name, checked: wrangler writes it into SQL unquoted. */
export function migrationsTable(binding: Pick<D1Binding, 'migrationsTable'>): string {
  const table = binding.migrationsTable || 'd1_migrations';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new ShipshapeError('MIGRATIONS_TABLE_NAME', { table });
  return table;
}

/** Creates both history tables when missing; wrangler's with wrangler's own statement, byte for byte. */
export function createTablesSql(table: string): SqlStatement[] {
  return [
    {
      sql: `CREATE TABLE IF NOT EXISTS ${table}(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`,
    },
    {
      sql: `CREATE TABLE IF NOT EXISTS ${OWN_TABLE}(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  release_id TEXT,
  rolled_back_at TEXT,
  backup TEXT
)`,
    },
  ];
}

/** The two history inserts that run in the same batch as a migration file. */
export function recordApplySql(
  table: string,
  file: { name: string; sha256: string },
  meta: { appliedAt: string; releaseId: string | null; backup: BackupRef | null },
): SqlStatement[] {
  return [
    // wrangler's own insert: name only, applied_at from the column default.
    { sql: `INSERT INTO ${table} (name) values (?)`, params: [file.name] },
    {
      sql: `INSERT INTO ${OWN_TABLE} (name, sha256, applied_at, release_id, backup) VALUES (?, ?, ?, ?, ?)`,
      params: [
        file.name,
        file.sha256,
        meta.appliedAt,
        meta.releaseId,
        meta.backup ? JSON.stringify(meta.backup) : null,
      ],
    },
  ];
}

/** The history updates that run in the same batch as a down file. */
export function recordRollbackSql(table: string, name: string, at: string): SqlStatement[] {
  return [
    { sql: `DELETE FROM ${table} WHERE name = ?`, params: [name] },
    {
      sql: `UPDATE ${OWN_TABLE} SET rolled_back_at = ? WHERE name = ? AND rolled_back_at IS NULL`,
      params: [at, name],
    },
  ];
}

/** Reads both tables; a database never migrated reads as empty. */
export async function readHistory(driver: DatabaseDriver, table: string): Promise<History> {
  const present = new Set(
    (
      await driver.query<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)",
        [table, OWN_TABLE],
      )
    ).map((r) => r.name),
  );
  const applied = present.has(table)
    ? await driver.query<WranglerRecord>(`SELECT id, name, applied_at FROM ${table} ORDER BY id`)
    : [];
  const records = new Map<string, HistoryRecord>();
  if (present.has(OWN_TABLE)) {
    const rows = await driver.query<HistoryRecord>(
      `SELECT * FROM ${OWN_TABLE} WHERE rolled_back_at IS NULL ORDER BY id`,
    );
    for (const row of rows) records.set(row.name, row);
  }
  return { applied, records };
}

/** The applied state checkSequence needs: names in order and recorded checksums. */
export function appliedState(history: History): { names: string[]; checksums: Map<string, string> } {
  const checksums = new Map<string, string>();
  for (const [name, record] of history.records) checksums.set(name, record.sha256);
  return { names: history.applied.map((r) => r.name), checksums };
}
