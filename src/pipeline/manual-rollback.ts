import { projectSecrets } from '../config/dev-vars.ts';
import { componentName, projectWorker, type ResolvedConfig } from '../config/resolved.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { EventBus } from '../events/bus.ts';
import { attachNotifier } from '../notify/notifier.ts';
import { lastPromotedVersion, listReleases } from '../state/history.ts';
import { attachJournal, newReleaseId } from '../state/journal.ts';
import { acquireLock } from '../state/lock.ts';
import type { Target, Version } from '../targets/target.ts';
import { type HeldGuard, holdGuard } from './guard.ts';
import { announceTakeover } from './lock-takeover.ts';
import { recoverOrphans } from './orphans.ts';
import { performRollback } from './rollback.ts';
import { describeMigrationRollback, rollbackMigrationsTo } from './rollback-migrations.ts';
import { servingVersion } from './serving.ts';
import { sleep } from './sleep.ts';

export interface ManualRollbackOptions {
  /** A version id or a unique prefix of one (at least 4 characters); default: the last promoted version. */
  version: string | null;
  reason: string;
  /** Who asked (announced and journaled with the reason). */
  actor: string;
  /** Also undo the migrations applied since `to` was promoted (down files, else the backup). */
  migrations?: boolean;
  /** Asked before undoing migrations; answering no stops before anything changes. */
  confirm?: (lines: string[]) => Promise<boolean>;
}

/**
 * `shipshape rollback`: takes the lock, finishes any orphan, then puts the chosen version back at 100% and
 * journals it as a release of its own (outcome `rolled_back`), announced with who and why (an `action` event,
 * then the rollback's notice). A notification that fails is a warning in that journal, never a failed rollback.
 */
export async function manualRollback(
  deps: {
    config: ResolvedConfig;
    target: Target;
    bus: EventBus;
    env: Record<string, string | undefined>;
    now: () => Date;
  },
  options: ManualRollbackOptions,
): Promise<{ releaseId: string; to: string; from: string | null }> {
  const { config, target, bus } = deps;
  const releaseId = newReleaseId(deps.now());
  const lock = acquireLock({
    projectDir: config.projectDir,
    worker: projectWorker(config),
    env: config.env,
    release: releaseId,
    now: deps.now(),
  });
  let guard: HeldGuard | null = null;
  try {
    // The operator's rollback takes the platform's lease itself: a silent holder is fenced from here on.
    guard = await holdGuard(deps, releaseId, () => {});
    await recoverOrphans({
      config,
      target,
      bus,
      env: deps.env,
      now: deps.now,
      currentRelease: releaseId,
      accepts: guard.accepts,
    });
    const [deployment, versions] = await Promise.all([target.deployment(), target.versions()]);
    const serving = servingVersion(deployment.split);
    const to = options.version ? pickVersion(versions, options.version) : defaultTarget(config, serving);
    if (options.migrations) {
      const lines = await describeMigrationRollback(config, target, to);
      if (lines.length > 0 && !(await (options.confirm ?? (async () => false))(lines))) {
        throw new ShipshapeError('MIGRATIONS_ROLLBACK_UNCONFIRMED', { count: lines.length });
      }
    }
    bus.release = releaseId;
    const detach = attachJournal(bus, config.projectDir, releaseId, deps.env, projectSecrets(config), {
      accepts: guard.accepts,
    });
    const notifier = attachNotifier(bus, config, deps.env, { accepts: guard.accepts });
    const started = Date.now();
    try {
      bus.emit({
        type: 'release.started',
        worker: projectWorker(config),
        env: config.env,
        target: target.name,
        dryRun: false,
        baseline: serving,
      });
      if (lock.tookOverFrom) await announceTakeover(bus, config, deps.env, lock.tookOverFrom);
      bus.emit({
        type: 'action',
        action: 'rollback',
        actor: options.actor,
        reason: options.reason,
        detail: { from: serving?.slice(0, 8) ?? 'none', to: to.slice(0, 8) },
        ...(componentName(config) ? { component: componentName(config) } : {}),
      });
      let outcome: 'rolled_back' | 'failed' = 'rolled_back';
      try {
        await performRollback(
          { config, target, bus, env: deps.env, sleep },
          { releaseId, from: serving, to, reason: options.reason, actor: options.actor },
        );
        // Code first: the version that needed the new schema is out of traffic before the schema goes.
        if (options.migrations) await rollbackMigrationsTo(config, target, bus, to);
      } catch (err) {
        outcome = 'failed';
        throw err;
      } finally {
        bus.emit({
          type: 'release.finished',
          score: 0,
          outcome,
          phases: {},
          durationMs: Date.now() - started,
          version: null,
          baseline: serving,
          // A manual rollback is not a release: it earns no score and shows none.
          scored: false,
        });
      }
      return { releaseId, to, from: serving };
    } finally {
      // Bounded by notify.timeout; a fenced process sends nothing more.
      if (guard.accepts()) await notifier.flush();
      notifier.detach();
      detach();
    }
  } finally {
    await guard?.stop();
    lock.release();
  }
}

function pickVersion(versions: Version[], wanted: string): string {
  const matches =
    wanted.length >= 4
      ? versions.filter((v) => v.id === wanted || v.id.startsWith(wanted))
      : versions.filter((v) => v.id === wanted);
  if (matches.length === 1) return matches[0].id;
  throw new ShipshapeError('VERSION_UNKNOWN', {
    version: wanted,
    available: [...versions]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((v) => `${v.id.slice(0, 8)} (${v.createdAt.slice(0, 19)}${v.message ? `, ${v.message}` : ''})`),
  });
}

function defaultTarget(config: ResolvedConfig, serving: string | null): string {
  const to = lastPromotedVersion(
    listReleases(config.projectDir, { env: config.env, worker: projectWorker(config) }),
    serving,
    componentName(config),
  );
  if (!to) throw new ShipshapeError('NO_ROLLBACK_TARGET', {});
  return to;
}
