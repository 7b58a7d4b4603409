import { projectSecrets } from '../config/dev-vars.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import { EventBus } from '../events/bus.ts';
import type { EventBody, EventOf, ShipshapeEvent } from '../events/types.ts';
import { attachActionsJournal } from '../state/journal.ts';
import { attachNotifier } from './notifier.ts';

/**
 * Announces an action that concerns no release (a flag change, the emergency stop): journaled in
 * `.shipshape/actions.ndjson` and sent to the notifiers, waiting for the deliveries (each bounded by
 * `notify.timeout`). A delivery that fails is a warning (`log`) in the same journal; the action itself stands.
 * @returns every record it made: the action first, then any warnings (for the command's own output)
 * @example await announceAction(config, env, { type: 'action', action: 'flags.set', actor, reason, detail })
 */
export async function announceAction(
  config: ResolvedConfig,
  env: Record<string, string | undefined>,
  action: Extract<EventBody, { type: 'action' }>,
  now: () => Date = () => new Date(),
): Promise<[EventOf<'action'>, ...ShipshapeEvent[]]> {
  const bus = new EventBus({ now });
  const records: ShipshapeEvent[] = [];
  bus.subscribe((e) => records.push(e));
  const detachJournal = attachActionsJournal(bus, config.projectDir, env, projectSecrets(config));
  const notifier = attachNotifier(bus, config, env);
  try {
    bus.emit(action);
    await notifier.flush();
  } finally {
    notifier.detach();
    detachJournal();
  }
  return records as [EventOf<'action'>, ...ShipshapeEvent[]];
}
