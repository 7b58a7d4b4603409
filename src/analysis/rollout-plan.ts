import type { ResolvedConfig } from '../config/resolved.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';

/** One traffic step (the canary's share and how long it bakes there), or a wait for a person. */
export type RolloutStep = { percent: number; bakeMs: number } | { pause: 'manual' };

/** The whole rollout as data, before anything moves: what `deploy --dry-run --json` prints. */
export interface RolloutPlan {
  steps: RolloutStep[];
  /** How often the judge looks at the windows. */
  intervalMs: number;
  /** Longest a bake is extended while the judge holds. */
  maxExtensionMs: number;
  /** Shortest a step bakes before it may end early, the canary proven no worse than the baseline. */
  minBakeMs: number;
  onInconclusive: 'rollback' | 'pause';
  /** The watch after 100%. */
  monitor: { durationMs: number; intervalMs: number; sustained: number };
}

type PlanConfig = Pick<ResolvedConfig, 'rollout' | 'monitor'>;

/**
 * Turns `config.rollout.steps` into a plan: bare numbers take the default bake, percents must rise, and
 * a plan that stops short of 100% gets a final 100% step (the monitor watches the canary alone).
 * @example createRolloutPlan(config).steps // [{percent:10,bakeMs:300000},{percent:50,...},{percent:100,...}]
 */
export function createRolloutPlan(config: PlanConfig): RolloutPlan {
  const { rollout, monitor } = config;
  const steps: RolloutStep[] = [];
  const problems: string[] = [];
  let last = 0;
  rollout.steps.forEach((step, i) => {
    if (typeof step === 'object' && 'pause' in step) {
      steps.push({ pause: 'manual' });
      return;
    }
    const percent = typeof step === 'number' ? step : step.percent;
    const bakeMs = typeof step === 'number' ? rollout.bake : (step.bake ?? rollout.bake);
    if (percent <= last) {
      problems.push(`  rollout.steps[${i}]: ${percent}% must be above the step before it (${last}%)`);
      return;
    }
    last = percent;
    steps.push({ percent, bakeMs });
  });
  if (problems.length) {
    throw new ShipshapeError('CONFIG_INVALID', {
      file: 'the config',
      count: problems.length,
      list: problems.join('\n'),
    });
  }
  if (last < 100) steps.push({ percent: 100, bakeMs: rollout.bake });
  return {
    steps,
    intervalMs: rollout.interval,
    maxExtensionMs: rollout.maxExtension,
    minBakeMs: rollout.minBake,
    onInconclusive: rollout.onInconclusive,
    monitor: { durationMs: monitor.duration, intervalMs: monitor.interval, sustained: monitor.sustained },
  };
}
