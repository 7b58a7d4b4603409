import { projectSecrets } from '../config/dev-vars.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import { EventBus } from '../events/bus.ts';
import { takeAction } from '../state/control.ts';
import { lastPromotedVersion, listReleases, type ReleaseRecord } from '../state/history.ts';
import { attachJournal } from '../state/journal.ts';
import { isLive, readLock } from '../state/lock.ts';
import { lockPath } from '../state/paths.ts';
import type { Target } from '../targets/target.ts';
import type { ReleaseContext } from './context.ts';
import { finish } from './finish.ts';
import { performRollback } from './rollback.ts';
import { runPipeline } from './runner.ts';
import { sleep } from './sleep.ts';
import { withdraw } from './withdraw.ts';

/** What the caller's reporter shows of a recovery; the full record stays in the orphan's journal. */
const FORWARDED = new Set(['log', 'error', 'rollback.started', 'rollback.finished', 'traffic.changed']);

export interface OrphanDeps {
  config: ResolvedConfig;
  target: Target;
  /** The caller's bus: recovery is announced there; its details go to the orphan's own journal. */
  bus: EventBus;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** The release the caller is running (never treated as an orphan). */
  currentRelease: string | null;
}

/** Releases that started, never finished, and whose process no longer holds the lock. */
export function findOrphans(
  config: ResolvedConfig,
  currentRelease: string | null,
  now: Date,
): ReleaseRecord[] {
  const holder = readLock(lockPath(config.projectDir, config.worker.name, config.env));
  const liveRelease = holder && isLive(holder, now) ? holder.release : null;
  return listReleases(config.projectDir, { env: config.env, worker: config.worker.name }).filter(
    (r) => r.outcome === null && !r.dryRun && r.id !== currentRelease && r.id !== liveRelease,
  );
}

/**
 * Finishes every orphaned release (a `kill -9` mid-release): by default the last promoted version goes back to
 * 100% (`rollback.onOrphan: rollback`); with `resume`, a release whose new version was already in the deployment
 * is verified and rolled out again. Call while holding the lock.
 */
export async function recoverOrphans(deps: OrphanDeps): Promise<ReleaseRecord[]> {
  const orphans = findOrphans(deps.config, deps.currentRelease, deps.now());
  for (const orphan of orphans) {
    deps.bus.emit({
      type: 'log',
      level: 'warn',
      message: `release ${orphan.id} did not finish (its process died); ${deps.config.rollback.onOrphan === 'resume' && orphan.touchedTraffic ? 'resuming it' : 'restoring the last promoted version'}`,
    });
    const bus = new EventBus({ release: orphan.id, now: deps.now });
    bus.subscribe((e) => FORWARDED.has(e.type) && deps.bus.emit(withoutBase(e)));
    const detach = attachJournal(
      bus,
      deps.config.projectDir,
      orphan.id,
      deps.env,
      projectSecrets(deps.config),
    );
    try {
      if (deps.config.rollback.onOrphan === 'resume' && orphan.touchedTraffic && orphan.canary)
        await resume(deps, orphan, bus);
      else await restore(deps, orphan, bus);
    } finally {
      detach();
    }
  }
  return orphans;
}

async function restore(deps: OrphanDeps, orphan: ReleaseRecord, bus: EventBus): Promise<void> {
  const deployment = await deps.target.deployment();
  const releases = listReleases(deps.config.projectDir, {
    env: deps.config.env,
    worker: deps.config.worker.name,
  });
  const to = lastPromotedVersion(releases, orphan.canary) ?? orphan.baseline;
  const servesOnlyTo = deployment.split.length === 1 && deployment.split[0].version === to;
  let outcome: 'rolled_back' | 'aborted' | 'failed' = orphan.touchedTraffic ? 'rolled_back' : 'aborted';
  const firstServing =
    !to && orphan.canary && deployment.split.some((s) => s.version === orphan.canary && s.percent > 0);
  if (firstServing) {
    // A first release died after taking traffic: nothing served before it, so it goes back to pinned-only.
    try {
      await withdraw(
        { config: deps.config, target: deps.target, bus, env: deps.env, sleep },
        { releaseId: orphan.id, canary: orphan.canary, reason: 'the release process died before finishing' },
      );
      outcome = 'rolled_back';
    } catch (err) {
      bus.emit({
        type: 'error',
        code: 'ROLLBACK_FAILED',
        message: (err as Error).message,
        hint: 'Run "shipshape status".',
      });
      outcome = 'failed';
    }
  } else if (to && !servesOnlyTo) {
    try {
      await performRollback(
        { config: deps.config, target: deps.target, bus, env: deps.env, sleep },
        {
          releaseId: orphan.id,
          from: orphan.canary,
          to,
          reason: 'the release process died before finishing',
        },
      );
      outcome = 'rolled_back';
    } catch (err) {
      bus.emit({
        type: 'error',
        code: 'ROLLBACK_FAILED',
        message: (err as Error).message,
        hint: 'Run "shipshape rollback VERSION".',
      });
      outcome = 'failed';
    }
  }
  bus.emit({
    type: 'release.finished',
    score: 0,
    outcome,
    phases: orphan.phases,
    durationMs: 0,
    version: orphan.canary,
    baseline: orphan.baseline,
  });
}

async function resume(deps: OrphanDeps, orphan: ReleaseRecord, bus: EventBus): Promise<void> {
  const ctx: ReleaseContext = {
    releaseId: orphan.id,
    config: deps.config,
    target: deps.target,
    bus,
    options: {
      dryRun: false,
      skipE2e: false,
      forceWindow: null,
      monitorMs: null,
      bakeMs: null,
      message: null,
    },
    env: deps.env,
    now: deps.now,
    sleep,
    signal: new AbortController().signal,
    state: {
      baseline: orphan.baseline,
      canary: orphan.canary,
      artifact: null,
      backups: [],
      inDeployment: true,
      served: true,
      rollout: null,
      warnings: [],
    },
    manual: { poll: async () => takeAction(deps.config.projectDir, orphan.id) },
  };
  const { gate, release } = orphan.phases;
  const result = await runPipeline(ctx, {
    from: 'verify',
    phases: { gate: gate ?? 5, release: release ?? 5 },
  });
  await finish(ctx, result, Date.now());
}

function withoutBase(e: ReturnType<EventBus['emit']>) {
  const { v: _v, ts: _ts, release: _release, ...body } = e;
  return body;
}
