import { describe, expect, it } from 'vitest';
import {
  eValue,
  initialState,
  ODDS_RATIOS,
  RATE_RATIOS,
  updateOneSample,
  updateTwoSample,
} from './e-process.ts';

describe('e-processes', () => {
  it('start at 1 and ignore intervals without information', () => {
    const s = initialState(RATE_RATIOS);
    expect(eValue(s)).toBeCloseTo(1);
    expect(
      updateTwoSample(s, { canaryRequests: 0, baselineRequests: 90, canaryEvents: 0, baselineEvents: 2 }),
    ).toBe(s);
  });

  it('two-sample: errors split like the traffic keep the e-value low; errors piling on the canary raise it', () => {
    let even = initialState(RATE_RATIOS);
    let skewed = initialState(RATE_RATIOS);
    for (let i = 0; i < 20; i++) {
      even = updateTwoSample(even, {
        canaryRequests: 10,
        baselineRequests: 90,
        canaryEvents: i % 10 === 0 ? 1 : 0,
        baselineEvents: 1,
      });
      skewed = updateTwoSample(skewed, {
        canaryRequests: 10,
        baselineRequests: 90,
        canaryEvents: 1,
        baselineEvents: 0,
      });
    }
    expect(eValue(even)).toBeLessThan(1);
    expect(eValue(skewed)).toBeGreaterThan(1e6);
  });

  it('one-sample: the exact mixture value for one success at p0', () => {
    const s = updateOneSample(initialState(ODDS_RATIOS), { requests: 1, events: 1, p0: 0.5 });
    const expected = ODDS_RATIOS.reduce((sum, r) => sum + r / (1 + r) / 0.5, 0) / ODDS_RATIOS.length;
    expect(eValue(s)).toBeCloseTo(expected, 10);
  });

  it('has expectation 1 under the null (exact enumeration over one Bernoulli step)', () => {
    const p0 = 0.03;
    const hit = eValue(updateOneSample(initialState(ODDS_RATIOS), { requests: 1, events: 1, p0 }));
    const miss = eValue(updateOneSample(initialState(ODDS_RATIOS), { requests: 1, events: 0, p0 }));
    expect(p0 * hit + (1 - p0) * miss).toBeCloseTo(1, 10);
  });
});
