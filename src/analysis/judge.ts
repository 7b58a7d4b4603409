import { severityRank, worstSeverity } from '../events/severity.ts';
import { quantile } from './buckets.ts';
import { decide } from './judge-decide.ts';
import { updateEvidence } from './judge-evidence.ts';
import { judgeRules } from './judge-rules.ts';
import { addCounts, emptyTotals, type JudgeState } from './judge-state.ts';
import type { JudgeResult, JudgeSettings, Observation, Verdict } from './judge-types.ts';
import { nonInferiority } from './non-inferiority.ts';
import { routesQuiet, updateRoutes } from './route-judge.ts';
import { levelOf } from './severity.ts';

export type { Counts, JudgeState, RouteCounts } from './judge-state.ts';
export { createJudgeState, startStep } from './judge-state.ts';
export type { JudgeResult, JudgeSettings, Observation, Verdict };

/**
 * The canary judge: a pure function of (state, interval). Rolls back as soon as a sequential test proves
 * a regression (whole worker or one of its busiest routes) or a band is crossed where a rollback helps;
 * holds on warnings and on too little data; promotes after the bake with at least `minSamples` canary
 * requests and nothing against it, or earlier (after `minBakeMs`) once the canary is proven no worse.
 * @example let s = createJudgeState(); const r = judgeInterval(s, obs, settings); s = r.state;
 */
export function judgeInterval(state: JudgeState, obs: Observation, settings: JudgeSettings): JudgeResult {
  const { analysis } = settings;
  const baseline = obs.baseline && obs.baseline.requests > 0 ? obs.baseline : null;
  const evidence = updateEvidence(state, {
    canary: obs.canary,
    baseline,
    healthyErrorRate: analysis.errorRate.medium,
    healthyP95: analysis.p95.medium,
    latencyRatio: analysis.latencyRatio,
    minSamples: analysis.minSamples,
    minEffect: analysis.minEffect,
    useReference: obs.phase === 'monitor' || !baseline,
  });
  const step = {
    canary: addCounts(state.step.canary, obs.canary),
    baseline: baseline ? addCounts(state.step.baseline, baseline) : state.step.baseline,
  };
  const next: JudgeState = {
    ...state,
    evidence,
    step,
    monitor: advanceMonitor(state.monitor, obs, settings),
    baselineAll: baseline ? addCounts(state.baselineAll, baseline) : state.baselineAll,
    routes: baseline
      ? updateRoutes(state.routes, obs.canary, baseline, analysis, state.evidence)
      : state.routes,
  };
  const ni = nonInferiority(next, analysis.alpha);
  const sustained = obs.phase === 'monitor' ? settings.monitor.sustained : null;
  const findings = judgeRules(next, analysis, sustained, ni);
  const { verdict, pause } = decide(findings, next, obs, settings, ni.both && routesQuiet(next));
  return { state: next, verdict, pause };
}

/** Sustained thresholds after 100%: one classification per monitor interval, N bad ones in a row act. */
function advanceMonitor(
  m: JudgeState['monitor'],
  obs: Observation,
  settings: JudgeSettings,
): JudgeState['monitor'] {
  if (obs.phase !== 'monitor') return m;
  const window = addCounts(m.window, obs.canary);
  const accumulatedMs = m.accumulatedMs + obs.intervalMs;
  if (accumulatedMs < settings.monitor.interval) return { ...m, window, accumulatedMs };
  const { analysis } = settings;
  const rate = window.requests > 0 ? window.errors / window.requests : 0;
  const counted = window.requests >= analysis.minSamples;
  const p95 = window.buckets.length ? quantile(window.buckets, 0.95) : window.maxP95;
  const level = counted
    ? worstSeverity(levelOf(rate, analysis.errorRate), levelOf(p95, analysis.p95))
    : 'low';
  const bad = severityRank(level) >= severityRank('high');
  return {
    accumulatedMs: 0,
    window: emptyTotals(),
    badIntervals: bad ? m.badIntervals + 1 : 0,
    last: { errorRate: rate, p95 },
  };
}
