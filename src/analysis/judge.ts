import type { ResolvedConfig } from '../config/resolved.ts';
import type { Reason, Severity, VerdictAction } from '../events/types.ts';
import { quantile } from './buckets.ts';
import { type Finding, judgeRules } from './judge-rules.ts';
import { addCounts, type Counts, emptyTotals, type JudgeState, updateEvidence } from './judge-state.ts';
import { levelOf, severityRank, worstSeverity } from './severity.ts';

export type { Counts, JudgeState } from './judge-state.ts';
export { createJudgeState, startStep } from './judge-state.ts';

/** What the judge decides after one interval. */
export interface Verdict {
  action: VerdictAction;
  severity: Severity;
  reasons: Reason[];
}

export interface JudgeSettings {
  analysis: ResolvedConfig['analysis'];
  monitor: Pick<ResolvedConfig['monitor'], 'interval' | 'sustained'>;
  onInconclusive: 'rollback' | 'pause';
}

/** One look at the windows: the interval's figures plus where the step stands in time. */
export interface Observation {
  canary: Counts;
  /** Null on a first release or once the canary serves 100% and the baseline gets nothing. */
  baseline: Counts | null;
  phase: 'bake' | 'monitor';
  /** Length of this interval. */
  intervalMs: number;
  /** Time since the step (or the monitor window) began, this interval included. */
  elapsedMs: number;
  /** The step's bake (or the monitor's duration). */
  bakeMs: number;
  maxExtensionMs: number;
}

export interface JudgeResult {
  state: JudgeState;
  verdict: Verdict;
  /** Inconclusive past the longest extension with `onInconclusive: 'pause'`: wait for a person. */
  pause: boolean;
}

/**
 * The canary judge: a pure function of (state, interval). Rolls back as soon as a sequential test proves
 * a regression or a critical threshold is crossed with proof; holds on warnings and on too little data;
 * promotes only after the bake with at least `minSamples` canary requests and nothing against it.
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
    useReference: obs.phase === 'monitor' || !baseline,
  });
  const step = {
    canary: addCounts(state.step.canary, obs.canary),
    baseline: baseline ? addCounts(state.step.baseline, baseline) : state.step.baseline,
  };
  const monitor = advanceMonitor(state.monitor, obs, settings);
  const next: JudgeState = {
    ...state,
    evidence,
    step,
    monitor,
    baselineAll: baseline ? addCounts(state.baselineAll, baseline) : state.baselineAll,
  };
  const findings = judgeRules(next, analysis, obs.phase === 'monitor' ? settings.monitor.sustained : null);
  const { verdict, pause } = decide(findings, next, obs, settings);
  return { state: next, verdict, pause };
}

function decide(findings: Finding[], state: JudgeState, obs: Observation, settings: JudgeSettings) {
  const reasons = findings.map((f) => f.reason);
  const worst = worstSeverity(...findings.map((f) => f.severity));
  const canaryN = state.step.canary.requests;
  const enough = canaryN >= settings.analysis.minSamples;
  const baseSeverity: Severity = canaryN > 0 ? 'low' : 'none';
  const verdict = (action: VerdictAction, severity: Severity, extra: Reason[] = []) => ({
    verdict: { action, severity, reasons: [...reasons, ...extra] },
    pause: false,
  });
  if (findings.some((f) => f.act === 'rollback')) return verdict('rollback', worst);
  const holding = findings.some((f) => f.act === 'hold');
  const extensionOver = obs.elapsedMs >= obs.bakeMs + obs.maxExtensionMs;
  if (obs.elapsedMs < obs.bakeMs)
    return verdict(holding ? 'hold' : 'continue', worstSeverity(baseSeverity, worst));
  if (!enough) {
    const reason: Reason = {
      rule: 'inconclusive',
      message: `only ${canaryN} canary requests, ${settings.analysis.minSamples} needed to judge`,
      figures: { requests: canaryN, minSamples: settings.analysis.minSamples },
    };
    if (!extensionOver) return verdict('hold', 'inconclusive', [reason]);
    if (settings.onInconclusive === 'rollback') return verdict('rollback', 'inconclusive', [reason]);
    return { ...verdict('hold', 'inconclusive', [reason]), pause: true };
  }
  // A warning holds the step while the extension lasts, then lets it go on with the warning on record.
  if (holding && !extensionOver) return verdict('hold', worstSeverity(baseSeverity, worst));
  return verdict('promote', worstSeverity(baseSeverity, severityRank(worst) > 0 ? worst : 'low'));
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
  return { accumulatedMs: 0, window: emptyTotals(), badIntervals: bad ? m.badIntervals + 1 : 0 };
}
