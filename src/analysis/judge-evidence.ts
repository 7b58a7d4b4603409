import { boundAtQuantile, countAbove, totalCount } from './buckets.ts';
import { type EState, updateOneSample, updateTwoSample } from './e-process.ts';
import { type Counts, type JudgeState, LATENCY_TAIL, type Totals } from './judge-state.ts';
import { updateNonInferiority } from './non-inferiority.ts';
import { upperBound } from './severity.ts';

export interface EvidenceInput {
  canary: Counts;
  baseline: Counts | null;
  /** Latency p95 level (ms) a healthy version stays under: the absolute latency test's null. */
  healthyP95: number;
  /** Error rate a healthy version stays under: the absolute error test's null. */
  healthyErrorRate: number;
  latencyRatio: number;
  minSamples: number;
  /** Non-inferiority margin in error-rate points. */
  minEffect: number;
  /** Compare with the pre-release reference (once the baseline no longer serves). */
  useReference: boolean;
}

/**
 * Two-sample latency test, H0: canary latency <= ratio x baseline latency (stochastically), hence
 * P(canary > ratio*m) <= P(baseline > m) with m the baseline's tail bound from earlier data only.
 */
export function updateLatency(
  e: EState,
  canary: Pick<Counts, 'latencyBuckets'>,
  baseline: Pick<Counts, 'latencyBuckets'>,
  earlier: Totals,
  input: Pick<EvidenceInput, 'latencyRatio' | 'minSamples'>,
): EState {
  const m = earlier.requests >= input.minSamples ? boundAtQuantile(earlier.buckets, LATENCY_TAIL) : null;
  if (m === null || !canary.latencyBuckets.length || !baseline.latencyBuckets.length) return e;
  return updateTwoSample(e, {
    canaryRequests: totalCount(canary.latencyBuckets),
    baselineRequests: totalCount(baseline.latencyBuckets),
    canaryEvents: countAbove(canary.latencyBuckets, input.latencyRatio * m),
    baselineEvents: countAbove(baseline.latencyBuckets, m),
  });
}

/** Folds one interval into every e-process. Thresholds come from data before this interval only. */
export function updateEvidence(state: JudgeState, input: EvidenceInput): JudgeState['evidence'] {
  const { canary, baseline, latencyRatio, minSamples } = input;
  const ev = { ...state.evidence, ...updateNonInferiority(state, canary, input) };
  ev.absErrors = updateOneSample(ev.absErrors, {
    requests: canary.requests,
    events: canary.errors,
    p0: input.healthyErrorRate,
  });
  if (canary.latencyBuckets.length) {
    ev.absLatency = updateOneSample(ev.absLatency, {
      requests: totalCount(canary.latencyBuckets),
      events: countAbove(canary.latencyBuckets, input.healthyP95),
      p0: 0.05,
    });
  }
  if (baseline && baseline.requests > 0) {
    ev.relErrors = updateTwoSample(ev.relErrors, {
      canaryRequests: canary.requests,
      baselineRequests: baseline.requests,
      canaryEvents: canary.errors,
      baselineEvents: baseline.errors,
    });
    ev.relLatency = updateLatency(ev.relLatency, canary, baseline, state.baselineAll, input);
  }
  const ref = state.reference;
  if (input.useReference && ref && ref.requests >= minSamples) {
    ev.refErrors = updateOneSample(ev.refErrors, {
      requests: canary.requests,
      events: canary.errors,
      p0: Math.max(upperBound(ref.errors, ref.requests), 1e-4),
    });
    const b = boundAtQuantile(ref.buckets, LATENCY_TAIL);
    if (b !== null && canary.latencyBuckets.length) {
      ev.refLatency = updateOneSample(ev.refLatency, {
        requests: totalCount(canary.latencyBuckets),
        events: countAbove(canary.latencyBuckets, latencyRatio * b),
        p0: upperBound(countAbove(ref.buckets, b), ref.requests),
      });
    }
  }
  return ev;
}
