import { hostname } from 'node:os';
import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import { resolveActor } from '../flags/actor.ts';
import { type LockOwner, pidAlive } from '../state/lock.ts';

/**
 * Announces that this process took the project's lock from a holder that no longer held it (its process gone,
 * its lease lapsed, or fenced by the platform): an `action` event on `bus`, journaled with the release that
 * took it and sent to its notifiers, naming who ran the command and whose lock it was.
 */
export async function announceTakeover(
  bus: EventBus,
  config: ResolvedConfig,
  env: Record<string, string | undefined>,
  from: LockOwner,
): Promise<void> {
  const actor = await resolveActor(null, config.projectDir, env);
  bus.emit({
    type: 'action',
    action: 'lock.takeover',
    actor,
    reason: `the lock of release ${from.release} was stale (${whyStale(from)})`,
    detail: { from: from.release },
  });
}

/**
 * Why a lock could be taken: its lease ran out, its process is gone, or (a recovery of a paused process, whose lock
 * lease may still run) its release stopped renewing the platform's lease.
 */
function whyStale(from: LockOwner): string {
  const who = `pid ${from.pid} on ${from.host}`;
  if (Date.parse(from.leaseUntil) < Date.now()) return `${who}, lease until ${from.leaseUntil}`;
  if (from.host === hostname() && !pidAlive(from.pid)) return `${who} no longer runs`;
  return `${who} stopped renewing the release's platform lease`;
}
