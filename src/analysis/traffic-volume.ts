import { lowerBound, upperBound } from './severity.ts';

/** Where users' traffic stands against what was expected, once the data can tell. */
export type VolumeVerdict = 'within' | 'below' | 'above' | 'inconclusive';

export interface VolumeReading {
  verdict: VolumeVerdict;
  /** The observed figure: the canary's share (0-1), or the rate now over the rate before (1 = unchanged). */
  observed: number;
  /** What was expected: the step's share, or 1. */
  expected: number;
  /** Requests the reading rests on. */
  requests: number;
}

/**
 * Out of `n` requests, `k` fell on one side; `low`/`high` are the proportions at the band's edges. Beyond the
 * band only when the 99% Wilson bound is beyond it too: noise in a small count is never a finding.
 */
function proportion(k: number, n: number, low: number, high: number): Exclude<VolumeVerdict, 'inconclusive'> {
  if (upperBound(k, n) < low) return 'below';
  if (lowerBound(k, n) > high) return 'above';
  return 'within';
}

/**
 * The canary's share of users' requests over a step against its percent, ±`band` of it (0.2: a 10% step
 * accepts 8-12%). Inconclusive with fewer than `minSamples` users' requests.
 * @example shareReading({ canary: 30, baseline: 570, percent: 10, band: 0.2, minSamples: 50 }).verdict // 'below'
 */
export function shareReading(q: {
  canary: number;
  baseline: number;
  percent: number;
  band: number;
  minSamples: number;
}): VolumeReading {
  const n = q.canary + q.baseline;
  const expected = q.percent / 100;
  const observed = n > 0 ? q.canary / n : 0;
  if (n < q.minSamples) return { verdict: 'inconclusive', observed, expected, requests: n };
  const verdict = proportion(q.canary, n, expected * (1 - q.band), Math.min(1, expected * (1 + q.band)));
  return { verdict, observed, expected, requests: n };
}

/**
 * Users' requests per second now against the same-length span before the release, ±`band`. Equal rates put
 * `now` at a known fraction of both counts, so the band is a band on that fraction (the conditional test of
 * two Poisson rates). Inconclusive when the span before had fewer than `minSamples` requests: nothing to
 * compare with.
 * @example rateReading({ now: 400, nowMs: 10_000, before: 900, beforeMs: 10_000, band: 0.2, minSamples: 50 }).verdict // 'below'
 */
export function rateReading(q: {
  now: number;
  nowMs: number;
  before: number;
  beforeMs: number;
  band: number;
  minSamples: number;
}): VolumeReading {
  const rateNow = q.now / Math.max(1, q.nowMs);
  const rateBefore = q.before / Math.max(1, q.beforeMs);
  const observed = rateBefore > 0 ? rateNow / rateBefore : 0;
  const requests = q.now + q.before;
  if (q.before < q.minSamples) return { verdict: 'inconclusive', observed, expected: 1, requests };
  // With rates in ratio r, `now` is expected to be this fraction of both counts.
  const at = (r: number) => (r * q.nowMs) / (r * q.nowMs + q.beforeMs);
  const verdict = proportion(q.now, requests, at(1 - q.band), at(1 + q.band));
  return { verdict, observed, expected: 1, requests };
}
