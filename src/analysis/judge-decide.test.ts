import { describe, expect, it } from 'vitest';
import type { Counts, JudgeResult, Observation } from './judge.ts';
import { createJudgeState, judgeInterval } from './judge.ts';
import { model, TEST_SETTINGS as settings } from './judge-test-settings.ts';
import { seededRandom, simulateCounts } from './simulate.ts';

const counts = (requests: number, errors: number): Counts => ({
  requests,
  errors,
  p95: 40,
  latencyBuckets: [],
});
const look = (over: Partial<Observation>): Observation => ({
  canary: counts(0, 0),
  baseline: counts(0, 0),
  phase: 'bake',
  intervalMs: 5000,
  elapsedMs: 5000,
  bakeMs: 60_000,
  maxExtensionMs: 30_000,
  ...over,
});

/** Feeds the same canary/baseline interval every 5 s for `seconds`; returns every result. */
function steady(canary: Counts, baseline: Counts | null, seconds: number, over: Partial<Observation> = {}) {
  let state = createJudgeState(null);
  const results: JudgeResult[] = [];
  for (let t = 5; t <= seconds; t += 5) {
    const r = judgeInterval(state, look({ canary, baseline, elapsedMs: t * 1000, ...over }), settings);
    state = r.state;
    results.push(r);
    if (r.verdict.action === 'rollback' || r.verdict.action === 'promote') break;
  }
  return results;
}

describe('every verdict names the rule that decided it', () => {
  it('puts the deciding reason first in every verdict, whatever the action', () => {
    const seen = new Set<string>();
    const random = seededRandom(2);
    for (const rate of [0.005, 0.03, 0.2]) {
      let state = createJudgeState(null);
      for (let t = 5; t <= 120; t += 5) {
        const r = judgeInterval(
          state,
          look({
            canary: simulateCounts(random, model(rate), 10, 5),
            baseline: simulateCounts(random, model(0.005), 90, 5),
            elapsedMs: t * 1000,
          }),
          settings,
        );
        state = r.state;
        expect(r.verdict.reasons[0]).toBe(r.verdict.decision);
        expect(r.verdict.decision.rule).toMatch(/^[a-z-]+$/);
        expect(r.verdict.decision.message.length).toBeGreaterThan(10);
        seen.add(`${r.verdict.action}:${r.verdict.decision.rule}`);
        if (r.verdict.action === 'rollback' || r.verdict.action === 'promote') break;
      }
    }
    expect(seen).toContain('continue:baking');
    expect(seen).toContain('promote:bake-complete');
    expect(seen).toContain('rollback:error-rate-vs-baseline');
  });

  it('quotes the rollback rule, not the band still holding, when a relative test decides', () => {
    const random = seededRandom(4);
    let state = createJudgeState(null);
    let last: JudgeResult | null = null;
    for (let t = 5; t <= 300 && last?.verdict.action !== 'rollback'; t += 5) {
      last = judgeInterval(
        state,
        look({
          canary: simulateCounts(random, model(0.04), 10, 5),
          baseline: simulateCounts(random, model(0.005), 90, 5),
          elapsedMs: t * 1000,
          bakeMs: 600_000,
        }),
        settings,
      );
      state = last.state;
    }
    expect(last?.verdict.action).toBe('rollback');
    expect(last?.verdict.decision.rule).toBe('error-rate-vs-baseline');
    expect(last?.verdict.reasons.map((r) => r.rule)).toContain('error-rate');
    expect(last?.verdict.reasons[0].message).not.toMatch(/holding/);
  });

  it('holds then fails safe on too little data under the "inconclusive" rule', () => {
    const results = steady(counts(1, 0), counts(9, 0), 90);
    const after = results.filter((r) => r.verdict.action !== 'continue');
    expect(after[0].verdict).toMatchObject({ action: 'hold', decision: { rule: 'inconclusive' } });
    expect(results.at(-1)?.verdict).toMatchObject({ action: 'rollback', decision: { rule: 'inconclusive' } });
  });

  it('a band holds; at the end of the extension it rolls back only a canary worse than the baseline', () => {
    // 4% vs 2%: the high band, 2 pp worse than the baseline (margin 1 pp), too few errors for the relative test.
    const worse = steady(counts(100, 4), counts(100, 2), 200);
    expect(worse.some((r) => r.verdict.action === 'hold' && r.verdict.decision.rule === 'error-rate')).toBe(
      true,
    );
    const end = worse.at(-1)?.verdict;
    expect(end).toMatchObject({ action: 'rollback', decision: { rule: 'error-rate' } });
    expect(end?.decision.message).toMatch(/worse than the baseline's 2.00% beyond the margin/);
    expect(worse.at(-1)?.state.step.canary.requests).toBe(1800);
    // 3% vs 3%: as bad as the baseline, so a warning and a promote.
    const same = steady(counts(100, 3), counts(100, 3), 200).at(-1)?.verdict;
    expect(same).toMatchObject({
      action: 'promote',
      decision: { rule: 'bake-complete' },
      severity: 'medium',
    });
    expect(same?.warnings.map((w) => w.rule)).toContain('error-rate');
    expect(same?.warnings[0].message).toMatch(/a rollback would not help/);
  });

  it('names the band on a first release, the monitor rules in the monitor window', () => {
    const first = steady(counts(100, 4), null, 200).at(-1)?.verdict;
    expect(first).toMatchObject({ action: 'rollback', decision: { rule: 'error-rate' } });
    const monitor = steady(counts(100, 0), null, 120, {
      phase: 'monitor',
      bakeMs: 60_000,
      maxExtensionMs: 0,
    });
    expect(monitor[0].verdict.decision.rule).toBe('monitoring');
    expect(monitor.at(-1)?.verdict).toMatchObject({
      action: 'promote',
      decision: { rule: 'monitor-complete' },
    });
  });
});
