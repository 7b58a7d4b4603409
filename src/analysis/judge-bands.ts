import type { ResolvedConfig } from '../config/resolved.ts';
import type { Severity } from '../events/types.ts';
import { quantile } from './buckets.ts';
import { eValue } from './e-process.ts';
import { type Finding, pct, provenTest, round, type ShareTest } from './findings.ts';
import type { JudgeState, Totals } from './judge-state.ts';
import type { NonInferiority } from './non-inferiority.ts';
import { levelOf } from './severity.ts';

type Analysis = ResolvedConfig['analysis'];

export function p95Of(t: Totals): number {
  return t.buckets.length ? quantile(t.buckets, 0.95) : t.maxP95;
}

/**
 * The version a rollback would return to, as data: the baseline in this step, else everything seen of it
 * (pre-release window, earlier steps). Null on a first release, where the bands act alone.
 */
export function comparisonOf(state: JudgeState, minSamples: number): Totals | null {
  if (state.step.baseline.requests >= minSamples) return state.step.baseline;
  return state.baselineAll.requests >= minSamples ? state.baselineAll : null;
}

interface Band {
  rule: string;
  level: Severity;
  test: ShareTest;
  /** Non-inferiority proven for this figure. */
  noWorse: boolean;
  /** Point estimates: the canary is worse than the comparison by more than the margin. */
  worse: boolean;
  what: string;
  baseWhat: string;
  figures: Record<string, number | string>;
}

/**
 * The decision matrix's absolute bands (DESIGN.md). Without a baseline they act as the matrix says, on
 * proof. With one, a band rolls back only when that helps: a canary proven no worse than the baseline
 * gets a warning; otherwise the band holds while the sequential tests decide, and when the longest
 * extension is over it rolls back only if the canary's figure is worse than the baseline's by more than
 * the margin (a regression the tests could not prove in time), else it warns.
 */
export function bandFindings(state: JudgeState, a: Analysis, ni: NonInferiority): Finding[] {
  const { canary } = state.step;
  const n = canary.requests;
  if (n === 0) return [];
  const comparison = comparisonOf(state, a.minSamples);
  const rate = canary.errors / n;
  const p95 = p95Of(canary);
  const baseRate = comparison ? comparison.errors / comparison.requests : 0;
  const baseP95 = comparison ? p95Of(comparison) : 0;
  const e = (test: ShareTest) => round(eValue(state.evidence[test]), 2);
  const bands: Band[] = [
    {
      rule: 'error-rate',
      level: levelOf(rate, a.errorRate),
      test: 'absErrors',
      noWorse: ni.errors,
      worse: rate - baseRate > a.minEffect,
      what: `error rate ${pct(rate)}`,
      baseWhat: pct(baseRate),
      figures: { errorRate: round(rate), requests: n, errors: canary.errors, e: e('absErrors') },
    },
    {
      rule: 'latency-p95',
      level: levelOf(p95, a.p95),
      test: 'absLatency',
      noWorse: ni.latency,
      worse: p95 > a.latencyRatio * baseP95,
      what: `p95 ${Math.round(p95)} ms`,
      baseWhat: `${Math.round(baseP95)} ms`,
      figures: { p95: round(p95, 1), requests: n, e: e('absLatency') },
    },
  ];
  const findings: Finding[] = [];
  for (const band of bands) {
    if (band.level === 'low') continue;
    const proven = provenTest(state, a.alpha, band.test);
    const f = comparison
      ? helpOnly(band, proven, n >= a.minSamples, { ...band.figures, baseline: band.baseWhat })
      : alone(band, proven, n, a.minSamples);
    if (f) findings.push(f);
  }
  return findings;
}

/** No baseline: the matrix as written (critical with proof rolls back at once, high with proof too). */
function alone(band: Band, proven: boolean, n: number, minSamples: number): Finding | null {
  const { rule, level, figures } = band;
  const message = `canary ${band.what} is in the ${level} band`;
  if (level === 'critical' && proven)
    return { act: 'rollback', severity: 'critical', reason: { rule, message, figures } };
  if (level === 'high' && proven && n >= minSamples)
    return { act: 'rollback', severity: 'high', reason: { rule, message, figures } };
  // Over a threshold but not proven yet (or only a warning): do not move on, keep watching. Only a
  // well-sampled figure counts as a warning; an early blip is just a reason to wait.
  if (n < minSamples && level === 'medium') return null;
  return {
    act: 'hold',
    severity: n >= minSamples ? 'medium' : 'low',
    reason: { rule, message: `${message}, not proven over ${n} requests yet: holding the step`, figures },
  };
}

function helpOnly(band: Band, proven: boolean, sampled: boolean, figures: Band['figures']): Finding | null {
  const { rule, level } = band;
  const message = `canary ${band.what} is in the ${level} band`;
  if (band.noWorse) {
    const reason = {
      rule,
      message: `${message}, but proven no worse than the baseline's ${band.baseWhat}: a rollback would not help, warning`,
      figures,
    };
    return { act: 'warn', severity: 'medium', reason };
  }
  if (!sampled && level === 'medium') return null;
  const severity: Severity = sampled ? 'medium' : 'low';
  const serious = level !== 'medium' && proven && sampled;
  const endMessage = !band.worse
    ? `${message}, within the margin of the baseline's ${band.baseWhat}: a rollback would not help, warning`
    : serious
      ? `${message} and worse than the baseline's ${band.baseWhat} beyond the margin: rolling back`
      : `${message}, not proven over the whole extension: going on with a warning`;
  const atEnd = {
    act: serious && band.worse ? ('rollback' as const) : ('warn' as const),
    severity: serious && band.worse ? level : ('medium' as const),
    reason: { rule, message: endMessage, figures },
  };
  const reason = {
    rule,
    message: `${message} (baseline ${band.baseWhat}): holding until the canary is shown worse or no worse than the baseline`,
    figures,
  };
  return { act: 'hold', severity, reason, atEnd };
}
