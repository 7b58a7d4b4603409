import { describe, expect, it } from 'vitest';
import { SEVERITY_ORDER, severityRank, worstSeverity } from './severity.ts';

describe('severity order', () => {
  it('runs from harmless to worst, inconclusive between a warning and a rollback', () => {
    expect(SEVERITY_ORDER.map(severityRank)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(severityRank('inconclusive')).toBeGreaterThan(severityRank('medium'));
    expect(severityRank('inconclusive')).toBeLessThan(severityRank('high'));
  });

  it('picks the worst, and none of nothing', () => {
    expect(worstSeverity('low', 'inconclusive', 'medium')).toBe('inconclusive');
    expect(worstSeverity('high', 'critical', 'low')).toBe('critical');
    expect(worstSeverity()).toBe('none');
  });
});
