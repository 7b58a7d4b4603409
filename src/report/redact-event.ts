import type { ShipshapeEvent } from '../events/types.ts';
import { redact, secretValues } from './redact.ts';

/**
 * Returns a copy of `event` with every secret value replaced in every string (keys included). Reporters
 * redact the event once as it enters, before any wording, colouring or truncation could split a secret.
 */
export function redactEvent(
  event: ShipshapeEvent,
  env: Record<string, string | undefined>,
  extra: string[] = [],
): ShipshapeEvent {
  const secrets = secretValues(env, extra);
  if (secrets.length === 0) return event;
  return redactValue(event, secrets) as ShipshapeEvent;
}

function redactValue(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string') return redact(value, {}, secrets);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[redact(key, {}, secrets)] = redactValue(item, secrets);
    return out;
  }
  return value;
}
