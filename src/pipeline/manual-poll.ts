import type { EventBus } from '../events/bus.ts';
import { type ManualAction, takeAction } from '../state/control.ts';
import type { ReleaseStore } from '../state/release-store.ts';

/**
 * The release's poll for a person's `promote`/`abort`: a request taken is announced on the release's bus (an
 * `action` event with who asked and why: journaled with the release and sent to its notifiers) before the
 * rollout acts on it.
 */
export function manualPoll(
  projectDir: string,
  releaseId: string,
  bus: EventBus,
  store?: ReleaseStore,
): () => Promise<ManualAction | null> {
  return async () => {
    // A request from this machine, else one another runner left in the account's state.
    const request = takeAction(projectDir, releaseId) ?? (store ? await store.takeRequest(releaseId) : null);
    if (!request) return null;
    bus.emit({ type: 'action', action: request.action, actor: request.actor, reason: request.reason });
    return request.action;
  };
}
