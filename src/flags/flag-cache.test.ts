import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlagCache } from './flag-cache.ts';

function fakeKv(initial: Record<string, unknown>) {
  let doc = JSON.stringify(initial);
  return {
    set: (next: Record<string, unknown>) => {
      doc = JSON.stringify(next);
    },
    env: { FLAGS: { get: async () => doc, put: async () => {} } },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('FlagCache', () => {
  it('serves a stale copy while refreshing, but never one with the kill switch on', async () => {
    vi.useFakeTimers({ now: 0 });
    const kv = fakeKv({ GREETING: 'hi' });
    const cache = new FlagCache('FLAGS', 'feature_flags', 1000, () => {});
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => pending.push(p) };
    expect(await cache.current(kv.env, ctx)).toEqual({ GREETING: 'hi' });
    kv.set({ GREETING: 'hello' });
    vi.setSystemTime(1500);
    // Between one and two TTLs: the stale copy answers, the refresh runs behind it.
    expect(await cache.current(kv.env, ctx)).toEqual({ GREETING: 'hi' });
    expect(cache.stats.staleServed).toBe(1);
    await Promise.all(pending);

    kv.set({ EMERGENCY_STOP: true });
    vi.setSystemTime(4000);
    expect(await cache.current(kv.env, ctx)).toEqual({ EMERGENCY_STOP: true });
    // emergency resume, then the first request after the TTL: it must see the resume, not a stale 503.
    kv.set({});
    vi.setSystemTime(5500);
    expect(await cache.current(kv.env, ctx)).toEqual({});
    expect(cache.stats.staleServed).toBe(1);
  });
});
