import { describe, expect, it } from 'vitest';
import { createJudgeState, judgeInterval, type Observation } from './judge.ts';
import { model, TEST_SETTINGS as settings } from './judge-test-settings.ts';
import { nonInferiority } from './non-inferiority.ts';
import { seededRandom, simulateCounts } from './simulate.ts';
import { type RolloutSim, simulateRollout } from './simulate-rollout.ts';

const sim = (baseline: number, canary: number, over: Partial<RolloutSim> = {}): RolloutSim => ({
  rps: 100,
  routes: [{ route: '/', weight: 1, baseline: model(baseline), canary: model(canary) }],
  steps: [10, 50, 100],
  bakeS: 300,
  maxExtensionS: 600,
  minBakeS: 30,
  referenceS: 0,
  ...over,
});

describe('non-inferiority: promote as soon as the evidence allows', () => {
  it('ends every step of a healthy canary early, after the minimum bake, saying why', () => {
    const times: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const run = simulateRollout(seededRandom(seed), sim(0.005, 0.005), settings);
      expect(run.outcome).toBe('promoted');
      const early = run.verdicts.filter((v) => v.early);
      expect(early.length).toBeGreaterThanOrEqual(2);
      for (const v of early) {
        expect(v.action).toBe('promote');
        expect(v.decision.rule).toBe('non-inferior');
        expect(v.decision.message).toMatch(/proven no worse than the baseline/);
        expect(Number(v.decision.figures?.elapsedMs)).toBeGreaterThanOrEqual(30_000);
      }
      times.push(run.atS);
    }
    times.sort((a, b) => a - b);
    // Fixed bakes take 900 s; the median healthy release is well under half of that.
    expect(times[10]).toBeLessThan(450);
  });

  it('never ends a step early before the minimum bake, nor without one (fixed bakes)', () => {
    const fixed = simulateRollout(seededRandom(3), sim(0.005, 0.005, { minBakeS: undefined }), settings);
    expect(fixed.verdicts.some((v) => v.early)).toBe(false);
    expect(fixed.atS).toBeGreaterThanOrEqual(900);
    const long = simulateRollout(seededRandom(3), sim(0.005, 0.005, { minBakeS: 200 }), settings);
    for (const v of long.verdicts.filter((x) => x.early))
      expect(Number(v.decision.figures?.elapsedMs)).toBeGreaterThanOrEqual(200_000);
  });

  it('does not promote a +2 pp regression early (it is rolled back instead)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const run = simulateRollout(seededRandom(seed), sim(0.005, 0.025), settings);
      expect(
        run.verdicts.some((v) => v.early),
        `seed ${seed}`,
      ).toBe(false);
      expect(run.outcome).toBe('rolled_back');
    }
  });

  it('proves neither direction for a canary worse than the margin, even with plenty of data', () => {
    const random = seededRandom(5);
    let state = createJudgeState(null);
    for (let t = 5; t <= 1200; t += 5) {
      const obs: Observation = {
        canary: simulateCounts(random, model(0.02), 50, 5),
        baseline: simulateCounts(random, model(0.005), 50, 5),
        phase: 'bake',
        intervalMs: 5000,
        elapsedMs: t * 1000,
        bakeMs: Number.POSITIVE_INFINITY,
        maxExtensionMs: 0,
      };
      state = judgeInterval(state, obs, settings).state;
    }
    expect(nonInferiority(state, settings.analysis.alpha).errors).toBe(false);
    expect(nonInferiority(state, settings.analysis.alpha).latency).toBe(true);
  });
});
