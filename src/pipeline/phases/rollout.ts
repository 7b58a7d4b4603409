import { createRolloutPlan } from '../../analysis/rollout-plan.ts';
import { runRollout } from '../../analysis/run-rollout.ts';
import type { PhaseDef, ReleaseContext } from '../context.ts';

/**
 * Phase 5: traffic steps with a bake at each, the canary judged live against the baseline, then the monitor
 * window at 100%. The analysis module drives it; the runner performs any rollback.
 */
export const rolloutPhase: PhaseDef = {
  name: 'rollout',
  title: 'Rollout',
  dryRun: 'own',
  settle: 'fail-fast',
  onFailure: 'rollback',
  async run(ctx) {
    const config = withMonitorOverride(ctx);
    const plan = createRolloutPlan(config);
    if (ctx.options.dryRun) {
      ctx.bus.emit({ type: 'plan', steps: planSteps(plan), monitorMs: config.monitor.duration });
      return { score: 5, status: 'pass', next: 'done' };
    }
    const result = await runRollout({
      target: ctx.target,
      bus: ctx.bus,
      canary: ctx.state.canary as string,
      baseline: ctx.state.baseline,
      plan,
      config,
      signal: ctx.signal,
      sleep: ctx.sleep,
      now: ctx.now,
      manual: ctx.manual,
    });
    ctx.state.rollout = { severity: result.severity, reasons: result.reasons };
    const reason = result.reasons[0]?.message;
    if (result.outcome === 'aborted')
      return { score: result.score, status: 'fail', next: 'aborted', reason: reason ?? 'aborted by hand' };
    if (result.outcome === 'rolled_back') {
      return {
        score: result.score,
        status: 'fail',
        next: 'rollback',
        critical: result.severity === 'critical',
        reason,
      };
    }
    return { score: result.score, status: result.score >= 5 ? 'pass' : 'warn', next: 'continue' };
  },
};

function withMonitorOverride(ctx: ReleaseContext) {
  const { rollout, analysis, monitor } = ctx.config;
  return { rollout, analysis, monitor: { ...monitor, duration: ctx.options.monitorMs ?? monitor.duration } };
}

function planSteps(plan: ReturnType<typeof createRolloutPlan>) {
  return plan.steps.map((s) =>
    'pause' in s ? { pause: 'manual' as const } : { percent: s.percent, bakeMs: s.bakeMs },
  );
}
