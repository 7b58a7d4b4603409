import { describe, expect, it } from 'vitest';
import { exitFor } from './finish.ts';
import { decideVerdict } from './score.ts';

// `deploy --dry-run` exits with the code the real run would have: a plan only when nothing stopped it.
describe('decideVerdict for a dry run', () => {
  const base = { critical: false, thresholds: { pass: 80, warn: 60 }, dryRun: true };
  it.each([
    ['a gate that blocks', { phase: 'gate', kind: 'block' } as const, 'blocked', 3],
    ['a build that fails', { phase: 'release', kind: 'stop' } as const, 'failed', null],
    ['nothing', null, 'planned', 0],
  ])('ends like the real run after %s', (_, stop, outcome, exit) => {
    const verdict = decideVerdict({ ...base, stop, phases: { gate: stop ? 0 : 5, release: 5 } });
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.rollback).toBe(false);
    if (exit !== null) expect(exitFor(verdict.outcome)).toBe(exit);
    else expect(exitFor(verdict.outcome)).not.toBe(0);
  });
});
