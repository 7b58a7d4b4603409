import { setTimeout as wait } from 'node:timers/promises';

export interface DeliveryPolicy {
  /** The most the delivery may take, every attempt and pause included (config `notify.timeout`). */
  timeoutMs: number;
  /** Attempts after the first (config `notify.retries`). */
  retries: number;
  /** The first pause between attempts; each next one doubles. Default 250 ms. */
  backoffMs?: number;
}

/** How a delivery ended: delivered, or why not after its last attempt. */
export type Delivery = { ok: true; attempts: number } | { ok: false; attempts: number; problem: string };

/**
 * POSTs `body` (already redacted JSON text) to `url`, retrying a 429/5xx answer or a failed/unanswered request
 * with a doubling backoff, never past `policy.timeoutMs` in all: a receiver that never answers costs the caller
 * that long and no more. A 4xx other than 429 is not retried (the receiver refused the message itself).
 * @example await deliver('https://hooks.slack.com/…', JSON.stringify({ text: 'hi' }), { timeoutMs: 10_000, retries: 3 })
 */
export async function deliver(
  url: string,
  body: string,
  policy: DeliveryPolicy,
  headers: Record<string, string> = {},
): Promise<Delivery> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  let pause = policy.backoffMs ?? 250;
  let problem = 'not sent';
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'shipshape', ...headers },
        body,
        signal: deadline,
      });
      // The answer's body is not needed; reading it frees the connection.
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, attempts: attempt };
      problem = `answered ${res.status}`;
      if (res.status < 500 && res.status !== 429) return { ok: false, attempts: attempt, problem };
    } catch (err) {
      problem = deadline.aborted
        ? `failed: no answer within ${policy.timeoutMs} ms`
        : `failed: ${causeOf(err)}`;
    }
    if (attempt > policy.retries || deadline.aborted) return { ok: false, attempts: attempt, problem };
    try {
      await wait(pause, undefined, { signal: deadline });
    } catch {
      return { ok: false, attempts: attempt, problem };
    }
    pause *= 2;
  }
}

/** fetch's "fetch failed" hides the reason (refused, reset) in its cause. */
function causeOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message;
}
