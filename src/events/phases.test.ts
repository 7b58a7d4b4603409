import { describe, expect, it } from 'vitest';
import { PHASE_NAMES, PHASE_TITLES, phaseNumber, phaseTitle } from './phases.ts';

describe('phases', () => {
  it('numbers the phases from 1 in the order they run, each with its title', () => {
    expect(PHASE_NAMES.map(phaseNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(phaseNumber('verify')).toBe(3);
    expect(phaseTitle('gate')).toBe('Pre-deployment gate');
    expect(Object.keys(PHASE_TITLES)).toEqual([...PHASE_NAMES]);
  });
});
