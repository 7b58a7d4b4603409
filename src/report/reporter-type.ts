import type { ShipshapeEvent } from '../events/types.ts';

/**
 * A consumer of the event stream: the TTY, plain and JSON views each make one. `handle` is bound, so
 * `bus.subscribe(reporter.handle)` works.
 */
export interface Reporter {
  handle(event: ShipshapeEvent): void;
  /** Stops timers and leaves the terminal clean; safe to call twice. */
  close(): void;
}
