import { projectSecrets } from '../config/dev-vars.ts';
import { projectWorker, type ResolvedConfig } from '../config/resolved.ts';
import { EventBus } from '../events/bus.ts';
import { resolveActor } from '../flags/actor.ts';
import { attachNotifier } from '../notify/notifier.ts';
import { lastPromotedVersion, listReleases, type ReleaseRecord } from '../state/history.ts';
import { attachJournal, readJournal } from '../state/journal.ts';
import { isLive, type LockOwner, readLock } from '../state/lock.ts';
import { lockPath } from '../state/paths.ts';
import type { Target } from '../targets/target.ts';
import type { ReleaseContext } from './context.ts';
import { finish } from './finish.ts';
import { announceTakeover } from './lock-takeover.ts';
import { manualPoll } from './manual-poll.ts';
import { restoreComponents, stagedComponents } from './orphan-components.ts';
import { finishOrphan } from './orphan-finish.ts';
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
  /** Fencing: asked before each journal append (false once the caller's lease is stale). */
  accepts?: () => boolean;
  /** Only this release (the platform's recovery of one release); default: every orphan. */
  only?: string;
  /** Opens another component's target: a release of several components restores each of them. */
  targetFor?: (config: ResolvedConfig) => Promise<Target>;
  /** Why the recovery runs, as announced; default: the command that found the release unfinished. */
  why?: string;
  /** The lock the recovery took from the release's silent process (`shipshape recover`): announced with it. */
  tookOverFrom?: LockOwner | null;
}

/** Releases that started, never finished, and whose process no longer holds the lock. */
export function findOrphans(
  config: ResolvedConfig,
  currentRelease: string | null,
  now: Date,
): ReleaseRecord[] {
  const holder = readLock(lockPath(config.projectDir, projectWorker(config), config.env));
  const liveRelease = holder && isLive(holder, now) ? holder.release : null;
  return listReleases(config.projectDir, { env: config.env, worker: projectWorker(config) }).filter(
    (r) => r.outcome === null && !r.dryRun && r.id !== currentRelease && r.id !== liveRelease,
  );
}

/**
 * Finishes every orphaned release (a `kill -9` mid-release): by default the last promoted version goes back to
 * 100% (`rollback.onOrphan: rollback`); with `resume`, a release whose new version was already in the deployment
 * is verified and rolled out again. Call while holding the lock.
 */
export async function recoverOrphans(deps: OrphanDeps): Promise<ReleaseRecord[]> {
  const orphans = findOrphans(deps.config, deps.currentRelease, deps.now()).filter(
    (o) => !deps.only || o.id === deps.only,
  );
  for (const orphan of orphans) {
    let rollback = rollbackState(deps.config.projectDir, orphan.id);
    // The account's guard may have put the traffic back already: the rest of the rollback is left to do here.
    const restored = rollback ? null : await guardRestore(deps, orphan);
    const resuming =
      !rollback && !restored && deps.config.rollback.onOrphan === 'resume' && orphan.touchedTraffic;
    deps.bus.emit({
      type: 'log',
      level: 'warn',
      message: `release ${orphan.id} did not finish (its process died); ${rollback || restored ? 'completing its rollback' : resuming ? 'resuming it' : 'restoring the last promoted version'}`,
    });
    const bus = new EventBus({ release: orphan.id, now: deps.now });
    bus.subscribe((e) => FORWARDED.has(e.type) && deps.bus.emit(withoutBase(e)));
    const detach = attachJournal(
      bus,
      deps.config.projectDir,
      orphan.id,
      deps.env,
      projectSecrets(deps.config),
      { accepts: deps.accepts },
    );
    // The recovery closes the release as the release would have: its notifications go out too, and the
    // rollback's notice exactly once (its `notify` step, unless the journal shows it sent).
    const notifier = attachNotifier(bus, deps.config, deps.env, { accepts: deps.accepts });
    if (deps.tookOverFrom?.release === orphan.id)
      await announceTakeover(bus, deps.config, deps.env, deps.tookOverFrom);
    bus.emit({
      type: 'action',
      action: 'recover',
      actor: await resolveActor(null, deps.config.projectDir, deps.env),
      reason: deps.why ?? 'its process died before the release finished',
      detail: {
        how:
          rollback || restored
            ? 'complete its rollback'
            : resuming
              ? 'resume it'
              : 'restore the last promoted version',
      },
    });
    if (restored) rollback = journalGuardRestore(bus, orphan, restored);
    const staged = stagedComponents(readJournal(deps.config.projectDir, orphan.id));
    try {
      if (staged) await restoreComponents(deps, orphan, bus, staged, rollback);
      else if (rollback) await complete(deps, orphan, bus, rollback);
      else if (resuming && orphan.canary) await resume(deps, { ...orphan, canary: orphan.canary }, bus);
      else await restore(deps, orphan, bus);
    } finally {
      if (!deps.accepts || deps.accepts()) await notifier.flush();
      notifier.detach();
      detach();
    }
  }
  return orphans;
}

/** A rollback the orphan's journal shows: started, which steps are done, and whether it finished. */
interface RollbackState {
  to: string | null;
  from: string | null;
  reason: string;
  done: Set<string>;
  finished: { ok: boolean } | null;
}

/** The version the account's guard put back at 100% for this orphan (its Worker's entry), if it did. */
async function guardRestore(
  deps: OrphanDeps,
  orphan: ReleaseRecord,
): Promise<{ at: string; to: string; flags: boolean } | null> {
  const record = await deps.target.guard?.restoredBy?.(orphan.id);
  const to = record && deps.target.scriptName ? record.workers[deps.target.scriptName] : undefined;
  return record && to ? { at: record.at, to, flags: record.flags } : null;
}

/**
 * Journals the guard's switch as the start of the orphan's rollback and its traffic step, and its flags as the flags
 * step (the guard runs where no journal is written), so the recovery completes exactly the steps after them.
 */
function journalGuardRestore(
  bus: EventBus,
  orphan: ReleaseRecord,
  restored: { at: string; to: string; flags: boolean },
): RollbackState {
  const reason = `its lease lapsed (the process stopped renewing it); the account's guard restored ${restored.to} at ${restored.at}`;
  bus.emit({ type: 'rollback.started', reason, from: orphan.canary, to: restored.to });
  bus.emit({ type: 'traffic.changed', split: [{ version: restored.to, percent: 100 }] });
  bus.emit({ type: 'rollback.step', step: 'traffic', to: restored.to });
  const done = new Set(['traffic']);
  if (restored.flags) {
    bus.emit({ type: 'log', level: 'info', message: "rollback flags set by the account's guard" });
    bus.emit({ type: 'rollback.step', step: 'flags', to: restored.to });
    done.add('flags');
  }
  return { to: restored.to, from: orphan.canary, reason, done, finished: null };
}

function rollbackState(projectDir: string, releaseId: string): RollbackState | null {
  let state: RollbackState | null = null;
  for (const e of readJournal(projectDir, releaseId)) {
    if (e.type === 'rollback.started')
      state = { to: e.to, from: e.from, reason: e.reason, done: new Set(), finished: null };
    else if (e.type === 'rollback.step') state?.done.add(e.step);
    else if (e.type === 'rollback.finished' && state) state.finished = { ok: e.ok };
  }
  return state;
}

/**
 * The release died during (or right after) its own rollback: finish exactly the steps its journal does not show
 * as done (traffic, each hook, flags, health, notify), then close the release.
 */
async function complete(
  deps: OrphanDeps,
  orphan: ReleaseRecord,
  bus: EventBus,
  rollback: RollbackState,
): Promise<void> {
  let outcome: 'rolled_back' | 'failed' = rollback.finished?.ok === false ? 'failed' : 'rolled_back';
  if (!rollback.finished) {
    const rollbackDeps = { config: deps.config, target: deps.target, bus, env: deps.env, sleep };
    const ok = await attempt(bus, 'Run "shipshape rollback VERSION".', async () => {
      if (rollback.to)
        await performRollback(rollbackDeps, {
          releaseId: orphan.id,
          from: rollback.from,
          to: rollback.to,
          reason: rollback.reason,
          done: rollback.done,
        });
      else if (orphan.canary)
        await withdraw(rollbackDeps, {
          releaseId: orphan.id,
          canary: orphan.canary,
          reason: rollback.reason,
        });
    });
    if (!ok) outcome = 'failed';
  }
  finishOrphan(bus, orphan, outcome, deps.now());
}

async function restore(deps: OrphanDeps, orphan: ReleaseRecord, bus: EventBus): Promise<void> {
  const deployment = await deps.target.deployment();
  const releases = listReleases(deps.config.projectDir, {
    env: deps.config.env,
    worker: projectWorker(deps.config),
  });
  const to = lastPromotedVersion(releases, orphan.canary) ?? orphan.baseline;
  const servesOnlyTo = deployment.split.length === 1 && deployment.split[0].version === to;
  let outcome: 'rolled_back' | 'aborted' | 'failed' = orphan.touchedTraffic ? 'rolled_back' : 'aborted';
  const firstServing =
    !to && orphan.canary && deployment.split.some((s) => s.version === orphan.canary && s.percent > 0);
  if (firstServing) {
    // A first release died after taking traffic: nothing served before it, so it goes back to pinned-only.
    const ok = await attempt(bus, 'Run "shipshape status".', () =>
      withdraw(
        { config: deps.config, target: deps.target, bus, env: deps.env, sleep },
        { releaseId: orphan.id, canary: orphan.canary, reason: 'the release process died before finishing' },
      ),
    );
    outcome = ok ? 'rolled_back' : 'failed';
  } else if (to && !servesOnlyTo) {
    const ok = await attempt(bus, 'Run "shipshape rollback VERSION".', () =>
      performRollback(
        { config: deps.config, target: deps.target, bus, env: deps.env, sleep },
        {
          releaseId: orphan.id,
          from: orphan.canary,
          to,
          reason: 'the release process died before finishing',
        },
      ),
    );
    outcome = ok ? 'rolled_back' : 'failed';
  }
  finishOrphan(bus, orphan, outcome, deps.now());
}

/** Resumes a one-worker release from verify (a release of several components is rolled back instead). */
async function resume(
  deps: OrphanDeps,
  orphan: ReleaseRecord & { canary: string },
  bus: EventBus,
): Promise<void> {
  const unit = { name: deps.config.component.name, config: deps.config, target: deps.target };
  const ctx: ReleaseContext = {
    releaseId: orphan.id,
    config: deps.config,
    units: [unit],
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
    outputs: {
      plan: null,
      staged: [{ ...unit, canary: orphan.canary, baseline: orphan.baseline }],
      backups: [],
      served: true,
      rollout: null,
      warnings: [],
    },
    manual: { poll: manualPoll(deps.config.projectDir, orphan.id, bus) },
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

/** Runs one recovery action; a failure becomes a ROLLBACK_FAILED event with `hint`, and false. */
async function attempt(bus: EventBus, hint: string, work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (err) {
    bus.emit({ type: 'error', code: 'ROLLBACK_FAILED', message: (err as Error).message, hint });
    return false;
  }
}
