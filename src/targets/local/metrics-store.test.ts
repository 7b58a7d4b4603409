import { describe, expect, it } from 'vitest';
import { countAbove, quantile } from '../../analysis/buckets.ts';
import {
  boundIndex,
  LATENCY_BOUNDS,
  MetricsStore,
  ROUTES_PER_SECOND,
  ROUTES_PER_WINDOW,
} from './metrics-store.ts';

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

  it("counts users' distinct version keys over a window, never shipshape's own requests", () => {
    const store = new MetricsStore();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const at = (ms: number, key: string | null, synthetic = false) =>
      store.record({ version: 'a', status: 200, threw: false, latencyMs: 2, at: t0 + ms, key, synthetic });
    at(0, 'u1');
    at(10, 'u1');
    at(1500, 'u2');
    at(2500, 'u1');
    at(2600, null);
    at(2700, 'generated-7', true);
    const w = store.window('a', new Date(t0), new Date(t0 + 3000));
    expect(w).toMatchObject({ requests: 6, organic: 5, clients: 2 });
    expect(store.window('a', new Date(t0 + 2000), new Date(t0 + 3000)).clients).toBe(1);
  });

  it('has bounds at most ~1.5x apart up to 60 s, increasing, and finds the first bound >= a latency', () => {
    for (let i = 1; i < LATENCY_BOUNDS.length - 1; i++) {
      expect(LATENCY_BOUNDS[i]).toBeGreaterThan(LATENCY_BOUNDS[i - 1]);
      if (LATENCY_BOUNDS[i - 1] >= 4)
        expect(LATENCY_BOUNDS[i] / LATENCY_BOUNDS[i - 1]).toBeLessThanOrEqual(1.34);
    }
    for (const ms of [0, 0.4, 1, 1.01, 7.9, 8, 8.1, 999, 59_999, 60_000, 60_001, 1e12]) {
      const expected = LATENCY_BOUNDS.findIndex((b) => ms <= b);
      expect(boundIndex(ms)).toBe(expected === -1 ? LATENCY_BOUNDS.length - 1 : expected);
    }
  });

  it('returns every bucket, empty ones included, so the judge reads lower bounds right', () => {
    const store = new MetricsStore();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 10; i++)
      store.record({ version: 'a', status: 200, threw: false, latencyMs: 11, at: t0 + i });
    store.record({ version: 'a', status: 200, threw: false, latencyMs: 70, at: t0 + 1500 });
    const w = store.window('a', new Date(t0), new Date(t0 + 2000));
    expect(w.latencyBuckets.map(([b]) => b)).toEqual([...LATENCY_BOUNDS]);
    expect(w.latencyBuckets.find(([b]) => b === 12)?.[1]).toBe(10);
    expect(w.latencyBuckets.find(([b]) => b === 80)?.[1]).toBe(1);
    expect(countAbove(w.latencyBuckets, 60)).toBe(1);
    expect(countAbove(w.latencyBuckets, 12)).toBe(1);
    expect(quantile(w.latencyBuckets, 0.5)).toBeGreaterThan(10);
    expect(quantile(w.latencyBuckets, 0.5)).toBeLessThanOrEqual(12);
    const none = store.window('zzz', new Date(t0), new Date(t0 + 2000));
    expect(none.latencyBuckets.every(([, n]) => n === 0)).toBe(true);
  });
});

describe('MetricsStore routes', () => {
  it('breaks a window down by route pattern, busiest first, ids grouped', () => {
    const store = new MetricsStore();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 90; i++)
      store.record({ version: 'a', path: '/health', status: 200, threw: false, latencyMs: 2, at: t0 + i });
    for (let i = 0; i < 10; i++)
      store.record({
        version: 'a',
        path: `/api/items/${i}?full=1`,
        status: i < 2 ? 500 : 200,
        threw: false,
        latencyMs: 30,
        at: t0 + 1000 + i,
      });
    const w = store.window('a', new Date(t0), new Date(t0 + 2000));
    expect(w.routes?.map((r) => [r.route, r.requests, r.errors])).toEqual([
      ['/health', 90, 0],
      ['/api/items/:id', 10, 2],
    ]);
    const api = w.routes?.[1];
    expect(api?.latencyBuckets.map(([b]) => b)).toEqual([...LATENCY_BOUNDS]);
    expect(api?.latencyBuckets.find(([b]) => b === 30)?.[1]).toBe(10);
    expect(w.requests).toBe(100);
  });

  it(`keeps at most ${ROUTES_PER_SECOND} patterns a second and reports at most ${ROUTES_PER_WINDOW}`, () => {
    const store = new MetricsStore();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 50; i++)
      store.record({
        version: 'a',
        path: `/page-${String.fromCharCode(97 + (i % 26))}${i}x`,
        status: 200,
        threw: false,
        latencyMs: 1,
        at: t0,
      });
    const w = store.window('a', new Date(t0), new Date(t0 + 1000));
    expect(w.routes?.length).toBe(ROUTES_PER_WINDOW);
    expect(w.routes?.some((r) => r.route === '(other)')).toBe(false);
    expect(w.requests).toBe(50);
    const plain = new MetricsStore();
    plain.record({ version: 'a', status: 200, threw: false, latencyMs: 1, at: t0 });
    expect(plain.window('a', new Date(t0), new Date(t0 + 1000)).routes).toEqual([]);
  });
});
