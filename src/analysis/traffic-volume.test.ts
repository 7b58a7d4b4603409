import { describe, expect, it } from 'vitest';
import { rateReading, shareReading } from './traffic-volume.ts';

const band = 0.2;
const minSamples = 50;

describe('shareReading', () => {
  it('accepts a share near the step, noise included', () => {
    expect(shareReading({ canary: 58, baseline: 542, percent: 10, band, minSamples }).verdict).toBe('within');
    expect(shareReading({ canary: 48, baseline: 552, percent: 10, band, minSamples }).verdict).toBe('within');
  });

  it('finds a drop or a rise only once the bound is beyond the band', () => {
    expect(shareReading({ canary: 20, baseline: 980, percent: 10, band, minSamples }).verdict).toBe('below');
    expect(shareReading({ canary: 300, baseline: 700, percent: 10, band, minSamples }).verdict).toBe('above');
    // 4% of 60 requests: could still be 8% or more.
    expect(shareReading({ canary: 2, baseline: 58, percent: 10, band, minSamples }).verdict).toBe('within');
  });

  it('is inconclusive below minSamples', () => {
    const r = shareReading({ canary: 0, baseline: 40, percent: 50, band, minSamples });
    expect(r).toEqual({ verdict: 'inconclusive', observed: 0, expected: 0.5, requests: 40 });
  });
});

describe('rateReading', () => {
  it('compares rates, not counts: a longer span before counts for its length', () => {
    const same = rateReading({ now: 500, nowMs: 10_000, before: 3000, beforeMs: 60_000, band, minSamples });
    expect(same.verdict).toBe('within');
    expect(same.observed).toBeCloseTo(1);
  });

  it('finds half the traffic a drop and double a rise', () => {
    const half = rateReading({ now: 250, nowMs: 10_000, before: 500, beforeMs: 10_000, band, minSamples });
    expect(half.verdict).toBe('below');
    expect(half.observed).toBeCloseTo(0.5);
    expect(
      rateReading({ now: 1000, nowMs: 10_000, before: 500, beforeMs: 10_000, band, minSamples }).verdict,
    ).toBe('above');
  });

  it('does not call 15% fewer requests a drop, nor a small count beyond the band', () => {
    expect(
      rateReading({ now: 850, nowMs: 10_000, before: 1000, beforeMs: 10_000, band, minSamples }).verdict,
    ).toBe('within');
    expect(
      rateReading({ now: 35, nowMs: 10_000, before: 55, beforeMs: 10_000, band, minSamples }).verdict,
    ).toBe('within');
  });

  it('is inconclusive with too little traffic before the release', () => {
    const r = rateReading({ now: 400, nowMs: 10_000, before: 10, beforeMs: 10_000, band, minSamples });
    expect(r.verdict).toBe('inconclusive');
  });
});
