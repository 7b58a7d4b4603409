import { describe, expect, it } from 'vitest';
import type { Outcome } from '../events/types.ts';
import { releaseStatus } from './release-status.ts';

const bands = { pass: 80, warn: 60 };
/** One score per band: pass, warn, fail. */
const SCORES = { pass: 96, warn: 72, fail: 40 } as const;

describe('releaseStatus: the outcome decides the status', () => {
  // Every outcome × score band, without and with warnings.
  const expected: Record<Exclude<Outcome, 'planned'>, Record<keyof typeof SCORES, string>> = {
    promoted: { pass: 'PASS', warn: 'WARNING', fail: 'FAILED' },
    rolled_back: { pass: 'FAILED', warn: 'FAILED', fail: 'FAILED' },
    aborted: { pass: 'FAILED', warn: 'FAILED', fail: 'FAILED' },
    failed: { pass: 'FAILED', warn: 'FAILED', fail: 'FAILED' },
    blocked: { pass: 'FAILED', warn: 'FAILED', fail: 'FAILED' },
  };
  for (const [outcome, byBand] of Object.entries(expected)) {
    for (const [band, label] of Object.entries(byBand)) {
      const score = SCORES[band as keyof typeof SCORES];
      it(`${outcome} with ${score}/100 is ${label}`, () => {
        const status = releaseStatus({ outcome: outcome as Outcome, score }, bands);
        expect(status.label).toBe(label);
        expect(status.band).toBe(label);
        if (outcome !== 'promoted') expect(status.why).toMatch(/^release /);
      });
    }
  }

  it('never shows a rolled-back release in the PASS band, however high its score', () => {
    for (const outcome of ['rolled_back', 'aborted', 'failed', 'blocked'] as const)
      expect(releaseStatus({ outcome, score: 100 }, bands).band).not.toBe('PASS');
  });

  it('a promoted release with warnings is a WARNING even at 100', () => {
    const status = releaseStatus({ outcome: 'promoted', score: 100, warnings: 2 }, bands);
    expect(status).toMatchObject({ band: 'WARNING', label: 'WARNING' });
    expect(status.why).toMatch(/2 warnings/);
    expect(releaseStatus({ outcome: 'rolled_back', score: 100, warnings: 1 }, bands).band).toBe('FAILED');
  });

  it('dry runs and manual rollbacks earn no score', () => {
    expect(releaseStatus({ outcome: 'planned', score: 60 }, bands)).toMatchObject({
      band: null,
      label: 'PLANNED',
    });
    expect(releaseStatus({ outcome: 'rolled_back', score: 0, scored: false }, bands)).toMatchObject({
      band: null,
      label: 'ROLLED BACK',
    });
    expect(releaseStatus({ outcome: 'running', score: null }, bands).band).toBeNull();
  });

  it('uses the configured bands at their edges', () => {
    const strict = { pass: 90, warn: 70 };
    expect(releaseStatus({ outcome: 'promoted', score: 90 }, strict).band).toBe('PASS');
    expect(releaseStatus({ outcome: 'promoted', score: 89 }, strict).band).toBe('WARNING');
    expect(releaseStatus({ outcome: 'promoted', score: 70 }, strict).band).toBe('WARNING');
    expect(releaseStatus({ outcome: 'promoted', score: 69 }, strict).band).toBe('FAILED');
  });
});
