import { healthPhaseScore, runHealthChecks } from '../../checks/index.ts';
import type { PhaseDef } from '../context.ts';
import { emitCheck } from '../emit-check.ts';
import { pinnedChecks } from './pinned.ts';

/** Phase 3: health checks against the new version pinned by header while it has 0% of traffic. */
export const verifyPhase: PhaseDef = {
  name: 'verify',
  title: 'Verify',
  dryRun: 'skip',
  settle: 'all',
  onFailure: 'rollback',
  async run(ctx) {
    const results = await runHealthChecks(pinnedChecks(ctx));
    for (const result of results) emitCheck(ctx.bus, 'verify', result);
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
