import type { ShipshapeEvent } from '../../src/events/types.ts';

export type CheckEvent = Extract<ShipshapeEvent, { type: 'check.finished' }>;

/** Every `check.finished` of one check, in the order they were emitted (verify first, then each step, monitor). */
export function checksNamed(events: ShipshapeEvent[], name: string): CheckEvent[] {
  return events.filter((e): e is CheckEvent => e.type === 'check.finished' && e.name === name);
}
