import { describe, expect, it } from 'vitest';
import { inRollout, rolloutBucket } from './bucket.ts';

describe('rolloutBucket', () => {
  // Unleash's cross-client vectors: normalizedStrategyValue('123', 'gr1') = 73, ('999', 'groupX') = 25.
  it('equals the value every Unleash client computes', () => {
    expect(rolloutBucket('gr1', '123')).toBe(73);
    expect(rolloutBucket('groupX', '999')).toBe(25);
  });

  it('stays within 1..100', () => {
    for (let i = 0; i < 10_000; i++) {
      const bucket = rolloutBucket('FLAG', `u${i}`);
      expect(bucket >= 1 && bucket <= 100).toBe(true);
    }
  });
});

describe('inRollout', () => {
  it('spreads 10% of 100,000 units into a 10% rollout (± 1 point)', () => {
    let inside = 0;
    for (let i = 0; i < 100_000; i++) if (inRollout('NEW_GREETING_ROLLOUT', `user-${i}`, 10)) inside++;
    expect(inside / 100_000).toBeGreaterThanOrEqual(0.09);
    expect(inside / 100_000).toBeLessThanOrEqual(0.11);
  });

  it('is sticky: same answer on every call, and raising the percentage only adds units', () => {
    const units = Array.from({ length: 5_000 }, (_, i) => `unit-${i}`);
    const at = (percent: number) => new Set(units.filter((u) => inRollout('CHECKOUT_V2', u, percent)));
    const ten = at(10);
    expect(at(10)).toEqual(ten);
    const fifty = at(50);
    for (const unit of ten) expect(fifty.has(unit)).toBe(true);
    expect(fifty.size).toBeGreaterThan(ten.size);
    expect(at(100).size).toBe(units.length);
    expect(at(0).size).toBe(0);
  });

  it('buckets per flag, so two flags at 10% do not pick the same units', () => {
    const units = Array.from({ length: 5_000 }, (_, i) => `unit-${i}`);
    const a = units.filter((u) => inRollout('FLAG_A', u, 10));
    const b = new Set(units.filter((u) => inRollout('FLAG_B', u, 10)));
    const both = a.filter((u) => b.has(u)).length;
    expect(both).toBeLessThan(a.length / 2);
  });

  it('keeps units without an id out unless the rollout is 100%', () => {
    expect(inRollout('FLAG', '', 99)).toBe(false);
    expect(inRollout('FLAG', null, 100)).toBe(true);
  });
});
