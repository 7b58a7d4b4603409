import type { ShipshapeEvent } from '../events/types.ts';
import { createRedactor } from '../redact/redact.ts';

/**
 * Returns a copy of `event` with every secret value replaced in every string (keys included). Reporters
 * redact the event once as it enters, before any wording, colouring or truncation could split a secret.
 */
export function redactEvent(
  event: ShipshapeEvent,
  env: Record<string, string | undefined>,
  extra: string[] = [],
): ShipshapeEvent {
  return createRedactor(env, extra).value(event);
}
