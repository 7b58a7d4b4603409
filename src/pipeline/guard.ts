import type { ResolvedConfig } from '../config/resolved.ts';
import { ShipshapeError, toShipshapeError } from '../errors/shipshape-error.ts';
import type { EventBus } from '../events/bus.ts';
import type { Target } from '../targets/target.ts';

export interface HeldGuard {
  generation: number | null;
  /** Set once the platform refused this process's generation: it must stop, changing nothing more. */
  readonly fenced: ShipshapeError | null;
  /** For the journal: false once fenced (the append is refused). */
  accepts(): boolean;
  /** Stops renewing and gives the lease back (only if still ours). */
  stop(): Promise<void>;
}

/**
 * Holds the platform's lease on `release` while it runs and renews it three times per lease, so one missed
 * renewal is not a takeover. When the platform answers LEASE_STALE (it took the release over), `onFenced` runs
 * once. `expect`: take the lease only if the platform is still at that generation (a recovery it started).
 */
export async function holdGuard(
  deps: { config: ResolvedConfig; target: Target; bus: EventBus },
  release: string,
  onFenced: (error: ShipshapeError) => void,
  expect?: number,
): Promise<HeldGuard> {
  const guard = deps.target.guard;
  let fenced: ShipshapeError | null = null;
  if (!guard) {
    return { generation: null, fenced: null, accepts: () => true, stop: async () => {} };
  }
  const ttlMs = deps.config.rollback.guard;
  const generation = await guard.acquire(release, ttlMs, expect);
  const fence = (error: ShipshapeError) => {
    if (fenced) return;
    fenced = error;
    onFenced(error);
  };
  const timer = setInterval(
    () => {
      guard.renew().catch((err) => {
        const error = toShipshapeError(err);
        if (error.code === 'LEASE_STALE') fence(error);
        // Anything else (daemon restarting) is retried at the next tick; the lease outlasts a missed renewal.
      });
    },
    Math.max(100, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    generation,
    get fenced() {
      return fenced;
    },
    accepts() {
      if (fenced) return false;
      if (guard.current()) return true;
      fence(new ShipshapeError('LEASE_STALE', { release, generation, current: 'newer' }));
      return false;
    },
    async stop() {
      clearInterval(timer);
      if (fenced) return;
      await guard.release().catch((err) => {
        const error = toShipshapeError(err);
        if (error.code === 'LEASE_STALE') fence(error);
      });
    },
  };
}
