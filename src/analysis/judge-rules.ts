import type { ResolvedConfig } from '../config/resolved.ts';
import { eValue } from './e-process.ts';
import { type Finding, pct, provenTest, round, type ShareTest } from './findings.ts';
import { bandFindings, comparisonOf, p95Of } from './judge-bands.ts';
import type { JudgeState } from './judge-state.ts';
import type { NonInferiority } from './non-inferiority.ts';
import { pooledThreshold, routeFindings } from './route-judge.ts';

export { ALPHA_SHARE, type Finding } from './findings.ts';

type Analysis = ResolvedConfig['analysis'];

/** Every rule's finding on the state after the latest interval; `sustained` is set in the monitor window. */
export function judgeRules(
  state: JudgeState,
  a: Analysis,
  sustained: number | null,
  ni: NonInferiority,
): Finding[] {
  // Most specific first: on a tie in severity the first finding decides, and a route names the culprit.
  const findings: Finding[] = [...routeFindings(state, a), ...bandFindings(state, a, ni)];
  const { canary, baseline } = state.step;
  const n = canary.requests;
  const rate = n > 0 ? canary.errors / n : 0;
  const baseRate = baseline.requests > 0 ? baseline.errors / baseline.requests : null;
  const p95 = p95Of(canary);
  const proven = (test: ShareTest) => provenTest(state, a.alpha, test);
  const e = (test: ShareTest) => round(eValue(state.evidence[test]), 2);
  const errorSeverity = rate > a.errorRate.critical ? 'critical' : 'high';

  const diffOk = (reference: number) => rate - reference >= a.minEffect / 2;
  // The relative tests also hold the shares of the route slots no route has taken (route-judge.ts).
  const relErrorsAt = pooledThreshold(state, a.alpha, 'relErrors');
  const pooled = (test: 'relErrors' | 'relLatency') =>
    eValue(state.evidence[test]) >= pooledThreshold(state, a.alpha, test);
  if (pooled('relErrors') && baseRate !== null && diffOk(baseRate)) {
    findings.push({
      act: 'rollback',
      severity: errorSeverity,
      reason: {
        rule: 'error-rate-vs-baseline',
        message: `canary error rate ${pct(rate)} is proven above the baseline's ${pct(baseRate)}`,
        figures: {
          canary: round(rate),
          baseline: round(baseRate),
          e: e('relErrors'),
          threshold: round(relErrorsAt, 1),
        },
      },
    });
  }
  if (pooled('relLatency')) {
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
      severity: errorSeverity,
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
  if (sustained !== null && state.monitor.badIntervals >= sustained)
    findings.push(sustainedFinding(state, a, sustained, ni));
  return findings;
}

/**
 * N high monitor intervals in a row roll back, unless a rollback would not help: the canary is proven no
 * worse than the baseline, or its monitor figures are within the margin of the baseline's.
 */
function sustainedFinding(state: JudgeState, a: Analysis, sustained: number, ni: NonInferiority): Finding {
  const { badIntervals, last } = state.monitor;
  const figures = { intervals: badIntervals, sustained };
  const message = `${badIntervals} monitor intervals in a row in the high band`;
  const base = comparisonOf(state, a.minSamples);
  const worse =
    !base ||
    (last.errorRate - base.errors / base.requests > a.minEffect && !ni.errors) ||
    (last.p95 > a.latencyRatio * p95Of(base) && !ni.latency);
  if (worse)
    return { act: 'rollback', severity: 'high', reason: { rule: 'sustained-threshold', message, figures } };
  const baseline = pct(base.errors / base.requests);
  return {
    act: 'warn',
    severity: 'medium',
    reason: {
      rule: 'sustained-threshold',
      message: `${message}, but no worse than the baseline (${baseline} errors, p95 ${Math.round(p95Of(base))} ms): a rollback would not help, warning`,
      figures,
    },
  };
}
