import { type Buckets, boundAtQuantile, countAbove, mergeBuckets } from './buckets.ts';
import {
  type EState,
  initialState,
  ODDS_RATIOS,
  RATE_RATIOS,
  updateOneSample,
  updateTwoSample,
} from './e-process.ts';
import { upperBound } from './severity.ts';

/** One version's figures over one judge interval (not cumulative). */
export interface Counts {
  requests: number;
  errors: number;
  /** Used only when the target gives no histogram. */
  p95: number;
  latencyBuckets: Buckets;
}

/** Running totals for one version. */
export interface Totals {
  requests: number;
  errors: number;
  buckets: Buckets;
  /** Worst interval p95 seen, for targets without histograms. */
  maxP95: number;
}

/** Everything the judge remembers; plain data, so a verdict is a pure function of (state, interval). */
export interface JudgeState {
  /** Evidence accumulates over the whole release (steps and monitor): one alpha budget for all of it. */
  evidence: {
    relErrors: EState;
    relLatency: EState;
    absErrors: EState;
    absLatency: EState;
    refErrors: EState;
    refLatency: EState;
  };
  /** Canary and baseline in the current step only (thresholds and minSamples look at these). */
  step: { canary: Totals; baseline: Totals };
  /** All baseline data, pre-release window included: the reference for relative latency. */
  baselineAll: Totals;
  /** The baseline's pre-release window, for the monitor's comparison once the baseline gets no traffic. */
  reference: Totals | null;
  monitor: { accumulatedMs: number; window: Totals; badIntervals: number };
}

export const emptyTotals = (): Totals => ({ requests: 0, errors: 0, buckets: [], maxP95: 0 });

export function addCounts(t: Totals, c: Counts): Totals {
  return {
    requests: t.requests + c.requests,
    errors: t.errors + c.errors,
    buckets: c.latencyBuckets.length ? mergeBuckets(t.buckets, c.latencyBuckets) : t.buckets,
    maxP95: c.requests > 0 ? Math.max(t.maxP95, c.p95) : t.maxP95,
  };
}

export function totalsOf(c: Counts): Totals {
  return addCounts(emptyTotals(), c);
}

/** A fresh judge; `reference` is the baseline's pre-release window when there is a baseline. */
export function createJudgeState(reference: Counts | null = null): JudgeState {
  const ref = reference && reference.requests > 0 ? totalsOf(reference) : null;
  return {
    evidence: {
      relErrors: initialState(RATE_RATIOS),
      relLatency: initialState(RATE_RATIOS),
      absErrors: initialState(ODDS_RATIOS),
      absLatency: initialState(ODDS_RATIOS),
      refErrors: initialState(ODDS_RATIOS),
      refLatency: initialState(ODDS_RATIOS),
    },
    step: { canary: emptyTotals(), baseline: emptyTotals() },
    baselineAll: ref ?? emptyTotals(),
    reference: ref,
    monitor: { accumulatedMs: 0, window: emptyTotals(), badIntervals: 0 },
  };
}

/** Called when traffic moves to the next step: thresholds restart, evidence carries on. */
export function startStep(state: JudgeState): JudgeState {
  return { ...state, step: { canary: emptyTotals(), baseline: emptyTotals() } };
}

/** Share of requests above which the latency tests compare (the baseline's 90th percentile bound). */
export const LATENCY_TAIL = 0.1;

export interface EvidenceInput {
  canary: Counts;
  baseline: Counts | null;
  /** Latency p95 level (ms) a healthy version stays under: the absolute latency test's null. */
  healthyP95: number;
  /** Error rate a healthy version stays under: the absolute error test's null. */
  healthyErrorRate: number;
  latencyRatio: number;
  minSamples: number;
  /** Compare with the pre-release reference (once the baseline no longer serves). */
  useReference: boolean;
}

/** Folds one interval into every e-process. Thresholds come from data before this interval only. */
export function updateEvidence(state: JudgeState, input: EvidenceInput): JudgeState['evidence'] {
  const { canary, baseline, latencyRatio, minSamples } = input;
  const ev = { ...state.evidence };
  ev.absErrors = updateOneSample(ev.absErrors, {
    requests: canary.requests,
    events: canary.errors,
    p0: input.healthyErrorRate,
  });
  if (canary.latencyBuckets.length) {
    ev.absLatency = updateOneSample(ev.absLatency, {
      requests: totalCountOf(canary),
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
    const m =
      state.baselineAll.requests >= minSamples
        ? boundAtQuantile(state.baselineAll.buckets, LATENCY_TAIL)
        : null;
    if (m !== null && canary.latencyBuckets.length && baseline.latencyBuckets.length) {
      // H0: canary latency <= ratio x baseline latency (stochastically), hence
      // P(canary > ratio*m) <= P(baseline > m): a two-sample test on those two event counts.
      ev.relLatency = updateTwoSample(ev.relLatency, {
        canaryRequests: totalCountOf(canary),
        baselineRequests: totalCountOf(baseline),
        canaryEvents: countAbove(canary.latencyBuckets, latencyRatio * m),
        baselineEvents: countAbove(baseline.latencyBuckets, m),
      });
    }
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
        requests: totalCountOf(canary),
        events: countAbove(canary.latencyBuckets, latencyRatio * b),
        p0: upperBound(countAbove(ref.buckets, b), ref.requests),
      });
    }
  }
  return ev;
}

function totalCountOf(c: Counts): number {
  let n = 0;
  for (const [, k] of c.latencyBuckets) n += k;
  return n;
}
