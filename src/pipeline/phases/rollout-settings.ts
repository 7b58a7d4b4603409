import { createRolloutPlan, type RolloutPlan } from '../../analysis/rollout-plan.ts';
import { resolveTraffic } from '../../analysis/traffic-defaults.ts';
import type { ResolvedConfig } from '../../config/resolved.ts';
import type { DeployOptions } from '../context.ts';

/** `--bake` and `--monitor` from the command line over the config's bakes and monitor window. */
export function withOverrides(config: ResolvedConfig, options: Pick<DeployOptions, 'bakeMs' | 'monitorMs'>) {
  const { rollout, analysis, monitor } = config;
  const bake = options.bakeMs;
  const steps =
    bake === null
      ? rollout.steps
      : rollout.steps.map((s) => (typeof s === 'object' && 'percent' in s ? { percent: s.percent } : s));
  return {
    rollout: { ...rollout, steps, bake: bake ?? rollout.bake },
    analysis,
    monitor: { ...monitor, duration: options.monitorMs ?? monitor.duration },
  };
}

/** The rollout plan with the command line's overrides applied. */
export function rolloutPlanFor(config: ResolvedConfig, options: DeployOptions): RolloutPlan {
  return createRolloutPlan(withOverrides(config, options));
}

/**
 * The traffic a component gets while it rolls out: its own paths, at a rate that reaches the judge's samples
 * within the first step (a first release goes straight to 100%, so its first step is the last one).
 */
export function trafficFor(
  config: ResolvedConfig,
  options: DeployOptions,
  plan: RolloutPlan,
  hasBaseline: boolean,
) {
  const steps = plan.steps.filter((s) => 'percent' in s);
  const first = hasBaseline || options.dryRun ? steps[0] : steps.at(-1);
  const step =
    first && 'percent' in first
      ? { firstShare: first.percent, firstBakeMs: first.bakeMs }
      : { firstShare: 100, firstBakeMs: plan.monitor.durationMs };
  return resolveTraffic({ ...config, rollout: withOverrides(config, options).rollout }, step);
}
