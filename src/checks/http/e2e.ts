import type { CheckResult } from '../check.ts';
import { runE2eCommand } from './e2e-command.ts';
import type { HttpCheckSpec } from './expectations.ts';
import { type HttpCheckContext, runHttpCheck } from './http-check.ts';
import { latencyBudget } from './latency-budget.ts';
import { e2ePhaseScore } from './phase-score.ts';

export { versionOverrides } from './e2e-command.ts';

export interface E2eContext extends HttpCheckContext {
  /** `--skip-e2e`: nothing runs and the phase scores 4. */
  skip: boolean;
}

export interface E2eOutcome {
  results: CheckResult[];
  score: number;
  /** p95 over every endpoint sample (ms); 0 when no endpoint was sampled. */
  p95Ms: number;
}

/**
 * Phase 4 against the pinned version: each `e2e.endpoints` expectation (with retries), then each endpoint
 * sampled `e2e.samples` times for a p95 against `e2e.p95`, then `e2e.command` with SHIPSHAPE_URL,
 * SHIPSHAPE_VERSION_ID and SHIPSHAPE_VERSION_OVERRIDES in its env. Run in that order so the user's
 * command does not load the worker while latency is measured.
 * @example const { results, score } = await runE2e({ target, version, config, bus, skip: false })
 */
export async function runE2e(ctx: E2eContext): Promise<E2eOutcome> {
  if (ctx.skip) {
    const skipped: CheckResult = {
      name: 'e2e',
      status: 'skip',
      score: 4,
      message: 'End-to-end checks skipped (--skip-e2e).',
      evidence: { skipped: true },
    };
    return { results: [skipped], score: 4, p95Ms: 0 };
  }
  const { endpoints, command } = ctx.config.e2e;
  const results: CheckResult[] = [];
  const passed: HttpCheckSpec[] = [];
  for (const spec of endpoints) {
    const result = await runHttpCheck(ctx, 'e2e', spec, { configKey: `e2e.endpoints["${spec.name}"]` });
    results.push(result);
    if (result.status !== 'fail') passed.push(spec);
  }
  let p95Ms = 0;
  if (passed.length > 0 && !ctx.signal?.aborted) {
    const latency = await latencyBudget(ctx, passed, endpoints.length - passed.length);
    results.push({ ...latency, critical: ctx.config.e2e.p95Critical });
    p95Ms = Number(latency.evidence.p95Ms);
  }
  if (command && !ctx.signal?.aborted)
    results.push({ ...(await runE2eCommand(ctx, command)), critical: ctx.config.e2e.commandCritical });
  if (results.length === 0) {
    results.push({
      name: 'e2e',
      status: 'skip',
      score: 4,
      message: 'No e2e endpoints or command configured.',
      evidence: {},
    });
  }
  return { results, score: e2ePhaseScore(results), p95Ms };
}
