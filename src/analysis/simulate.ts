import type { Counts } from './judge-state.ts';

/**
 * Seeded synthetic metric streams for judging the judge: the detection benchmark and the judge's own
 * tests draw canary and baseline windows from known error rates and latency distributions.
 */

/** A small fast seeded generator (sfc32): same seed, same stream. */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 + seed * 7;
  let c = 0xb7e15162 ^ (seed << 3);
  let d = 1;
  const next = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function poisson(random: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(random)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

/** Exact by inversion for small means, normal approximation when the variance is large. */
export function binomial(random: () => number, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const variance = n * p * (1 - p);
  if (variance > 30)
    return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(variance) * normal(random))));
  if (p > 0.5) return n - binomial(random, n, 1 - p);
  const q = 1 - p;
  const ratio = p / q;
  let prob = q ** n;
  let cdf = prob;
  const u = random();
  let k = 0;
  while (u > cdf && k < n) {
    prob *= (ratio * (n - k)) / (k + 1);
    cdf += prob;
    k++;
  }
  return k;
}

/** Histogram bounds (ms) used by the simulations: fine enough for a 1.5x latency ratio to show. */
export const SIM_BOUNDS: readonly number[] = [
  5,
  10,
  15,
  20,
  25,
  30,
  35,
  40,
  50,
  60,
  70,
  80,
  90,
  100,
  120,
  140,
  160,
  180,
  200,
  250,
  300,
  400,
  500,
  750,
  1000,
  1500,
  2000,
  3000,
  5000,
  Number.POSITIVE_INFINITY,
];

function normalCdf(z: number): number {
  // Abramowitz-Stegun 7.1.26 on erf; plenty for bucket probabilities.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Probability of each bucket for a log-normal latency with this median (ms) and log-sd. */
export function lognormalBucketProbs(medianMs: number, sigma: number, bounds = SIM_BOUNDS): number[] {
  let previous = 0;
  return bounds.map((bound) => {
    const cdf = Number.isFinite(bound) ? normalCdf(Math.log(bound / medianMs) / sigma) : 1;
    const p = Math.max(0, cdf - previous);
    previous = cdf;
    return p;
  });
}

const cumulativeCache = new WeakMap<readonly number[], Float64Array>();

function cumulative(probs: readonly number[]): Float64Array {
  let c = cumulativeCache.get(probs);
  if (!c) {
    c = new Float64Array(probs.length);
    let sum = 0;
    probs.forEach((p, i) => {
      sum += p;
      (c as Float64Array)[i] = sum;
    });
    cumulativeCache.set(probs, c);
  }
  return c;
}

export function multinomial(random: () => number, n: number, probs: readonly number[]): number[] {
  const out: number[] = new Array(probs.length).fill(0);
  if (n < 120) {
    // Few draws: one lookup per request beats a binomial per bucket.
    const cdf = cumulative(probs);
    const last = probs.length - 1;
    for (let k = 0; k < n; k++) {
      const u = random() * cdf[last];
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      out[lo]++;
    }
    return out;
  }
  let left = n;
  let mass = 1;
  for (let i = 0; i < probs.length && left > 0; i++) {
    const k = i === probs.length - 1 ? left : binomial(random, left, Math.min(1, probs[i] / mass));
    out[i] = k;
    left -= k;
    mass -= probs[i];
    if (mass <= 1e-12) break;
  }
  return out;
}

export interface VersionModel {
  errorRate: number;
  /** Bucket probabilities, e.g. from lognormalBucketProbs. */
  latency: readonly number[];
}

/** One version's counts over `seconds` of Poisson traffic at `rps`. */
export function simulateCounts(
  random: () => number,
  model: VersionModel,
  rps: number,
  seconds: number,
  latency = true,
): Counts {
  const requests = poisson(random, rps * seconds);
  const latencyBuckets: Array<[number, number]> = [];
  if (latency) {
    const bins = multinomial(random, requests, model.latency);
    for (let i = 0; i < bins.length; i++) latencyBuckets.push([SIM_BOUNDS[i], bins[i]]);
  }
  return { requests, errors: binomial(random, requests, model.errorRate), p95: 0, latencyBuckets };
}
