import { formatDuration } from '../../config/duration.ts';
import type { CheckResult } from '../check.ts';

/** Whole seconds [since, until) of a bake or the monitor window. */
export interface Span {
  since: Date;
  until: Date;
}

export const spanMs = (span: Span) => Math.max(0, span.until.getTime() - span.since.getTime());
export const spanText = (span: Span) => formatDuration(spanMs(span));

/** 5 passed, 3 a warning (as a warning band costs the rollout), 0 a rollback; an inconclusive one is skipped. */
const SCORE = { pass: 5, warn: 3, rollback: 0 } as const;

/**
 * A rollout check's result: `inconclusive` is a skip that says why (never a failure), `rollback` a critical
 * failure that rolls the release back.
 */
export function sideResult(
  name: string,
  outcome: 'pass' | 'warn' | 'rollback' | 'inconclusive',
  r: { message: string; hint?: string; evidence: Record<string, unknown> },
): CheckResult {
  if (outcome === 'inconclusive')
    return { name, status: 'skip', score: 0, message: `inconclusive: ${r.message}`, evidence: r.evidence };
  return {
    name,
    status: outcome === 'rollback' ? 'fail' : outcome,
    score: SCORE[outcome],
    message: r.message,
    ...(r.hint && outcome !== 'pass' ? { hint: r.hint } : {}),
    evidence: r.evidence,
    ...(outcome === 'rollback' ? { critical: true } : {}),
  };
}
