import { relative } from 'node:path';
import type { D1Binding } from '../config/worker-config.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { BackupRef, DatabaseDriver, SqlStatement } from '../targets/target.ts';
import { statementsOf } from './apply.ts';
import type { DownFile } from './files.ts';
import { createTablesSql, type HistoryRecord, OWN_TABLE, recordRollbackSql } from './history.ts';
import { locateFailure } from './locate-failure.ts';
import { type MigrationsState, readState } from './plan.ts';

export interface RollbackTarget {
  name: string;
  number: number;
  down: DownFile | null;
  record: HistoryRecord | null;
}

/** What a rollback will do, computed before anything changes (the CLI shows it before asking). */
export interface RollbackPlan {
  /** Latest first. */
  targets: RollbackTarget[];
  method: 'down-files' | 'backup';
  /** With method 'backup': the backup to restore. */
  restore: BackupRef | null;
}

export interface RollbackOptions {
  /** Keep migrations numbered up to this one; default: undo only the last applied. 0 undoes them all. */
  to?: number | null;
  /** Restore the recorded backup even when down files exist. */
  useBackup?: boolean;
  /** Take a backup before running down files (default true). */
  backup?: boolean;
  now?: () => Date;
}

export interface RollbackResult extends RollbackPlan {
  /** The backup taken before running down files. */
  backup: BackupRef | null;
}

/**
 * Works out which applied migrations a rollback undoes and how: their down files in reverse order, or the
 * backup recorded when they were applied (when a down file is missing or `useBackup`).
 */
export async function planRollback(
  driver: DatabaseDriver,
  binding: D1Binding,
  options: Pick<RollbackOptions, 'to' | 'useBackup'> = {},
): Promise<RollbackPlan & { state: MigrationsState }> {
  const state = await readState(driver, binding);
  const files = new Map(state.dir.files.map((f) => [f.name, f]));
  const applied = state.history.applied.map((r) => ({ ...r, number: Number.parseInt(r.name, 10) }));
  const chosen =
    options.to === undefined || options.to === null
      ? applied.slice(-1)
      : applied.filter((r) => r.number > options.to!);
  const targets = chosen.reverse().map((r) => ({
    name: r.name,
    number: r.number,
    down: files.get(r.name)?.down ?? null,
    record: state.history.records.get(r.name) ?? null,
  }));
  if (targets.length === 0) return { targets, method: 'down-files', restore: null, state };
  if (!options.useBackup && targets.every((t) => t.down))
    return { targets, method: 'down-files', restore: null, state };
  const earliest = targets[targets.length - 1];
  const withoutDown = targets.find((t) => !t.down) ?? earliest;
  if (!earliest.record?.backup) {
    const downHint = relative(binding.migrationsDir, `${binding.migrationsDir}/rollback/${withoutDown.name}`);
    throw new ShipshapeError('MIGRATIONS_NO_BACKUP', {
      file: withoutDown.name,
      downHint: `migrations/${downHint}`,
    });
  }
  // The backup restores the state before the first file of the run that applied `earliest`.
  const run = [...state.history.records.values()].filter((r) => r.backup === earliest.record!.backup);
  const first = run.reduce((a, b) => (a.id < b.id ? a : b));
  const names = new Set(targets.map((t) => t.name));
  if (!names.has(first.name)) {
    const extra = run.filter((r) => !names.has(r.name) && r.id < earliest.record!.id).map((r) => r.name);
    const to = String(Number.parseInt(first.name, 10) - 1).padStart(4, '0');
    throw new ShipshapeError('MIGRATIONS_BACKUP_SCOPE', {
      file: earliest.name,
      first: first.name,
      extra,
      to,
    });
  }
  return { targets, method: 'backup', restore: JSON.parse(earliest.record.backup) as BackupRef, state };
}

/**
 * Rolls back applied migrations (see planRollback). Down files run one per batch with the history updates
 * (d1_migrations row deleted, shipshape_migrations marked rolled back); a restore puts the backup back and
 * then records the rollback in shipshape_migrations.
 * @example await rollbackMigrations(target.database('DB'), binding, { to: 2 })
 */
export async function rollbackMigrations(
  driver: DatabaseDriver,
  binding: D1Binding,
  options: RollbackOptions = {},
): Promise<RollbackResult> {
  const now = options.now ?? (() => new Date());
  const { state, ...plan } = await planRollback(driver, binding, options);
  if (plan.targets.length === 0) return { ...plan, backup: null };
  if (plan.method === 'backup') {
    await driver.restore(plan.restore!);
    const at = now().toISOString();
    const records: SqlStatement[] = plan.targets.map((t) => ({
      sql: `INSERT INTO ${OWN_TABLE} (name, sha256, applied_at, release_id, rolled_back_at, backup) VALUES (?, ?, ?, ?, ?, ?)`,
      params: [
        t.name,
        t.record?.sha256 ?? '',
        t.record?.applied_at ?? at,
        t.record?.release_id ?? null,
        at,
        t.record?.backup ?? null,
      ],
    }));
    await driver.batch([...createTablesSql(state.table), ...records]);
    return { ...plan, backup: null };
  }
  const backup =
    options.backup === false ? null : await driver.backup(`before-rollback-${plan.targets[0].name}`);
  for (const target of plan.targets) {
    const statements = statementsOf({ name: target.down!.path, sql: target.down!.sql });
    const batch = [
      ...statements.map((s) => ({ sql: s.text })),
      ...recordRollbackSql(state.table, target.name, now().toISOString()),
    ];
    try {
      await driver.batch(batch);
    } catch (err) {
      const point = await locateFailure(driver, batch).catch(() => null);
      const where =
        point && statements[point.index] ? `line ${statements[point.index].line}` : 'its history update';
      throw new ShipshapeError(
        'MIGRATIONS_ROLLBACK_FAILED',
        {
          file: target.name,
          where,
          reason: point?.message ?? (err as Error).message,
          backup: backup?.ref ?? null,
        },
        { cause: err },
      );
    }
  }
  return { ...plan, backup };
}
