import { formatDuration } from '../../config/duration.ts';
import type { CheckResult } from '../check.ts';
import type { HttpCheckSpec } from './expectations.ts';
import { HTTP_SCORE, type HttpCheckContext, probeSpec } from './http-check.ts';
import { summarize } from './latency.ts';

/**
 * Samples each endpoint `e2e.samples` times, one request at a time, pinned to the version, and judges the
 * pooled p95 against `e2e.p95`. A failed sample counts at the time it cost.
 */
export async function latencyBudget(
  ctx: HttpCheckContext,
  specs: HttpCheckSpec[],
  unsampled: number,
): Promise<CheckResult> {
  const started = performance.now();
  const { samples, p95: budget } = ctx.config.e2e;
  const all: number[] = [];
  const perEndpoint: Record<string, unknown> = {};
  for (const spec of specs) {
    const latencies: number[] = [];
    let errors = 0;
    for (let i = 0; i < samples && !ctx.signal?.aborted; i++) {
      const sent = performance.now();
      try {
        const r = await probeSpec(ctx, spec);
        latencies.push(r.latencyMs);
        if (r.status !== spec.status) errors++;
      } catch {
        // A failed sample counts at the time it cost: an error is never faster than the budget.
        latencies.push(Math.round(performance.now() - sent));
        errors++;
      }
    }
    all.push(...latencies);
    perEndpoint[`${spec.method} ${spec.path}`] = { ...summarize(latencies), errors };
  }
  const total = summarize(all);
  const evidence = {
    p95Ms: total.p95,
    budgetMs: budget,
    samples: total.count,
    endpoints: perEndpoint,
    unsampled,
  };
  const worst = Object.entries(perEndpoint)
    .map(([k, v]) => `${k} ${formatDuration((v as { p95: number }).p95)}`)
    .join(', ');
  const base = {
    name: 'latency p95',
    attempt: 1,
    durationMs: Math.round(performance.now() - started),
    evidence,
  };
  if (total.p95 > budget) {
    return {
      ...base,
      status: 'fail',
      score: HTTP_SCORE.fail,
      message: `p95 ${formatDuration(total.p95)} over the ${formatDuration(budget)} budget (${worst}).`,
      hint: 'Find the slow endpoint in the evidence, or raise e2e.p95 if the budget is wrong.',
    };
  }
  return {
    ...base,
    status: 'pass',
    score: HTTP_SCORE.pass,
    message: `p95 ${formatDuration(total.p95)} within the ${formatDuration(budget)} budget over ${total.count} requests.`,
  };
}
