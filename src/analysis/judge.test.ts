import { describe, expect, it } from 'vitest';
import type { Counts } from './judge.ts';
import { createJudgeState, type JudgeSettings, judgeInterval, type Observation, startStep } from './judge.ts';
import { TEST_SETTINGS } from './judge-test-settings.ts';
import { lognormalBucketProbs, seededRandom, simulateCounts, type VersionModel } from './simulate.ts';

const settings: JudgeSettings = TEST_SETTINGS;
const fast = lognormalBucketProbs(40, 0.5);
const healthy: VersionModel = { errorRate: 0.005, latency: fast };

/** Runs the judge on a simulated stream (5 s looks) until it rolls back or promotes; returns what it did. */
function run(
  seed: number,
  canary: VersionModel,
  opts: { rps?: number; share?: number; bakeS?: number } = {},
) {
  const { rps = 100, share = 0.1, bakeS = 900 } = opts;
  const random = seededRandom(seed);
  let state = createJudgeState(null);
  for (let t = 5; t <= bakeS + 600; t += 5) {
    const obs: Observation = {
      canary: simulateCounts(random, canary, rps * share, 5),
      baseline: simulateCounts(random, healthy, rps * (1 - share), 5),
      phase: 'bake',
      intervalMs: 5000,
      elapsedMs: t * 1000,
      bakeMs: bakeS * 1000,
      maxExtensionMs: 600_000,
    };
    const result = judgeInterval(state, obs, settings);
    state = result.state;
    if (result.verdict.action === 'rollback' || result.verdict.action === 'promote')
      return { t, ...result.verdict };
  }
  throw new Error('the judge neither promoted nor rolled back');
}

const empty: Counts = { requests: 0, errors: 0, p95: 0, latencyBuckets: [] };
const look = (over: Partial<Observation>): Observation => ({
  canary: empty,
  baseline: empty,
  phase: 'bake',
  intervalMs: 5000,
  elapsedMs: 5000,
  bakeMs: 60_000,
  maxExtensionMs: 30_000,
  ...over,
});

describe('judgeInterval', () => {
  it('keeps false rollbacks of a healthy canary within the alpha budget over many seeded runs', () => {
    const runs = 400;
    let rollbacks = 0;
    for (let seed = 1; seed <= runs; seed++)
      if (run(seed, healthy, { bakeS: 600 }).action === 'rollback') rollbacks++;
    // alpha = 1%; allow for sampling noise at 400 runs (3 sd above 1% is ~2.5%).
    expect(rollbacks / runs).toBeLessThanOrEqual(0.025);
    expect(run(1, healthy).action).toBe('promote');
  });

  it('rolls back a clear error regression within a minute, citing the baseline comparison', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const verdict = run(seed, { errorRate: 0.055, latency: fast });
      expect(verdict.action).toBe('rollback');
      expect(verdict.t).toBeLessThanOrEqual(60);
      expect(verdict.reasons.map((r) => r.rule)).toContain('error-rate-vs-baseline');
    }
  });

  it('catches a latency-only regression (2x slower, same error rate)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const verdict = run(seed, { errorRate: 0.005, latency: lognormalBucketProbs(80, 0.5) });
      expect(verdict.action).toBe('rollback');
      expect(verdict.reasons.map((r) => r.rule)).toContain('latency-vs-baseline');
    }
  });

  it('rolls back a first release (no baseline) on a proven critical error rate alone', () => {
    const random = seededRandom(7);
    let state = createJudgeState(null);
    let action = 'continue';
    for (let t = 5; t <= 300 && action !== 'rollback'; t += 5) {
      const canary = simulateCounts(random, { errorRate: 0.2, latency: fast }, 10, 5);
      const r = judgeInterval(
        state,
        look({ canary, baseline: null, elapsedMs: t * 1000, bakeMs: 300_000 }),
        settings,
      );
      state = r.state;
      action = r.verdict.action;
      if (action === 'rollback') expect(r.verdict.severity).toBe('critical');
    }
    expect(action).toBe('rollback');
  });

  it('never passes without data: holds as inconclusive, then fails safe', () => {
    let state = createJudgeState(null);
    const during = judgeInterval(state, look({ elapsedMs: 5000 }), settings);
    expect(during.verdict.action).toBe('continue');
    expect(during.verdict.severity).toBe('none');
    state = during.state;
    const afterBake = judgeInterval(state, look({ elapsedMs: 60_000 }), settings);
    expect(afterBake.verdict).toMatchObject({ action: 'hold', severity: 'inconclusive' });
    const afterExtension = judgeInterval(afterBake.state, look({ elapsedMs: 90_000 }), settings);
    expect(afterExtension.verdict).toMatchObject({ action: 'rollback', severity: 'inconclusive' });
    const paused = judgeInterval(afterBake.state, look({ elapsedMs: 90_000 }), {
      ...settings,
      onInconclusive: 'pause',
    });
    expect(paused.verdict.action).toBe('hold');
    expect(paused.pause).toBe(true);
  });

  it('does not let one early error roll back a tiny sample; startStep keeps the evidence', () => {
    const one: Counts = { requests: 3, errors: 1, p95: 20, latencyBuckets: [] };
    const r = judgeInterval(createJudgeState(null), look({ canary: one, baseline: null }), settings);
    expect(r.verdict.action).toBe('hold');
    expect(r.verdict.severity).toBe('low');
    const next = startStep(r.state);
    expect(next.step.canary.requests).toBe(0);
    expect(next.evidence).toEqual(r.state.evidence);
  });

  it('after 100%: compares the canary with the baseline pre-release window and rolls back a regression', () => {
    const random = seededRandom(11);
    const reference = simulateCounts(random, healthy, 90, 300);
    const monitorLook = (canary: Counts, t: number) =>
      look({ canary, baseline: null, phase: 'monitor', elapsedMs: t * 1000, bakeMs: 600_000 });
    let bad = createJudgeState(reference);
    let good = createJudgeState(reference);
    let badAction = 'continue';
    for (let t = 5; t <= 300 && badAction !== 'rollback'; t += 5) {
      const r = judgeInterval(
        bad,
        monitorLook(simulateCounts(random, { errorRate: 0.03, latency: fast }, 20, 5), t),
        settings,
      );
      bad = r.state;
      badAction = r.verdict.action;
      if (badAction === 'rollback')
        expect(r.verdict.reasons.map((x) => x.rule)).toContain('error-rate-vs-pre-release');
      const g = judgeInterval(good, monitorLook(simulateCounts(random, healthy, 20, 5), t), settings);
      good = g.state;
      expect(g.verdict.action).not.toBe('rollback');
    }
    expect(badAction).toBe('rollback');
  });

  it('after 100%: counts high monitor intervals in a row and cites the sustained rule at the Nth', () => {
    let state = createJudgeState(null);
    const high: Counts = { requests: 1000, errors: 30, p95: 50, latencyBuckets: [] };
    const rules: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const r = judgeInterval(
        state,
        look({
          canary: high,
          baseline: null,
          phase: 'monitor',
          intervalMs: 60_000,
          elapsedMs: i * 60_000,
          bakeMs: 900_000,
        }),
        settings,
      );
      state = r.state;
      rules.push(...r.verdict.reasons.filter((x) => x.rule === 'sustained-threshold').map(() => `${i}`));
    }
    expect(state.monitor.badIntervals).toBeGreaterThanOrEqual(5);
    expect(rules[0]).toBe('5');
  });
});
