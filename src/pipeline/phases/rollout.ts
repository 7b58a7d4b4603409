import { type RolloutResult, runRollout } from '../../analysis/run-rollout.ts';
import { componentName } from '../../config/resolved.ts';
import type { PhaseDef } from '../context.ts';
import { collectWarnings } from '../warnings.ts';
import { rolloutChecks } from './rollout-checks.ts';
import { rolloutPlanFor, trafficFor, withOverrides } from './rollout-settings.ts';

const PREVIEW_ROLLOUT =
  "no traffic split on its platform (Pages): verified on its preview address, it becomes the production deployment at once in its turn; Cloudflare has no figures per Pages deployment, so the other components' judgement decides for it";

/**
 * Phase 5: each changed component in release order through the traffic steps, a bake at each, its canary judged
 * live against its own baseline; then every component together through the monitor window at 100%. The
 * analysis module drives it; the runner performs any rollback.
 */
export const rolloutPhase: PhaseDef = {
  name: 'rollout',
  title: 'Rollout',
  dryRun: 'skip',
  settle: 'fail-fast',
  onFailure: 'rollback',
  async run(ctx) {
    const plan = ctx.outputs.plan?.rollout ?? rolloutPlanFor(ctx.config, ctx.options);
    const units = ctx.outputs.staged.map((unit) => {
      if (unit.strategy === 'preview') {
        ctx.bus.emit({ type: 'log', level: 'info', message: `${unit.name}: ${PREVIEW_ROLLOUT}` });
        const { name: component, target, canary, baseline } = unit;
        return { component, target, canary, baseline, strategy: 'preview' as const };
      }
      const { traffic, source } = trafficFor(unit.config, ctx.options, plan, unit.baseline !== null);
      ctx.bus.emit({
        type: 'log',
        level: 'info',
        message: ctx.outputs.staged.length > 1 ? `${unit.name}: ${source}` : source,
        data: { generated: traffic.enabled, rps: traffic.rps, paths: traffic.paths.map((p) => p.path) },
      });
      return {
        component: unit.name,
        target: unit.target,
        canary: unit.canary,
        baseline: unit.baseline,
        traffic,
      };
    });
    // From the first step on, unpinned requests may reach a canary: a failure now must take it out.
    ctx.outputs.served = true;
    const stopCollecting = collectWarnings(ctx.bus, ctx.outputs.warnings);
    let result: RolloutResult;
    try {
      result = await runRollout({
        units,
        named: componentName(ctx.config) !== undefined,
        bus: ctx.bus,
        plan,
        config: withOverrides(ctx.config, ctx.options),
        signal: ctx.signal,
        sleep: ctx.sleep,
        now: ctx.now,
        manual: ctx.manual,
        afterWatch: rolloutChecks(ctx, ctx.startedAt ?? ctx.now()),
      });
    } finally {
      stopCollecting();
    }
    // A project with components names the deciding one even when it released that one alone (unchanged ones
    // are skipped); a project's one implicit worker needs no name.
    const decidedBy = componentName(ctx.config) ? result.decidedBy : null;
    ctx.outputs.rollout = { severity: result.severity, reasons: result.reasons, decidedBy };
    const reason =
      result.reasons[0] &&
      (decidedBy ? `${decidedBy}: ${result.reasons[0].message}` : result.reasons[0].message);
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
    const clean = result.score >= 5 && ctx.outputs.warnings.length === 0;
    return { score: result.score, status: clean ? 'pass' : 'warn', next: 'continue' };
  },
};
