import type { EventBus } from '../events/bus.ts';
import type { Reason } from '../events/types.ts';

/**
 * Gathers, into `into`, the warnings the judge attaches to its verdicts (a band that did not roll back because
 * a rollback would not help): each makes a promoted release a WARNING. One entry per rule. Returns the
 * unsubscribe.
 */
export function collectWarnings(bus: EventBus, into: string[]): () => void {
  const seen = new Set<string>();
  return bus.subscribe((event) => {
    if (event.type !== 'verdict') return;
    const warnings = (event as { warnings?: Reason[] }).warnings ?? [];
    for (const w of warnings) {
      if (seen.has(w.rule)) continue;
      seen.add(w.rule);
      into.push(w.message);
    }
  });
}
