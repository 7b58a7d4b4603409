import type { Counts } from '../../src/analysis/judge.ts';
import {
  createJudgeState,
  type JudgeSettings,
  type JudgeState,
  judgeInterval,
} from '../../src/analysis/judge.ts';
import type { VersionModel } from '../../src/analysis/simulate.ts';

/** One 5-second block of a simulated release. */
export interface Block {
  t: number;
  canary: Counts;
  baseline: Counts;
}

/** A detection rule fed block by block; returns true when it would roll back now. */
export interface Detector {
  step(block: Block): boolean;
}

export const LOOK_S = 5;

/** Our judge, exactly as the rollout runs it (5 s looks, default analysis config, no bake end). */
export function judge(settings: JudgeSettings): Detector {
  let state: JudgeState = createJudgeState(null);
  return {
    step(b) {
      const r = judgeInterval(
        state,
        {
          canary: b.canary,
          baseline: b.baseline,
          phase: 'bake',
          intervalMs: LOOK_S * 1000,
          elapsedMs: b.t * 1000,
          bakeMs: Number.POSITIVE_INFINITY,
          maxExtensionMs: 0,
        },
        settings,
      );
      state = r.state;
      return r.verdict.action === 'rollback';
    },
  };
}

/** Sums blocks into windows of `seconds` and calls `check` on each full window. */
function windowed(
  seconds: number,
  check: (w: { n: number; x: number; bn: number; bx: number; p99: number }) => boolean,
): Detector {
  let w = { n: 0, x: 0, bn: 0, bx: 0, p99: 0 };
  return {
    step(b) {
      w.n += b.canary.requests;
      w.x += b.canary.errors;
      w.bn += b.baseline.requests;
      w.bx += b.baseline.errors;
      w.p99 = Math.max(w.p99, quantileOf(b.canary, 0.99));
      if (b.t % seconds !== 0) return false;
      const fired = check(w);
      w = { n: 0, x: 0, bn: 0, bx: 0, p99: 0 };
      return fired;
    },
  };
}

function quantileOf(c: Counts, q: number): number {
  const rank = q * c.requests;
  let seen = 0;
  for (const [bound, n] of c.latencyBuckets) {
    seen += n;
    if (n > 0 && seen >= rank) return bound;
  }
  return 0;
}

/** The seeds' rule: canary error rate above 5% in 5 consecutive one-minute windows. */
export function seedsRule(): Detector {
  let run = 0;
  return windowed(60, (w) => {
    run = w.n > 0 && w.x / w.n > 0.05 ? run + 1 : 0;
    return run >= 5;
  });
}

/**
 * Flagger's analysis: every 60 s, request-success-rate >= 99% and request-duration p99 <= 500 ms over the
 * last minute; each failing check counts; `threshold` failed checks roll back. Returns, per block, how
 * many checks have failed so far (so one pass serves every threshold).
 */
export function flaggerFailures(): { step(b: Block): number } {
  let failed = 0;
  const d = windowed(60, (w) => w.n === 0 || 1 - w.x / w.n < 0.99 || w.p99 > 500);
  return {
    step(b) {
      if (d.step(b)) failed++;
      return failed;
    },
  };
}

/** One-sided two-proportion z-test of canary vs baseline error rate. */
function zTest(w: { n: number; x: number; bn: number; bx: number }, z: number): boolean {
  if (w.n === 0 || w.bn === 0) return false;
  const p = (w.x + w.bx) / (w.n + w.bn);
  const se = Math.sqrt(p * (1 - p) * (1 / w.n + 1 / w.bn));
  return se > 0 && (w.x / w.n - w.bx / w.bn) / se > z;
}

const Z_99 = 2.326;

/** Adds one block's canary and baseline counts to running totals. */
function accumulate(total: { n: number; x: number; bn: number; bx: number }, b: Block): void {
  total.n += b.canary.requests;
  total.x += b.canary.errors;
  total.bn += b.baseline.requests;
  total.bx += b.baseline.errors;
}

/** Fixed-horizon test done right: once, at the end of a 5-minute bake, alpha = 1%. */
export function fixedHorizon(horizonS = 300): Detector {
  const total = { n: 0, x: 0, bn: 0, bx: 0 };
  return {
    step(b) {
      accumulate(total, b);
      return b.t === horizonS && zTest(total, Z_99);
    },
  };
}

/** The same test peeked at every 5 s, the common mistake the sequential test exists to avoid. */
export function peekingZ(): Detector {
  const total = { n: 0, x: 0, bn: 0, bx: 0 };
  return {
    step(b) {
      accumulate(total, b);
      return total.n >= 20 && zTest(total, Z_99);
    },
  };
}

/**
 * Oracle SPRT: knows the true canary and baseline models and tests "canary = baseline" against the truth
 * (a healthy canary is tested against +1 pp). Wald's likelihood ratio on every canary request (error and
 * latency bucket), same 5 s looks, boundary 1/alpha: the limit no rule that must learn the rates can beat.
 */
export function oracle(null0: VersionModel, truth: VersionModel, alpha: number): Detector {
  const alt = truth === null0 || same(truth, null0) ? { ...null0, errorRate: null0.errorRate + 0.01 } : truth;
  const errHit = Math.log(alt.errorRate / null0.errorRate);
  const errMiss = Math.log((1 - alt.errorRate) / (1 - null0.errorRate));
  const lat = alt.latency.map((p, i) => (p > 0 && null0.latency[i] > 0 ? Math.log(p / null0.latency[i]) : 0));
  const bound = Math.log(1 / alpha);
  let llr = 0;
  return {
    step(b) {
      llr += b.canary.errors * errHit + (b.canary.requests - b.canary.errors) * errMiss;
      b.canary.latencyBuckets.forEach(([, n], i) => {
        llr += n * lat[i];
      });
      return llr >= bound;
    },
  };
}

function same(a: VersionModel, b: VersionModel): boolean {
  return a.errorRate === b.errorRate && a.latency.every((p, i) => p === b.latency[i]);
}

/**
 * The best a rule comparing the canary with the concurrent baseline can do on errors: the conditional
 * likelihood ratio (each error is the canary's with probability theta*nC/(theta*nC+nB)) at the TRUE rate
 * ratio theta, with all of alpha (boundary 1/alpha). Unlike the oracle it must learn the baseline's rate
 * from the baseline's own requests; unlike the judge it needs no mixture over ratios and no share of alpha
 * for other tests. A healthy canary is tested against +1 pp, as by the oracle. Errors only.
 */
export function twoSampleBound(null0: VersionModel, truth: VersionModel, alpha: number): Detector {
  const alt = truth.errorRate > null0.errorRate ? truth.errorRate : null0.errorRate + 0.01;
  const theta = alt / null0.errorRate;
  const bound = Math.log(1 / alpha);
  let llr = 0;
  return {
    step(b) {
      const nC = b.canary.requests;
      const nB = b.baseline.requests;
      if (nC <= 0 || nB <= 0) return llr >= bound;
      const q0 = nC / (nC + nB);
      const q1 = (theta * nC) / (theta * nC + nB);
      llr += b.canary.errors * Math.log(q1 / q0) + b.baseline.errors * Math.log((1 - q1) / (1 - q0));
      return llr >= bound;
    },
  };
}
