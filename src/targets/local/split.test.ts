import { describe, expect, it } from 'vitest';
import { parseOverrides, pickVersion, type RoutingTable, splitProblem } from './split.ts';

const table: RoutingTable = {
  worker: 'hello-d1',
  entries: [
    { version: 'new', percent: 10 },
    { version: 'old', percent: 90 },
  ],
};

describe('pickVersion', () => {
  it('pins a version in the deployment, 0% included, and ignores unknown or malformed overrides', () => {
    const zero: RoutingTable = {
      worker: 'hello-d1',
      entries: [
        { version: 'new', percent: 0 },
        { version: 'old', percent: 100 },
      ],
    };
    expect(pickVersion(zero, { overrides: 'hello-d1="new"' }, () => 0.99)).toBe('new');
    expect(pickVersion(zero, { overrides: 'hello-d1="gone"' }, () => 0.99)).toBe('old');
    expect(pickVersion(zero, { overrides: 'hello-d1=new' }, () => 0.99)).toBe('old');
    expect(pickVersion(zero, { overrides: 'other="new"' }, () => 0.99)).toBe('old');
  });

  it('keeps keys on the new version as its share grows', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
    const onNewAt10 = keys.filter((key) => pickVersion(table, { key }) === 'new');
    const grown: RoutingTable = {
      worker: 'hello-d1',
      entries: [
        { version: 'new', percent: 50 },
        { version: 'old', percent: 50 },
      ],
    };
    expect(onNewAt10.every((key) => pickVersion(grown, { key }) === 'new')).toBe(true);
    expect(onNewAt10.length / keys.length).toBeGreaterThan(0.07);
    expect(onNewAt10.length / keys.length).toBeLessThan(0.13);
  });

  it('splits random draws by weight', () => {
    expect(pickVersion(table, {}, () => 0.05)).toBe('new');
    expect(pickVersion(table, {}, () => 0.1)).toBe('old');
    expect(pickVersion({ worker: 'w', entries: [] }, {})).toBeNull();
  });
});

describe('parseOverrides', () => {
  it('reads an RFC 8941 dictionary of strings', () => {
    expect(parseOverrides('a="1", b="2";x=1')).toEqual(
      new Map([
        ['a', '1'],
        ['b', '2'],
      ]),
    );
    expect(parseOverrides('A="1"')).toBeNull();
    expect(parseOverrides('a="1",')).toBeNull();
  });
});

describe('splitProblem', () => {
  const known = (id: string) => id === 'a' || id === 'b' || id === 'c';
  it('accepts valid splits and names the problem of invalid ones', () => {
    expect(splitProblem([{ version: 'a', percent: 100 }], known)).toBeNull();
    expect(
      splitProblem(
        [
          { version: 'a', percent: 10 },
          { version: 'b', percent: 90 },
        ],
        known,
      ),
    ).toBeNull();
    expect(
      splitProblem(
        [
          { version: 'a', percent: 10 },
          { version: 'b', percent: 80 },
        ],
        known,
      ),
    ).toMatch(/sum to 100/);
    expect(
      splitProblem(
        [
          { version: 'a', percent: 10.5 },
          { version: 'b', percent: 89.5 },
        ],
        known,
      ),
    ).toMatch(/integer/);
    expect(splitProblem([{ version: 'x', percent: 100 }], known)).toMatch(/unknown version x/);
    expect(splitProblem([], known)).toMatch(/one or two/);
    const three = [
      { version: 'a', percent: 50 },
      { version: 'b', percent: 25 },
      { version: 'c', percent: 25 },
    ];
    expect(splitProblem(three, known)).toMatch(/one or two/);
    expect(splitProblem('a@100', known)).toMatch(/array/);
  });
});
