import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import { resolveActor } from '../flags/actor.ts';
import type { LockOwner } from '../state/lock.ts';

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
    // A recovery takes the lock of a release whose platform lease lapsed, whatever the lock file's own lease says.
    reason:
      Date.parse(from.leaseUntil) < Date.now()
        ? `the lock of release ${from.release} was stale (pid ${from.pid} on ${from.host}, lease until ${from.leaseUntil})`
        : `release ${from.release} stopped renewing its platform lease (pid ${from.pid} on ${from.host}): its lock is taken over to recover it`,
    detail: { from: from.release },
  });
}
