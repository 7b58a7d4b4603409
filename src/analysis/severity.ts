import type { Severity } from '../events/types.ts';

/**
 * The phase-5 score (0-5) follows the worst severity seen: 5 clean, 3 a warning, 2 inconclusive or a
 * high-severity rollback, 1 critical.
 */
export function scoreForSeverity(severity: Severity): number {
  switch (severity) {
    case 'none':
    case 'low':
      return 5;
    case 'medium':
      return 3;
    case 'inconclusive':
    case 'high':
      return 2;
    case 'critical':
      return 1;
  }
}

/** Where a figure sits in the decision matrix (DESIGN.md): above critical, high, medium, else low. */
export function levelOf(value: number, levels: { critical: number; high: number; medium: number }): Severity {
  if (value > levels.critical) return 'critical';
  if (value > levels.high) return 'high';
  if (value > levels.medium) return 'medium';
  return 'low';
}

/** Upper one-sided confidence bound of a proportion (Wilson score, z = 2.33, i.e. 99%). */
export function upperBound(events: number, n: number, z = 2.33): number {
  if (n <= 0) return 1;
  const p = events / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.min(1, (centre + spread) / (1 + z2 / n));
}

/** Lower one-sided confidence bound of a proportion (Wilson score, z = 2.33, i.e. 99%). */
export function lowerBound(events: number, n: number, z = 2.33): number {
  if (n <= 0) return 0;
  const p = events / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - spread) / (1 + z2 / n));
}
