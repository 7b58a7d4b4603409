import { describe, expect, it } from 'vitest';
import { PHASE_NAMES } from '../events/phases.ts';
import { PHASES } from './phases/index.ts';
import { bestReachable, decideVerdict, scoreBand, totalScore } from './score.ts';

const thresholds = { pass: 80, warn: 60 };
const all5 = { gate: 5, release: 5, verify: 5, e2e: 5, rollout: 5 };

describe('score', () => {
  it("counts the pipeline's phases, which run in the one phase order", () => {
    expect(PHASES.map((p) => p.name)).toEqual([...PHASE_NAMES]);
  });

  it('is the sum of phase scores times four', () => {
    expect(totalScore(all5)).toBe(100);
    expect(totalScore({ gate: 5, release: 5, verify: 5, e2e: 4, rollout: 5 })).toBe(96);
    expect(totalScore({ gate: 5, release: 2 })).toBe(28);
  });

  it('bands at 80 and 60', () => {
    expect(scoreBand(80, thresholds)).toBe('pass');
    expect(scoreBand(79, thresholds)).toBe('warn');
    expect(scoreBand(60, thresholds)).toBe('warn');
    expect(scoreBand(59, thresholds)).toBe('fail');
  });

  it('knows the best score still reachable', () => {
    expect(bestReachable({ gate: 5, release: 5, verify: 0 }, ['gate', 'release', 'verify'])).toBe(80);
    expect(bestReachable({ gate: 5, release: 0 }, ['gate', 'release'])).toBe(80);
  });
});

describe('decideVerdict', () => {
  const base = { stop: null, critical: false, thresholds, dryRun: false };
  it('promotes a passing release', () => {
    expect(decideVerdict({ ...base, phases: all5 })).toEqual({
      score: 100,
      band: 'pass',
      outcome: 'promoted',
      rollback: false,
    });
  });
  it('promotes a warning release, flagged', () => {
    const v = decideVerdict({ ...base, phases: { gate: 5, release: 4, verify: 3, e2e: 2, rollout: 3 } });
    expect(v).toMatchObject({ score: 68, band: 'warn', outcome: 'promoted', rollback: false });
  });
  it('rolls back below 60', () => {
    expect(
      decideVerdict({ ...base, phases: { gate: 5, release: 5, verify: 2, e2e: 1, rollout: 1 } }),
    ).toMatchObject({
      outcome: 'rolled_back',
      rollback: true,
      band: 'fail',
    });
  });
  it('rolls back on a critical finding whatever the score', () => {
    expect(decideVerdict({ ...base, critical: true, phases: all5 })).toMatchObject({
      outcome: 'rolled_back',
      band: 'fail',
    });
  });
  it('a gate failure blocks without rollback', () => {
    expect(
      decideVerdict({ ...base, stop: { phase: 'gate', kind: 'block' }, phases: { gate: 0 } }),
    ).toMatchObject({
      outcome: 'blocked',
      rollback: false,
    });
  });
  it('a failed upload stops without rollback (nothing serves differently)', () => {
    expect(
      decideVerdict({ ...base, stop: { phase: 'release', kind: 'stop' }, phases: { gate: 5, release: 0 } }),
    ).toMatchObject({
      outcome: 'failed',
      rollback: false,
    });
  });
  it('an abort rolls back', () => {
    expect(
      decideVerdict({ ...base, stop: { phase: 'rollout', kind: 'aborted' }, phases: all5 }),
    ).toMatchObject({
      outcome: 'aborted',
      rollback: true,
    });
  });
  it('only a promoted release is in the pass or warn band', () => {
    const high = { gate: 5, release: 5, verify: 5, e2e: 5, rollout: 4 };
    expect(decideVerdict({ ...base, critical: true, phases: high }).band).toBe('fail');
    expect(decideVerdict({ ...base, stop: { phase: 'rollout', kind: 'aborted' }, phases: high }).band).toBe(
      'fail',
    );
    const warnScore = { gate: 5, release: 5, verify: 3, e2e: 3, rollout: 3 };
    expect(
      decideVerdict({ ...base, stop: { phase: 'e2e', kind: 'rollback' }, phases: warnScore }),
    ).toMatchObject({ outcome: 'rolled_back', band: 'fail' });
  });
  it('a promoted release with warnings is flagged whatever its score', () => {
    expect(decideVerdict({ ...base, phases: all5, warnings: 1 })).toMatchObject({
      score: 100,
      band: 'warn',
      outcome: 'promoted',
    });
  });
  it('a dry run is only a plan', () => {
    expect(decideVerdict({ ...base, dryRun: true, phases: { gate: 5, release: 5 } }).outcome).toBe('planned');
  });
});
