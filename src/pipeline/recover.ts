import { projectWorker, type ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import { acquireLock } from '../state/lock.ts';
import type { Target } from '../targets/target.ts';
import { holdGuard } from './guard.ts';
import { recoverOrphans } from './orphans.ts';

/**
 * The platform's recovery of one release whose lease lapsed (started by the platform, `shipshape recover`):
 * takes the lease at the generation the platform fenced the holder with, takes the lock over from the silent
 * holder, and finishes the release as `rollback.onOrphan` says. A recovery that lost the race to a newer
 * holder (a deploy that recovers it itself) stops with LEASE_STALE or LOCK_HELD, having changed nothing.
 * @returns whether the release was finished here
 */
export async function recoverRelease(
  deps: {
    config: ResolvedConfig;
    target: Target;
    bus: EventBus;
    env: Record<string, string | undefined>;
    now: () => Date;
    /** Another component's target: a release of several components is restored in every one. */
    targetFor?: (config: ResolvedConfig) => Promise<Target>;
  },
  release: string,
  generation: number | undefined,
): Promise<boolean> {
  const { config } = deps;
  const controller = new AbortController();
  const guard = await holdGuard(deps, release, (e) => controller.abort(e), generation);
  try {
    const lock = acquireLock({
      projectDir: config.projectDir,
      worker: projectWorker(config),
      env: config.env,
      release: `recover-${release}`,
      now: deps.now(),
      takeOver: release,
    });
    try {
      const done = await recoverOrphans({
        config,
        target: deps.target,
        bus: deps.bus,
        env: deps.env,
        now: deps.now,
        currentRelease: null,
        accepts: guard.accepts,
        only: release,
        targetFor: deps.targetFor,
        why: 'its lease lapsed: the process stopped renewing it',
        tookOverFrom: lock.tookOverFrom,
      });
      if (guard.fenced) throw guard.fenced;
      return done.length > 0;
    } finally {
      if (!guard.fenced) lock.release();
    }
  } finally {
    await guard.stop();
  }
}
