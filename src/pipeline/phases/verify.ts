import type { CheckResult } from '../../checks/check.ts';
import { compareResponses, comparisonSkipped } from '../../checks/http/compare-responses.ts';
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
      const pinned = pinnedChecks(ctx, unit);
      const own = await runHealthChecks(pinned);
      if (unit.config.analysis.compare.enabled) {
        // The baseline is asked unpinned for the other components: their serving versions are its own.
        own.push(
          unit.baseline
            ? await compareResponses({
                ...pinned,
                canary: { target: pinned.target, version: unit.canary },
                baseline: { target: unit.target, version: unit.baseline },
              })
            : comparisonSkipped('a first release has no baseline to compare with'),
        );
      }
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
