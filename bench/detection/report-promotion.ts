import type { RolloutResult } from './rollouts.ts';
import { EARLY_PROMOTION_GUARD, type Scenario } from './scenarios.ts';

export interface PromotionRuns {
  scenario: Scenario;
  rollouts: { early: RolloutResult[]; fixed: RolloutResult[] };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pad = (s: string, n: number) => s.padEnd(n);
const mins = (s: number | undefined) => (s === undefined ? '-' : `${(s / 60).toFixed(1)}m`);

function times(runs: RolloutResult[]) {
  const t = runs
    .filter((r) => r.outcome === 'promoted')
    .map((r) => r.atS)
    .sort((a, b) => a - b);
  const at = (q: number) => (t.length ? t[Math.min(t.length - 1, Math.floor(q * t.length))] : undefined);
  return { median: at(0.5), p95: at(0.95), promoted: t.length / runs.length };
}

/**
 * Whole releases through the default plan: time to promote with early promotion against fixed bakes, the
 * rollbacks either way, and how often a regression had a step ended early (the error early promotion must
 * not make). Returns the issue's target on that rate.
 */
export function printPromotion(scenarios: PromotionRuns[], plan: string): Array<[string, boolean]> {
  console.log(`## time to promote: ${plan}`);
  console.log(
    `| ${pad('scenario', 28)} | early: promoted | median | p95   | fixed: promoted | median | p95   | rolled back (early/fixed) | a step ended early |`,
  );
  console.log(
    `|${'-'.repeat(30)}|-----------------|--------|-------|-----------------|--------|-------|---------------------------|--------------------|`,
  );
  const checks: Array<[string, boolean]> = [];
  for (const { scenario, rollouts } of scenarios) {
    const e = times(rollouts.early);
    const f = times(rollouts.fixed);
    const back = (runs: RolloutResult[]) =>
      runs.filter((r) => r.outcome === 'rolled_back').length / runs.length;
    const endedEarly = rollouts.early.filter((r) => r.earlySteps > 0).length / rollouts.early.length;
    console.log(
      `| ${pad(scenario.name, 28)} | ${pad(pct(e.promoted), 15)} | ${pad(mins(e.median), 6)} | ${pad(mins(e.p95), 5)} | ${pad(pct(f.promoted), 15)} | ${pad(mins(f.median), 6)} | ${pad(mins(f.p95), 5)} | ${pad(`${pct(back(rollouts.early))} / ${pct(back(rollouts.fixed))}`, 25)} | ${pad(pct(endedEarly), 18)} |`,
    );
    if (scenario.name === EARLY_PROMOTION_GUARD)
      checks.push([
        `${scenario.name}: a regression's step ended early in <= 1% of releases: ${pct(endedEarly)}`,
        endedEarly <= 0.01,
      ]);
    if (!scenario.regression) {
      checks.push([
        `${scenario.name}: whole releases rolled back <= 1% (early promotion): ${pct(back(rollouts.early))}`,
        back(rollouts.early) <= 0.01,
      ]);
    }
  }
  console.log('');
  return checks;
}
