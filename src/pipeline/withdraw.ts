import { ShipshapeError, toShipshapeError } from '../errors/shipshape-error.ts';
import { notifyRollback, type RollbackDeps } from './rollback.ts';

/**
 * The rollback of a first release that already took traffic: there is no earlier version, so what served
 * before (nothing) is restored by taking the canary back to pinned-only. Unpinned requests get 503 "no
 * version serving yet"; the version stays reachable by pin for a look at what went wrong.
 */
export async function withdraw(
  deps: RollbackDeps,
  request: { releaseId: string | null; canary: string | null; reason: string },
): Promise<void> {
  const started = Date.now();
  const { bus, target } = deps;
  bus.emit({ type: 'rollback.started', reason: request.reason, from: request.canary, to: null });
  try {
    if (!request.canary)
      throw new ShipshapeError('ROLLBACK_FAILED', { to: null, reason: 'no version to withdraw' });
    const split = [{ version: request.canary, percent: 0 }];
    await target.setTraffic(split, `withdraw: ${request.reason}`);
    bus.emit({ type: 'traffic.changed', split });
    const finished = {
      type: 'rollback.finished' as const,
      ok: true,
      to: null,
      durationMs: Date.now() - started,
    };
    await notifyRollback(bus, { finished, reason: request.reason });
    bus.emit(finished);
  } catch (err) {
    bus.emit({ type: 'rollback.finished', ok: false, to: null, durationMs: Date.now() - started });
    if (err instanceof ShipshapeError && err.code === 'ROLLBACK_FAILED') throw err;
    throw new ShipshapeError(
      'ROLLBACK_FAILED',
      { to: null, reason: toShipshapeError(err).message },
      { cause: err },
    );
  }
}
