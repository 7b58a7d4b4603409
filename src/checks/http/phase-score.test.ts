import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../check.ts';
import { e2ePhaseScore, healthPhaseScore } from './phase-score.ts';

const r = (status: CheckResult['status'], critical = false): CheckResult => ({
  name: `${status}${critical ? '!' : ''}`,
  status,
  score: 0,
  message: '',
  evidence: {},
  critical,
});

describe('healthPhaseScore', () => {
  it('is 5 when all pass, lower per failed non-critical check, 0 on a critical failure', () => {
    expect(healthPhaseScore([r('pass', true), r('pass'), r('pass')])).toBe(5);
    expect(healthPhaseScore([r('pass', true), r('fail'), r('pass')])).toBe(4);
    expect(healthPhaseScore([r('pass', true), r('fail'), r('fail'), r('pass')])).toBe(3);
    expect(healthPhaseScore([r('fail', true), r('pass'), r('pass')])).toBe(0);
  });

  it('takes one point for a check that needed retries', () => {
    expect(healthPhaseScore([r('pass', true), r('warn')])).toBe(4);
    expect(healthPhaseScore([r('warn', true), r('warn'), r('fail')])).toBe(3);
  });

  it('never reaches 0 while something passed, and is 0 when nothing was checked or everything failed', () => {
    expect(healthPhaseScore([r('pass'), ...Array.from({ length: 8 }, () => r('fail'))])).toBe(1);
    expect(healthPhaseScore([r('fail'), r('fail')])).toBe(0);
    expect(healthPhaseScore([])).toBe(0);
    expect(healthPhaseScore([r('skip')])).toBe(0);
  });
});

describe('e2ePhaseScore', () => {
  it('scores a skip (or nothing to run) 4', () => {
    expect(e2ePhaseScore([r('skip')])).toBe(4);
    expect(e2ePhaseScore([])).toBe(4);
  });

  it('is 5 on pass, less per failure, 0 when all fail', () => {
    expect(e2ePhaseScore([r('pass'), r('pass'), r('pass')])).toBe(5);
    expect(e2ePhaseScore([r('pass'), r('fail'), r('pass')])).toBe(4);
    expect(e2ePhaseScore([r('pass'), r('warn')])).toBe(4);
    expect(e2ePhaseScore([r('pass'), r('fail'), r('fail'), r('warn')])).toBe(2);
    expect(e2ePhaseScore([r('fail'), r('fail')])).toBe(0);
  });
});
