import { mergeBuckets } from './buckets.ts';
import type { Verdict } from './judge.ts';
import { createJudgeState, type JudgeSettings, judgeInterval, startStep } from './judge.ts';
import type { Counts, RouteCounts } from './judge-state.ts';
import { simulateCounts, type VersionModel } from './simulate.ts';

/** One route of a simulated worker: its share of the traffic and each version's behaviour on it. */
export interface SimRoute {
  route: string;
  weight: number;
  baseline: VersionModel;
  canary: VersionModel;
}

/** A whole simulated rollout: traffic, steps, bakes; `routes` with names gives the judge a breakdown. */
export interface RolloutSim {
  rps: number;
  routes: SimRoute[];
  /** Canary percents; 100 has no live baseline (the judge compares with the baseline's earlier data). */
  steps: number[];
  bakeS: number;
  maxExtensionS: number;
  /** Absent: fixed bakes (no early end). */
  minBakeS?: number;
  /** Seconds of the baseline alone before the release (its pre-release window); 0 for none. */
  referenceS: number;
  /** No baseline at all: a first release. */
  firstRelease?: boolean;
  lookS?: number;
}

export interface RolloutRun {
  outcome: 'promoted' | 'rolled_back' | 'paused';
  /** Seconds from the canary's first traffic to the last verdict. */
  atS: number;
  /** Steps that ended early on proven non-inferiority. */
  earlySteps: number;
  /** Every verdict, in order. */
  verdicts: Array<Verdict & { atS: number; step: number }>;
}

/** Draws one version's interval over every route; route names go into the breakdown when `named`. */
export function drawCounts(
  random: () => number,
  routes: SimRoute[],
  which: 'baseline' | 'canary',
  rps: number,
  seconds: number,
  named: boolean,
): Counts {
  const total: Counts = { requests: 0, errors: 0, p95: 0, latencyBuckets: [] };
  const breakdown: RouteCounts[] = [];
  for (const r of routes) {
    const c = simulateCounts(random, r[which], rps * r.weight, seconds);
    total.requests += c.requests;
    total.errors += c.errors;
    total.latencyBuckets = mergeBuckets(total.latencyBuckets, c.latencyBuckets);
    breakdown.push({
      route: r.route,
      requests: c.requests,
      errors: c.errors,
      latencyBuckets: c.latencyBuckets,
    });
  }
  if (named) total.routes = breakdown;
  return total;
}

/** Runs the judge through every step as run-rollout does (no monitor window), on seeded traffic. */
export function simulateRollout(random: () => number, sim: RolloutSim, settings: JudgeSettings): RolloutRun {
  const look = sim.lookS ?? 5;
  const named = sim.routes.length > 1;
  const reference =
    sim.referenceS > 0 && !sim.firstRelease
      ? drawCounts(random, sim.routes, 'baseline', sim.rps, sim.referenceS, false)
      : null;
  let state = createJudgeState(reference);
  const verdicts: RolloutRun['verdicts'] = [];
  let t = 0;
  let earlySteps = 0;
  const steps = sim.firstRelease ? [100] : sim.steps;
  for (const [index, percent] of steps.entries()) {
    state = startStep(state);
    const share = percent / 100;
    for (let elapsed = look; ; elapsed += look) {
      t += look;
      const canary = drawCounts(random, sim.routes, 'canary', sim.rps * share, look, named);
      const live = share < 1 && !sim.firstRelease;
      const baseline = live
        ? drawCounts(random, sim.routes, 'baseline', sim.rps * (1 - share), look, named)
        : null;
      const r = judgeInterval(
        state,
        {
          canary,
          baseline,
          phase: 'bake',
          intervalMs: look * 1000,
          elapsedMs: elapsed * 1000,
          bakeMs: sim.bakeS * 1000,
          maxExtensionMs: sim.maxExtensionS * 1000,
          minBakeMs: sim.minBakeS === undefined ? undefined : sim.minBakeS * 1000,
        },
        settings,
      );
      state = r.state;
      verdicts.push({ ...r.verdict, atS: t, step: index });
      if (r.verdict.action === 'rollback') return { outcome: 'rolled_back', atS: t, earlySteps, verdicts };
      if (r.pause) return { outcome: 'paused', atS: t, earlySteps, verdicts };
      if (r.verdict.action === 'promote') {
        if (r.verdict.early) earlySteps++;
        break;
      }
    }
  }
  return { outcome: 'promoted', atS: t, earlySteps, verdicts };
}
