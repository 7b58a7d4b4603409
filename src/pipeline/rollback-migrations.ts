import { projectWorker, type ResolvedConfig } from '../config/resolved.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { EventBus } from '../events/bus.ts';
import { planRollback, rollbackMigrations } from '../migrations/index.ts';
import { listReleases } from '../state/history.ts';
import { readJournal } from '../state/journal.ts';
import type { Target } from '../targets/target.ts';

/**
 * Per D1 binding, the number to keep migrations up to when returning to `version`: the files applied by the
 * releases after the one that promoted it are the ones to undo. Empty when none were applied since.
 */
export function migrationsToUndo(config: ResolvedConfig, version: string): Map<string, number> {
  const releases = listReleases(config.projectDir, { env: config.env, worker: projectWorker(config) });
  const promotedAt = releases.findLastIndex((r) => r.outcome === 'promoted' && r.canary === version);
  if (promotedAt < 0) throw new ShipshapeError('MIGRATIONS_ROLLBACK_UNKNOWN_VERSION', { version });
  const keep = new Map<string, number>();
  for (const release of releases.slice(promotedAt + 1)) {
    for (const event of readJournal(config.projectDir, release.id)) {
      if (event.type !== 'migrations.applied') continue;
      const first = Math.min(...event.files.map((f) => Number.parseInt(f, 10)));
      keep.set(event.binding, Math.min(keep.get(event.binding) ?? Number.POSITIVE_INFINITY, first - 1));
    }
  }
  return keep;
}

/** What `rollback --migrations` will undo, for the confirmation prompt. */
export async function describeMigrationRollback(
  config: ResolvedConfig,
  target: Target,
  version: string,
): Promise<string[]> {
  const lines: string[] = [];
  for (const [name, to] of migrationsToUndo(config, version)) {
    const binding = config.worker.d1.find((b) => b.binding === name);
    if (!binding) continue;
    const plan = await planRollback(target.database(name), binding, { to });
    for (const t of plan.targets)
      lines.push(`${name}: ${t.name} (${plan.method === 'backup' ? 'restore the backup' : 'down file'})`);
  }
  return lines;
}

/** Undoes, per binding, the migrations applied since `version` was promoted: down files, else the backup. */
export async function rollbackMigrationsTo(
  config: ResolvedConfig,
  target: Target,
  bus: EventBus,
  version: string,
): Promise<void> {
  for (const [name, to] of migrationsToUndo(config, version)) {
    const binding = config.worker.d1.find((b) => b.binding === name);
    if (!binding) continue;
    const result = await rollbackMigrations(target.database(name), binding, { to });
    bus.emit({
      type: 'log',
      level: 'info',
      message: `${name}: rolled back ${result.targets.map((t) => t.name).join(', ') || 'nothing'} (${result.method})`,
      data: { binding: name, files: result.targets.map((t) => t.name), method: result.method },
    });
  }
}
