import type { JudgeSettings } from './judge.ts';
import { lognormalBucketProbs, type VersionModel } from './simulate.ts';

/** The default analysis settings, written out, for the judge's unit tests and simulations. */
export const TEST_SETTINGS: JudgeSettings = {
  analysis: {
    errorRate: { critical: 0.05, high: 0.02, medium: 0.01 },
    p95: { critical: 2000, high: 1000, medium: 500 },
    minSamples: 50,
    alpha: 0.01,
    minEffect: 0.01,
    latencyRatio: 1.5,
    compare: {
      enabled: true,
      paths: [],
      samples: 3,
      headers: [],
      ignore: [],
      onDifference: 'warn',
      steps: true,
    },
    volume: { enabled: true, band: 0.2, onChange: 'warn' },
    queryTime: { enabled: true, p95: 100, onSlow: 'warn' },
  },
  monitor: { interval: 60_000, sustained: 5 },
  onInconclusive: 'rollback',
};

const fast = lognormalBucketProbs(40, 0.5);

/** A version failing `errorRate` of its requests, median 40 ms. */
export const model = (errorRate: number, latency = fast): VersionModel => ({ errorRate, latency });
