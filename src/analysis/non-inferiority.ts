import { boundAtQuantile, countAbove, countMaybeAbove, totalCount } from './buckets.ts';
import { eValue, NI_ODDS, updateOneSample } from './e-process.ts';
import { type Counts, type JudgeState, LATENCY_TAIL } from './judge-state.ts';
import { lowerBound } from './severity.ts';

/**
 * Non-inferiority: the sequential tests in the other direction, proving the canary NO WORSE than the
 * baseline within a stated margin, so a healthy step can end before its bake and an absolute band can tell
 * a canary that is as bad as the baseline (rolling back would not help) from one that is worse.
 *
 * Margins: error rate at most the baseline's + `minEffect` (1 pp by default); latency not `latencyRatio`
 * (1.5x) slower, i.e. P(canary > ratio*b) below P(baseline > b) at the baseline's 90th-percentile bound b.
 * The baseline side is every baseline request seen before this interval (pre-release window included)
 * through its 99% lower confidence bound, so the null tested is never looser than the stated margin.
 * Each test is a one-sample e-process (NI_ODDS) with H0 "the canary is worse by the margin or more";
 * proof at 1/alpha bounds the chance of ever calling a worse canary non-inferior by alpha. Early promotion
 * needs BOTH proofs (an intersection-union test), so each may use the whole alpha.
 */

export function updateNonInferiority(
  state: JudgeState,
  canary: Counts,
  a: { minEffect: number; latencyRatio: number; minSamples: number },
): Pick<JudgeState['evidence'], 'niErrors' | 'niLatency'> {
  const base = state.baselineAll;
  let { niErrors, niLatency } = state.evidence;
  if (base.requests < a.minSamples) return { niErrors, niLatency };
  niErrors = updateOneSample(
    niErrors,
    {
      requests: canary.requests,
      events: canary.errors,
      p0: Math.min(0.999, lowerBound(base.errors, base.requests) + a.minEffect),
    },
    NI_ODDS,
  );
  const b = boundAtQuantile(base.buckets, LATENCY_TAIL);
  if (b !== null && canary.latencyBuckets.length) {
    const p0 = lowerBound(countAbove(base.buckets, b), totalCount(base.buckets));
    // Overcounting the canary's slow requests (whole buckets past ratio*b) errs against promotion.
    if (p0 > 0)
      niLatency = updateOneSample(
        niLatency,
        {
          requests: totalCount(canary.latencyBuckets),
          events: countMaybeAbove(canary.latencyBuckets, a.latencyRatio * b),
          p0,
        },
        NI_ODDS,
      );
  }
  return { niErrors, niLatency };
}

/** Which of the two non-inferiority proofs hold, at 1/alpha each. */
export function nonInferiority(state: JudgeState, alpha: number) {
  const errors = eValue(state.evidence.niErrors) >= 1 / alpha;
  const latency = eValue(state.evidence.niLatency) >= 1 / alpha;
  return { errors, latency, both: errors && latency };
}

export type NonInferiority = ReturnType<typeof nonInferiority>;
