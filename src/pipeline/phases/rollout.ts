import { createRolloutPlan, type RolloutPlan } from '../../analysis/rollout-plan.ts';
import { runRollout } from '../../analysis/run-rollout.ts';
import { resolveTraffic } from '../../analysis/traffic-defaults.ts';
import type { PhaseDef, ReleaseContext } from '../context.ts';
import { collectWarnings } from '../warnings.ts';

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
    const overridden = withOverrides(ctx);
    const plan = createRolloutPlan(overridden);
    const { traffic, source } = resolveTraffic(
      { ...ctx.config, rollout: overridden.rollout },
      firstStep(ctx, plan),
    );
    const config = { ...overridden, rollout: { ...overridden.rollout, traffic } };
    if (ctx.options.dryRun) {
      ctx.bus.emit({ type: 'plan', steps: planSteps(plan), monitorMs: config.monitor.duration });
      ctx.bus.emit({ type: 'log', level: 'info', message: source, data: { rps: traffic.rps } });
      return { score: 5, status: 'pass', next: 'done' };
    }
    ctx.bus.emit({
      type: 'log',
      level: 'info',
      message: source,
      data: { generated: traffic.enabled, rps: traffic.rps, paths: traffic.paths.map((p) => p.path) },
    });
    // From the first step on, unpinned requests may reach the canary: a failure now must take it out.
    ctx.state.served = true;
    const stopCollecting = collectWarnings(ctx.bus, ctx.state.warnings);
    let result: Awaited<ReturnType<typeof runRollout>>;
    try {
      result = await runRollout({
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
    } finally {
      stopCollecting();
    }
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
    const clean = result.score >= 5 && ctx.state.warnings.length === 0;
    return { score: result.score, status: clean ? 'pass' : 'warn', next: 'continue' };
  },
};

/** `--bake` and `--monitor` from the command line over the config's bakes and monitor window. */
function withOverrides(ctx: ReleaseContext) {
  const { rollout, analysis, monitor } = ctx.config;
  const bake = ctx.options.bakeMs;
  const steps =
    bake === null
      ? rollout.steps
      : rollout.steps.map((s) => (typeof s === 'object' && 'percent' in s ? { percent: s.percent } : s));
  return {
    rollout: { ...rollout, steps, bake: bake ?? rollout.bake },
    analysis,
    monitor: { ...monitor, duration: ctx.options.monitorMs ?? monitor.duration },
  };
}

/** The canary's share and bake at its first step; a first release goes straight to 100%. */
function firstStep(ctx: ReleaseContext, plan: RolloutPlan): { firstShare: number; firstBakeMs: number } {
  const steps = plan.steps.filter((s) => 'percent' in s);
  const first = ctx.state.baseline || ctx.options.dryRun ? steps[0] : steps.at(-1);
  return first && 'percent' in first
    ? { firstShare: first.percent, firstBakeMs: first.bakeMs }
    : { firstShare: 100, firstBakeMs: plan.monitor.durationMs };
}

function planSteps(plan: RolloutPlan) {
  return plan.steps.map((s) =>
    'pause' in s ? { pause: 'manual' as const } : { percent: s.percent, bakeMs: s.bakeMs },
  );
}
