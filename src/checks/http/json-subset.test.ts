import { describe, expect, it } from 'vitest';
import { firstDifference } from './json-subset.ts';

describe('firstDifference', () => {
  it('accepts a deep partial match', () => {
    expect(firstDifference({ status: 'healthy' }, { status: 'healthy', database: 'ok' })).toBeNull();
    expect(
      firstDifference({ a: { b: [1, { c: true }] } }, { a: { b: [1, { c: true, d: 2 }, 3] }, e: 0 }),
    ).toBeNull();
    expect(firstDifference({}, { anything: 1 })).toBeNull();
  });

  it('reports the first differing path with both values', () => {
    expect(firstDifference({ status: 'healthy' }, { status: 'unhealthy' })).toEqual({
      path: '$.status',
      expected: 'healthy',
      actual: 'unhealthy',
    });
    expect(firstDifference({ checks: [{ ok: true }] }, { checks: [{ ok: false }] })?.path).toBe(
      '$.checks[0].ok',
    );
    expect(firstDifference({ 'x-y': 1 }, {})).toEqual({ path: '$["x-y"]', expected: 1, actual: undefined });
    expect(firstDifference({ a: { b: 1 } }, { a: 'text' })?.path).toBe('$.a');
    expect(firstDifference([1, 2], [1])?.path).toBe('$[1]');
    expect(firstDifference({ n: null }, { n: 0 })?.path).toBe('$.n');
    expect(firstDifference({ a: 1 }, null)?.path).toBe('$');
  });
});
