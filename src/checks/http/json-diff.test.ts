import { describe, expect, it } from 'vitest';
import { jsonDiff, pathMask } from './json-diff.ts';

describe('jsonDiff', () => {
  it('finds every difference in nested objects, with both values', () => {
    const baseline = { user: { name: 'ada', plan: { tier: 'pro', seats: 3 } }, ok: true };
    const canary = { user: { name: 'ada', plan: { tier: 'free', seats: 3 }, extra: 1 }, ok: true };
    expect(jsonDiff(baseline, canary)).toEqual([
      { path: '$.user.plan.tier', baseline: 'pro', canary: 'free' },
      { path: '$.user.extra', baseline: undefined, canary: 1 },
    ]);
  });

  it('compares arrays item by item, a missing item included', () => {
    expect(jsonDiff({ items: [1, { id: 'a' }] }, { items: [1, { id: 'b' }, 3] })).toEqual([
      { path: '$.items[1].id', baseline: 'a', canary: 'b' },
      { path: '$.items[2]', baseline: undefined, canary: 3 },
    ]);
  });

  it('reports a change of type once, at its path; quotes keys that are not identifiers', () => {
    expect(jsonDiff({ a: [1, 2] }, { a: { 0: 1 } })).toEqual([
      { path: '$.a', baseline: [1, 2], canary: { 0: 1 } },
    ]);
    expect(jsonDiff({ 'x-y': 1 }, { 'x-y': 2 })).toEqual([{ path: '$["x-y"]', baseline: 1, canary: 2 }]);
    expect(jsonDiff(null, null)).toEqual([]);
    expect(jsonDiff(1, '1')).toEqual([{ path: '$', baseline: 1, canary: '1' }]);
  });
});

describe('pathMask', () => {
  it('covers a path, its subtree, and [*] / .* wildcards, nothing else', () => {
    const mask = pathMask(['$.timestamp', '$.items[*].id', '$.meta.*.at']);
    expect(mask.covers('$.timestamp')).toBe(true);
    expect(mask.covers('$.timestamp.seconds')).toBe(true);
    expect(mask.covers('$.timestamps')).toBe(false);
    expect(mask.covers('$.items[12].id')).toBe(true);
    expect(mask.covers('$.items[0].id.hex')).toBe(true);
    expect(mask.covers('$.items[0].name')).toBe(false);
    expect(mask.covers('$.meta.cache.at')).toBe(true);
    expect(mask.covers('$.meta.cache.by')).toBe(false);
    expect(pathMask(['$.a[*]']).covers('$.a["odd key"]')).toBe(true);
  });
});
