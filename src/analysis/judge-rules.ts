import type { ResolvedConfig } from '../config/resolved.ts';
import type { Reason, Severity } from '../events/types.ts';
import { quantile } from './buckets.ts';
import { eValue } from './e-process.ts';
import type { JudgeState, Totals } from './judge-state.ts';
import { levelOf } from './severity.ts';

/**
 * How the false-rollback budget `alpha` is shared between the sequential tests: by the union bound the
 * chance that ANY of them fires on a healthy canary is at most alpha. The relative error test, the one
 * that catches most regressions, gets the largest share.
 */
export const ALPHA_SHARE = {
  relErrors: 0.45,
  relLatency: 0.15,
  refErrors: 0.15,
  refLatency: 0.05,
  absErrors: 0.1,
  absLatency: 0.1,
} as const;

export interface Finding {
  act: 'rollback' | 'hold' | null;
  severity: Severity;
  reason: Reason;
}

type Analysis = ResolvedConfig['analysis'];

const round = (x: number, digits = 4) => Number(x.toFixed(digits));
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function p95Of(t: Totals): number {
  return t.buckets.length ? quantile(t.buckets, 0.95) : t.maxP95;
}

/** Every rule's finding on the state after the latest interval; `sustained` is set in the monitor window. */
export function judgeRules(state: JudgeState, a: Analysis, sustained: number | null): Finding[] {
  const findings: Finding[] = [];
  const { canary, baseline } = state.step;
  const n = canary.requests;
  const rate = n > 0 ? canary.errors / n : 0;
  const baseRate = baseline.requests > 0 ? baseline.errors / baseline.requests : null;
  const p95 = p95Of(canary);
  const proven = (test: keyof typeof ALPHA_SHARE) =>
    eValue(state.evidence[test]) >= 1 / (a.alpha * ALPHA_SHARE[test]);
  const e = (test: keyof typeof ALPHA_SHARE) => round(eValue(state.evidence[test]), 2);

  const absolute = (
    rule: string,
    level: Severity,
    isProven: boolean,
    figures: Record<string, number | string>,
    what: string,
  ) => {
    if (level === 'low') return;
    const message = `canary ${what} is in the ${level} band`;
    if (level === 'critical' && isProven)
      findings.push({ act: 'rollback', severity: 'critical', reason: { rule, message, figures } });
    else if (level === 'high' && isProven && n >= a.minSamples)
      findings.push({ act: 'rollback', severity: 'high', reason: { rule, message, figures } });
    else if (n >= a.minSamples || level !== 'medium') {
      // Over a threshold but not proven yet (or only a warning): do not move on, keep watching. Only a
      // well-sampled figure counts as a warning; an early blip is just a reason to wait.
      const severity: Severity = n >= a.minSamples ? 'medium' : 'low';
      findings.push({
        act: 'hold',
        severity,
        reason: { rule, message: `${message}, not proven over ${n} requests yet: holding the step`, figures },
      });
    }
  };
  if (n > 0) {
    absolute(
      'error-rate',
      levelOf(rate, a.errorRate),
      proven('absErrors'),
      { errorRate: round(rate), requests: n, errors: canary.errors, e: e('absErrors') },
      `error rate ${pct(rate)}`,
    );
    absolute(
      'latency-p95',
      levelOf(p95, a.p95),
      proven('absLatency'),
      { p95: round(p95, 1), requests: n, e: e('absLatency') },
      `p95 ${Math.round(p95)} ms`,
    );
  }

  const diffOk = (reference: number) => rate - reference >= a.minEffect / 2;
  if (proven('relErrors') && baseRate !== null && diffOk(baseRate)) {
    findings.push({
      act: 'rollback',
      severity: rate > a.errorRate.critical ? 'critical' : 'high',
      reason: {
        rule: 'error-rate-vs-baseline',
        message: `canary error rate ${pct(rate)} is proven above the baseline's ${pct(baseRate)}`,
        figures: {
          canary: round(rate),
          baseline: round(baseRate),
          e: e('relErrors'),
          threshold: round(1 / (a.alpha * ALPHA_SHARE.relErrors), 1),
        },
      },
    });
  }
  if (proven('relLatency')) {
    findings.push({
      act: 'rollback',
      severity: 'high',
      reason: {
        rule: 'latency-vs-baseline',
        message: `canary latency is proven more than ${a.latencyRatio}x the baseline's`,
        figures: {
          canaryP95: round(p95, 1),
          baselineP95: round(p95Of(state.baselineAll), 1),
          e: e('relLatency'),
        },
      },
    });
  }
  const ref = state.reference;
  if (ref && proven('refErrors') && diffOk(ref.errors / ref.requests)) {
    findings.push({
      act: 'rollback',
      severity: rate > a.errorRate.critical ? 'critical' : 'high',
      reason: {
        rule: 'error-rate-vs-pre-release',
        message: `canary error rate ${pct(rate)} is proven above the baseline's pre-release ${pct(ref.errors / ref.requests)}`,
        figures: { canary: round(rate), reference: round(ref.errors / ref.requests), e: e('refErrors') },
      },
    });
  }
  if (ref && proven('refLatency')) {
    findings.push({
      act: 'rollback',
      severity: 'high',
      reason: {
        rule: 'latency-vs-pre-release',
        message: `canary latency is proven more than ${a.latencyRatio}x the baseline's pre-release latency`,
        figures: { canaryP95: round(p95, 1), referenceP95: round(p95Of(ref), 1), e: e('refLatency') },
      },
    });
  }
  if (sustained !== null && state.monitor.badIntervals >= sustained) {
    findings.push({
      act: 'rollback',
      severity: 'high',
      reason: {
        rule: 'sustained-threshold',
        message: `${state.monitor.badIntervals} monitor intervals in a row in the high band`,
        figures: { intervals: state.monitor.badIntervals, sustained },
      },
    });
  }
  return findings;
}
