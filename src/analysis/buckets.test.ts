import { describe, expect, it } from 'vitest';
import { boundAtQuantile, countAbove, mergeBuckets, quantile } from './buckets.ts';

const h: Array<[number, number]> = [
  [10, 50],
  [20, 30],
  [50, 15],
  [100, 5],
  [Number.POSITIVE_INFINITY, 0],
];

describe('latency buckets', () => {
  it('merges same and different bounds', () => {
    expect(mergeBuckets(h, h)[0]).toEqual([10, 100]);
    expect(mergeBuckets([[10, 1]], [[20, 2]])).toEqual([
      [10, 1],
      [20, 2],
    ]);
  });

  it('interpolates quantiles and counts only requests certainly above a threshold', () => {
    expect(quantile(h, 0.5)).toBeCloseTo(10);
    expect(quantile(h, 0.95)).toBeCloseTo(50);
    expect(quantile([], 0.95)).toBe(0);
    expect(countAbove(h, 20)).toBe(20);
    expect(countAbove(h, 25)).toBe(5);
  });

  it('finds the bound with at most the given share above it', () => {
    expect(boundAtQuantile(h, 0.1)).toBe(50);
    expect(boundAtQuantile(h, 0.15)).toBe(50);
    expect(boundAtQuantile(h, 0.25)).toBe(20);
    expect(boundAtQuantile([], 0.1)).toBeNull();
  });
});
