import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { EventBus } from '../events/bus.ts';
import type { PhaseName } from '../events/types.ts';

export interface RetryPolicy {
  attempts: number;
  /** Wait before attempt i (ms); the last value repeats. The seeds' default is 0s → 30s → 60s. */
  backoff: number[];
}

/** Transient: network errors, 5xx and 429 from the target. Bundling and validation errors never are. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ShipshapeError) return err.details.transient === true;
  const code = (err as NodeJS.ErrnoException)?.code;
  return (
    code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'UND_ERR_SOCKET'
  );
}

/**
 * Runs `fn` up to `attempts` times, waiting per `backoff` and emitting `retry.scheduled` before each wait;
 * only transient errors are retried.
 * @returns the value and the attempt that produced it (1 = first try).
 */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  options: {
    policy: RetryPolicy;
    phase: PhaseName;
    name: string;
    bus: EventBus;
    sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
    signal?: AbortSignal;
  },
): Promise<{ value: T; attempt: number }> {
  const { policy } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(attempt), attempt };
    } catch (err) {
      if (attempt >= policy.attempts || !isTransient(err)) throw err;
      const delayMs = policy.backoff[Math.min(attempt, policy.backoff.length - 1)] ?? 0;
      options.bus.emit({
        type: 'retry.scheduled',
        phase: options.phase,
        name: options.name,
        attempt,
        delayMs,
        reason: err instanceof Error ? err.message : String(err),
      });
      await options.sleep(delayMs, options.signal);
    }
  }
}
