import { describe, expect, it } from 'vitest';
import { parseVersion, satisfies } from './semver.ts';

describe('semver', () => {
  it('parses versions with a v prefix and pre-release tails', () => {
    expect(parseVersion('v24.22.3')).toEqual([24, 22, 3]);
    expect(parseVersion('5.20261117.0-beta')).toEqual([5, 20261117, 0]);
    expect(parseVersion('latest')).toBeNull();
  });
  it('checks ranges the way engines and peer ranges read', () => {
    expect(satisfies('4.164.0', '>=4.123.0 <5')).toBe(true);
    expect(satisfies('4.86.0', '>=4.123.0 <5')).toBe(false);
    expect(satisfies('5.0.0', '>=4.123.0 <5')).toBe(false);
    expect(satisfies('22.12.0', '>=22.12')).toBe(true);
    expect(satisfies('20.20.2', '>=22.12.0')).toBe(false);
  });
});
