import { describe, expect, it } from 'vitest';
import { MetricsStore } from './metrics-store.ts';

describe('MetricsStore', () => {
  it('aggregates per version over a window: counts, 5xx and exceptions as errors, percentiles', () => {
    const store = new MetricsStore();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 100; i++) {
      store.record({
        version: 'a',
        status: i < 5 ? 500 : 200,
        threw: i < 2,
        latencyMs: i + 1,
        at: t0 + i * 10,
      });
    }
    store.record({ version: 'b', status: 200, threw: false, latencyMs: 3, at: t0 });
    store.record({ version: 'a', status: 200, threw: false, latencyMs: 1, at: t0 + 5000 });
    const w = store.window('a', new Date(t0), new Date(t0 + 1000));
    expect(w.requests).toBe(100);
    expect(w.errors).toBe(5);
    expect(w.errorRate).toBeCloseTo(0.05);
    expect(w.p50).toBeGreaterThan(48);
    expect(w.p50).toBeLessThan(52);
    expect(w.p99).toBeGreaterThan(97);
    expect(w.latencyBuckets.reduce((n, [, c]) => n + c, 0)).toBe(100);
    const empty = store.window('c', new Date(t0), new Date(t0 + 1000));
    expect(empty).toMatchObject({ requests: 0, errors: 0, errorRate: 0, p50: 0, p99: 0 });
  });
});
