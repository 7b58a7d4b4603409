import { lognormalBucketProbs, type VersionModel } from '../../src/analysis/simulate.ts';

/** One simulated release: traffic, the baseline's and the canary's true behaviour. */
export interface Scenario {
  name: string;
  rps: number;
  canaryShare: number;
  baseline: VersionModel;
  canary: VersionModel;
  /** True when the canary is worse than the baseline (a rollback is right). */
  regression: boolean;
}

/** Log-normal latency: median 40 ms, log-sd 0.5 (p95 ~ 90 ms), the example app's shape under load. */
const fast = lognormalBucketProbs(40, 0.5);
const slow = lognormalBucketProbs(80, 0.5);
/** Median 351 ms, log-sd 0.5: p95 ~ 800 ms, the medium band of the decision matrix. */
const sluggish = lognormalBucketProbs(351, 0.5);
const NOISY_ERRORS = 0.02;
const noisy: VersionModel = { errorRate: NOISY_ERRORS, latency: fast };
const BASE_ERRORS = 0.005;
const base: VersionModel = { errorRate: BASE_ERRORS, latency: fast };
const plus = (pp: number): VersionModel => ({ errorRate: BASE_ERRORS + pp / 100, latency: fast });

const standard = { rps: 100, canaryShare: 0.1, baseline: base };

export const SCENARIOS: Scenario[] = [
  { name: 'healthy', ...standard, canary: base, regression: false },
  { name: '+1 pp', ...standard, canary: plus(1), regression: true },
  { name: '+2 pp', ...standard, canary: plus(2), regression: true },
  { name: '+5 pp', ...standard, canary: plus(5), regression: true },
  { name: '+20 pp', ...standard, canary: plus(20), regression: true },
  { name: '2x latency', ...standard, canary: { errorRate: BASE_ERRORS, latency: slow }, regression: true },
  { name: 'low traffic healthy', rps: 10, canaryShare: 0.1, baseline: base, canary: base, regression: false },
  { name: 'low traffic +5 pp', rps: 10, canaryShare: 0.1, baseline: base, canary: plus(5), regression: true },
  { name: '50 rps/10% +5 pp', rps: 50, canaryShare: 0.1, baseline: base, canary: plus(5), regression: true },
  // Healthy but noisy apps: both versions in a band of the decision matrix; a rollback would not help.
  { name: 'noisy 2% healthy', ...standard, baseline: noisy, canary: noisy, regression: false },
  {
    name: 'noisy p95 800 ms healthy',
    ...standard,
    baseline: { errorRate: BASE_ERRORS, latency: sluggish },
    canary: { errorRate: BASE_ERRORS, latency: sluggish },
    regression: false,
  },
  {
    name: 'noisy 2% +3 pp at 50 rps/10%',
    rps: 50,
    canaryShare: 0.1,
    baseline: noisy,
    canary: { errorRate: NOISY_ERRORS + 0.03, latency: fast },
    regression: true,
  },
];

/** Scenario names the targets refer to. */
export const NOISY_REGRESSION = 'noisy 2% +3 pp at 50 rps/10%';
export const EARLY_PROMOTION_GUARD = '+2 pp';
