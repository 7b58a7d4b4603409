import { runE2e } from '../../checks/index.ts';
import type { PhaseDef } from '../context.ts';
import { emitCheck } from '../emit-check.ts';
import { frontDoor, pinnedChecks } from './pinned.ts';

/**
 * Phase 4: smoke endpoints (with a p95 budget) and the user's e2e command, against the pinned version. A failed
 * critical check (endpoints and the command by default) stops the release before it takes traffic.
 */
export const e2ePhase: PhaseDef = {
  name: 'e2e',
  title: 'End-to-end',
  dryRun: 'skip',
  settle: 'all',
  onFailure: 'rollback',
  async run(ctx) {
    const unit = frontDoor(ctx);
    if (!unit) return { score: 5, status: 'skip', next: 'continue' };
    const { results, score } = await runE2e({
      ...pinnedChecks(ctx, unit),
      skip: ctx.options.skipE2e,
    });
    for (const result of results) emitCheck(ctx.bus, 'e2e', result);
    // A failed pre-rollout test stops the release before traffic (seed S0: "Smoke test pass? No → fix");
    // a check marked critical: false only costs points.
    const stopper = results.find((r) => r.status === 'fail' && r.critical);
    if (stopper) {
      return {
        score,
        status: 'fail',
        next: 'rollback',
        critical: true,
        reason: `e2e check "${stopper.name}" failed: ${stopper.message}`,
      };
    }
    const failed = results.some((r) => r.status === 'fail');
    const status = ctx.options.skipE2e ? 'skip' : failed ? 'fail' : score < 5 ? 'warn' : 'pass';
    return { score, status, next: 'continue' };
  },
};
