import type { CheckResult } from '../../checks/check.ts';
import { healthPhaseScore, runHealthChecks } from '../../checks/index.ts';
import type { PhaseDef } from '../context.ts';
import { emitCheck } from '../emit-check.ts';
import { pinnedChecks } from './pinned.ts';
import { componentOf } from './release.ts';

/** Phase 3: each new version's health checks, pinned by header while it has 0% of traffic. */
export const verifyPhase: PhaseDef = {
  name: 'verify',
  title: 'Verify',
  dryRun: 'skip',
  settle: 'all',
  onFailure: 'rollback',
  async run(ctx) {
    const results: CheckResult[] = [];
    for (const unit of ctx.outputs.staged) {
      const own = await runHealthChecks(pinnedChecks(ctx, unit));
      for (const result of own) emitCheck(ctx.bus, 'verify', result, componentOf(unit));
      results.push(...own);
    }
    const criticalFailure = results.find((r) => r.status === 'fail' && r.critical);
    const score = healthPhaseScore(results);
    if (criticalFailure) {
      return {
        score: 0,
        status: 'fail',
        next: 'rollback',
        critical: true,
        reason: criticalFailure.message,
      };
    }
    const failed = results.some((r) => r.status === 'fail');
    return { score, status: failed ? 'warn' : 'pass', next: 'continue' };
  },
};
