import { type Buckets, mergeBuckets } from './buckets.ts';
import { type EState, initialState, NI_ODDS, ODDS_RATIOS, RATE_RATIOS } from './e-process.ts';

/** One route's figures over one judge interval. */
export interface RouteCounts {
  /** The route pattern, ids grouped (`/api/items/:id`). */
  route: string;
  requests: number;
  errors: number;
  latencyBuckets: Buckets;
}

/** One version's figures over one judge interval (not cumulative). */
export interface Counts {
  requests: number;
  errors: number;
  /** Used only when the target gives no histogram. */
  p95: number;
  latencyBuckets: Buckets;
  /** The busiest routes, when the target breaks its figures down by route. */
  routes?: RouteCounts[];
}

/** Running totals for one version. */
export interface Totals {
  requests: number;
  errors: number;
  buckets: Buckets;
  /** Worst interval p95 seen, for targets without histograms. */
  maxP95: number;
}

/** One route's comparison while the baseline serves: its own two e-processes and both versions' totals. */
export interface RouteState {
  errors: EState;
  latency: EState;
  /**
   * Log e-values of the whole worker's relative tests (relErrors, relLatency) just before this route was
   * admitted: until then its slot's share of alpha was staked on those tests (route-judge.ts), and this
   * route's test goes on from the wealth that stake had reached.
   */
  carried: { errors: number; latency: number };
  canary: Totals;
  baseline: Totals;
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
    /** Non-inferiority (the other direction): the canary proven no worse than the baseline + margin. */
    niErrors: EState;
    niLatency: EState;
  };
  /** Canary and baseline in the current step only (thresholds and minSamples look at these). */
  step: { canary: Totals; baseline: Totals };
  /** All baseline data, pre-release window included: the reference for relative latency. */
  baselineAll: Totals;
  /** The baseline's pre-release window, for the monitor's comparison once the baseline gets no traffic. */
  reference: Totals | null;
  /** The monitor's current interval, the count of high ones in a row, and the last one's figures. */
  monitor: {
    accumulatedMs: number;
    window: Totals;
    badIntervals: number;
    last: { errorRate: number; p95: number };
  };
  /** Per-route comparisons, at most MAX_ROUTES, keyed by route pattern. */
  routes: Record<string, RouteState>;
}

/** Share of requests above which the latency tests compare (the baseline's 90th percentile bound). */
export const LATENCY_TAIL = 0.1;

export const emptyTotals = (): Totals => ({ requests: 0, errors: 0, buckets: [], maxP95: 0 });

export function addCounts(
  t: Totals,
  c: Pick<Counts, 'requests' | 'errors' | 'latencyBuckets'> & { p95?: number },
): Totals {
  return {
    requests: t.requests + c.requests,
    errors: t.errors + c.errors,
    buckets: c.latencyBuckets.length ? mergeBuckets(t.buckets, c.latencyBuckets) : t.buckets,
    maxP95: c.requests > 0 && c.p95 !== undefined ? Math.max(t.maxP95, c.p95) : t.maxP95,
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
      niErrors: initialState(NI_ODDS),
      niLatency: initialState(NI_ODDS),
    },
    step: { canary: emptyTotals(), baseline: emptyTotals() },
    baselineAll: ref ?? emptyTotals(),
    reference: ref,
    monitor: { accumulatedMs: 0, window: emptyTotals(), badIntervals: 0, last: { errorRate: 0, p95: 0 } },
    routes: {},
  };
}

/** Called when traffic moves to the next step: thresholds restart, evidence carries on. */
export function startStep(state: JudgeState): JudgeState {
  return { ...state, step: { canary: emptyTotals(), baseline: emptyTotals() } };
}
