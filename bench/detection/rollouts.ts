import type { JudgeSettings } from '../../src/analysis/judge.ts';
import { seededRandom } from '../../src/analysis/simulate.ts';
import { simulateRollout } from '../../src/analysis/simulate-rollout.ts';
import type { ParsedConfig } from '../../src/config/schema.ts';
import type { Scenario } from './scenarios.ts';

/** One simulated release through the default plan: how it ended, when, and how many steps ended early. */
export interface RolloutResult {
  outcome: 'promoted' | 'rolled_back' | 'paused';
  atS: number;
  earlySteps: number;
}

/**
 * The whole default rollout (10% → 50% → 100%, bakes, longest extension, pre-release window of the monitor's
 * length), once with early promotion (`rollout.minBake`) and once with fixed bakes, on the same seed. The
 * scenario's rps is kept; its canary share is the plan's.
 */
export function simulateRollouts(
  s: Scenario,
  seed: number,
  config: ParsedConfig,
  settings: JudgeSettings,
): { early: RolloutResult; fixed: RolloutResult } {
  const { rollout, monitor } = config;
  const steps = rollout.steps.map((step) =>
    typeof step === 'number' ? step : 'percent' in step ? step.percent : 0,
  );
  const sim = {
    rps: s.rps,
    routes: [{ route: '/', weight: 1, baseline: s.baseline, canary: s.canary }],
    steps: steps.filter((p) => p > 0),
    bakeS: rollout.bake / 1000,
    maxExtensionS: rollout.maxExtension / 1000,
    referenceS: monitor.duration / 1000,
    lookS: rollout.interval / 1000,
  };
  const run = (minBakeS: number | undefined): RolloutResult => {
    const r = simulateRollout(seededRandom(seed), { ...sim, minBakeS }, settings);
    return { outcome: r.outcome, atS: r.atS, earlySteps: r.earlySteps };
  };
  return { early: run(rollout.minBake / 1000), fixed: run(undefined) };
}
