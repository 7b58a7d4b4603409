/**
 * One scenario's seeded runs (every rule fed the same streams); prints its results as JSON on stdout.
 * Started by run.ts, two at a time: `tsx bench/detection/simulate-scenario.ts INDEX RUNS`.
 */

import type { JudgeSettings } from '../../src/analysis/judge.ts';
import { seededRandom, simulateCounts } from '../../src/analysis/simulate.ts';
import { configSchema } from '../../src/config/schema.ts';
import {
  type Block,
  type Detector,
  fixedHorizon,
  flaggerFailures,
  judge,
  LOOK_S,
  oracle,
  peekingZ,
  seedsRule,
  twoSampleBound,
} from './methods.ts';
import { type RolloutResult, simulateRollouts } from './rollouts.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';

const HORIZON_S = 30 * 60;
const MAX_K = 12;
const INDEX = Number(process.argv[2]);
const RUNS = Number(process.argv[3]);

const config = configSchema.parse({});
const settings: JudgeSettings = {
  analysis: config.analysis,
  monitor: config.monitor,
  onInconclusive: 'rollback',
};

const FIXED = ['judge', 'seeds', 'fixed', 'peeking', 'oracle', 'bound'] as const;

function simulate(s: Scenario, seed: number) {
  const random = seededRandom(seed);
  const detectors: Record<(typeof FIXED)[number], Detector> = {
    judge: judge(settings),
    seeds: seedsRule(),
    fixed: fixedHorizon(),
    peeking: peekingZ(),
    oracle: oracle(s.baseline, s.canary, config.analysis.alpha),
    bound: twoSampleBound(s.baseline, s.canary, config.analysis.alpha),
  };
  const flagger = flaggerFailures();
  const time: Record<string, number> = {};
  const failed: Record<string, number> = {};
  const flaggerAt: number[] = new Array(MAX_K + 1).fill(Number.POSITIVE_INFINITY);
  const flaggerFailed: number[] = new Array(MAX_K + 1).fill(0);
  let canaryErrors = 0;
  let open: number = FIXED.length;
  for (let t = LOOK_S; t <= HORIZON_S; t += LOOK_S) {
    const block: Block = {
      t,
      canary: simulateCounts(random, s.canary, s.rps * s.canaryShare, LOOK_S),
      // Only the judge reads the baseline's latency; once it has decided, counts are enough.
      baseline: simulateCounts(random, s.baseline, s.rps * (1 - s.canaryShare), LOOK_S, !('judge' in time)),
    };
    canaryErrors += block.canary.errors;
    for (const name of FIXED) {
      if (name in time) continue;
      if (detectors[name].step(block)) {
        time[name] = t;
        failed[name] = canaryErrors;
        open--;
      }
    }
    const k = flagger.step(block);
    if (k >= 1 && k <= MAX_K && flaggerAt[k] === Number.POSITIVE_INFINITY) {
      flaggerAt[k] = t;
      flaggerFailed[k] = canaryErrors;
    }
    // Past the fixed horizon and with every sequential rule decided, Flagger at k = MAX_K is all that is left.
    if (open === 0 && flaggerAt[MAX_K] !== Number.POSITIVE_INFINITY) break;
  }
  for (const name of FIXED) {
    if (!(name in time)) {
      time[name] = Number.POSITIVE_INFINITY;
      failed[name] = canaryErrors;
    }
  }
  for (let k = 1; k <= MAX_K; k++)
    if (flaggerAt[k] === Number.POSITIVE_INFINITY) flaggerFailed[k] = canaryErrors;
  return { time, failed, flaggerAt, flaggerFailed };
}

const s = SCENARIOS[INDEX];
const times: Record<string, Array<number | null>> = {};
const failures: Record<string, number[]> = {};
const push = (name: string, t: number, f: number) => {
  // JSON has no Infinity: a miss travels as null.
  times[name] = times[name] ?? [];
  failures[name] = failures[name] ?? [];
  times[name].push(Number.isFinite(t) ? t : null);
  failures[name].push(f);
};
const rollouts: { early: RolloutResult[]; fixed: RolloutResult[] } = { early: [], fixed: [] };
for (let run = 0; run < RUNS; run++) {
  const r = simulate(s, (INDEX + 1) * 1_000_003 + run);
  for (const name of FIXED) push(name, r.time[name], r.failed[name]);
  for (let k = 1; k <= MAX_K; k++) push(`flagger k=${k}`, r.flaggerAt[k], r.flaggerFailed[k]);
  // Whole releases through the default plan, on streams of their own (the detection streams stay as they were).
  const whole = simulateRollouts(s, (INDEX + 1) * 7_000_003 + run, config, settings);
  rollouts.early.push(whole.early);
  rollouts.fixed.push(whole.fixed);
}
process.stdout.write(JSON.stringify({ times, failures, rollouts }));
