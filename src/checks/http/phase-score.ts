import type { CheckResult } from '../check.ts';

/**
 * 5 minus one per failed check, minus one more if any check passed only after a retry; at least 1 while
 * something passed, 0 when everything failed. Pure.
 */
function deducted(considered: CheckResult[]): number {
  const failed = considered.filter((r) => r.status === 'fail').length;
  if (failed === considered.length) return 0;
  const flaky = considered.some((r) => r.status === 'warn') ? 1 : 0;
  return Math.max(1, 5 - failed - flaky);
}

/**
 * Phase 3 score (DESIGN.md): 5 when every check passes, one less per failed non-critical check (and one
 * less if any check needed a retry), 0 when a critical check fails or nothing was checked (no data is
 * not a pass). Pure.
 * @example healthPhaseScore([{ status: 'pass', … }, { status: 'fail', critical: false, … }]) // 4
 */
export function healthPhaseScore(results: CheckResult[]): number {
  const considered = results.filter((r) => r.status !== 'skip');
  if (considered.length === 0) return 0;
  if (considered.some((r) => r.status === 'fail' && r.critical)) return 0;
  return deducted(considered);
}

/**
 * Phase 4 score: 4 when skipped (`--skip-e2e`) or when there was nothing to run; otherwise 5, one less per
 * failed check (a p95 over budget is one of them), one less if any check needed a retry; 0 when all
 * failed. Pure.
 * @example e2ePhaseScore([]) // 4
 */
export function e2ePhaseScore(results: CheckResult[]): number {
  const considered = results.filter((r) => r.status !== 'skip');
  if (considered.length === 0) return 4;
  return deducted(considered);
}
