import type { D1Binding } from '../config/worker-config.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { type Statement, splitStatements } from '../sql/split.ts';
import { SqlSyntaxError } from '../sql/tokenizer.ts';
import type { BackupRef, DatabaseDriver, SqlStatement } from '../targets/target.ts';
import type { MigrationFile } from './files.ts';
import { createTablesSql, recordApplySql } from './history.ts';
import { locateFailure } from './locate-failure.ts';
import { assertNoBlockingProblems, readState } from './plan.ts';

export interface ApplyOptions {
  /** Release that applies them, recorded in shipshape_migrations. Default null (a manual apply). */
  releaseId?: string | null;
  /** Take `driver.backup()` before the first file (default true). */
  backup?: boolean;
  now?: () => Date;
  /** Called after each file is applied. */
  onApplied?: (file: MigrationFile) => void;
}

export interface ApplyResult {
  applied: MigrationFile[];
  /** The backup taken before the first file, or null when nothing was pending or backup was off. */
  backup: BackupRef | null;
}

/**
 * Applies the pending migrations in order. Each file runs as one `driver.batch()` together with its history
 * inserts (wrangler's d1_migrations row and shipshape's own), so a file is applied entirely or not at all; a
 * failing statement is named in MIGRATIONS_STATEMENT_FAILED and leaves no trace. Sequence problems and edited
 * applied files are refused before anything runs; every file is parsed before the first one is applied.
 * @example const { applied, backup } = await applyMigrations(target.database('DB'), binding, { releaseId })
 */
export async function applyMigrations(
  driver: DatabaseDriver,
  binding: D1Binding,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const now = options.now ?? (() => new Date());
  const state = await readState(driver, binding);
  assertNoBlockingProblems(state.problems);
  if (state.pending.length === 0) return { applied: [], backup: null };
  const parsed = state.pending.map((file) => ({ file, statements: statementsOf(file) }));
  await driver.batch(createTablesSql(state.table));
  const backup = options.backup === false ? null : await driver.backup(`before-${state.pending[0].name}`);
  const applied: MigrationFile[] = [];
  for (const { file, statements } of parsed) {
    const history = recordApplySql(state.table, file, {
      appliedAt: now().toISOString(),
      releaseId: options.releaseId ?? null,
      backup,
    });
    const batch: SqlStatement[] = [...statements.map((s) => ({ sql: s.text })), ...history];
    try {
      await driver.batch(batch);
    } catch (err) {
      throw await statementError(driver, file, statements, batch, err, applied);
    }
    applied.push(file);
    options.onApplied?.(file);
  }
  return { applied, backup };
}

/** Splits a file into statements; a file that does not tokenize is refused with its line. */
export function statementsOf(file: { name: string; sql: string }): Statement[] {
  try {
    return splitStatements(file.sql).statements;
  } catch (err) {
    if (!(err instanceof SqlSyntaxError)) throw err;
    throw new ShipshapeError('MIGRATIONS_PARSE', { file: file.name, line: err.line, reason: err.message });
  }
}

async function statementError(
  driver: DatabaseDriver,
  file: MigrationFile,
  statements: Statement[],
  batch: SqlStatement[],
  err: unknown,
  applied: MigrationFile[],
): Promise<ShipshapeError> {
  const reason = err instanceof Error ? err.message : String(err);
  const point = await locateFailure(driver, batch).catch(() => null);
  const statement = point ? statements[point.index] : undefined;
  return new ShipshapeError(
    'MIGRATIONS_STATEMENT_FAILED',
    {
      file: file.name,
      index: point ? point.index + 1 : '?',
      line: statement?.line ?? '?',
      reason: point?.message ?? reason,
      statement: statement ? excerpt(statement.text) : point ? '(the history insert)' : '(unknown statement)',
      appliedBefore: applied.map((f) => f.name),
    },
    { cause: err },
  );
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
