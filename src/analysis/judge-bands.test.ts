import { describe, expect, it } from 'vitest';
import { model, TEST_SETTINGS as settings } from './judge-test-settings.ts';
import { lognormalBucketProbs, seededRandom } from './simulate.ts';
import { type RolloutSim, simulateRollout } from './simulate-rollout.ts';

const one = (baseline: number, canary: number): RolloutSim['routes'] => [
  { route: '/', weight: 1, baseline: model(baseline), canary: model(canary) },
];
const sim = (over: Partial<RolloutSim>): RolloutSim => ({
  rps: 100,
  routes: one(0.005, 0.005),
  steps: [10, 50, 100],
  bakeS: 300,
  maxExtensionS: 600,
  minBakeS: 30,
  referenceS: 0,
  ...over,
});

describe('absolute bands roll back only when it helps', () => {
  it('warns, never rolls back, when baseline and canary both fail 2% of requests (high band)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const run = simulateRollout(seededRandom(seed), sim({ routes: one(0.02, 0.02) }), settings);
      expect(run.outcome, `seed ${seed}`).toBe('promoted');
      const warned = run.verdicts.flatMap((v) => v.warnings).map((w) => w.rule);
      expect(warned).toContain('error-rate');
      expect(run.verdicts.find((v) => v.warnings.length)?.severity).toBe('medium');
    }
  });

  it('warns when both versions have a p95 near 800 ms (medium band), and is not held to the extension', () => {
    const slow = lognormalBucketProbs(351, 0.5);
    const routes = [{ route: '/', weight: 1, baseline: model(0.005, slow), canary: model(0.005, slow) }];
    for (let seed = 1; seed <= 5; seed++) {
      const run = simulateRollout(seededRandom(seed), sim({ routes }), settings);
      expect(run.outcome).toBe('promoted');
      expect(run.verdicts.flatMap((v) => v.warnings).map((w) => w.rule)).toContain('latency-p95');
      expect(run.atS).toBeLessThan(3 * 300);
    }
  });

  it('still rolls back a canary worse than the 2% baseline (+3 pp), by the relative test', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const run = simulateRollout(seededRandom(seed), sim({ routes: one(0.02, 0.05) }), settings);
      expect(run.outcome).toBe('rolled_back');
      expect(run.verdicts.at(-1)?.decision.rule).toBe('error-rate-vs-baseline');
      expect(run.atS).toBeLessThanOrEqual(180);
    }
  });

  it('enforces the band on a first release (no baseline): 3% errors are rolled back by the band', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const run = simulateRollout(
        seededRandom(seed),
        sim({ routes: one(0.005, 0.03), firstRelease: true, rps: 20 }),
        settings,
      );
      expect(run.outcome).toBe('rolled_back');
      expect(run.verdicts.at(-1)?.decision.rule).toBe('error-rate');
      expect(run.verdicts.every((v) => v.warnings.length === 0)).toBe(true);
    }
  });
});
