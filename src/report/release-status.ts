import type { Outcome } from '../events/types.ts';
import { type Band, type Bands, DEFAULT_BANDS } from './format.ts';

/** What a release's status is decided from: its outcome first, then its score and warnings. */
export interface StatusInput {
  outcome: Outcome | 'running';
  score: number | null;
  /** Warnings that did not stop a promoted release (e.g. a band where a rollback would not help). */
  warnings?: number;
  /** False for runs that earn no release score (a manual rollback). */
  scored?: boolean;
}

export interface ReleaseStatus {
  /** PASS / WARNING / FAILED; null when the run earned no score (dry run, manual rollback, still running). */
  band: Band | null;
  /** What a person reads: the band, or PLANNED / ROLLED BACK / RUNNING for unscored runs. */
  label: string;
  /** Why, in a few words: the band's range, the outcome, or why there is no score. */
  why: string;
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  promoted: 'promoted',
  rolled_back: 'rolled back',
  aborted: 'aborted',
  blocked: 'blocked by the gate',
  failed: 'failed',
  planned: 'planned (dry run)',
};

export function outcomeText(outcome: Outcome): string {
  return OUTCOME_TEXT[outcome];
}

/**
 * The one rule (README, under the score table): the outcome decides the status. Only a promoted release is
 * PASS (score ≥ pass, no warnings) or WARNING (score warn..pass-1, or promoted with warnings); a rolled-back,
 * aborted, failed or blocked release is FAILED whatever its score. Dry runs and manual rollbacks earn no score.
 * Pure.
 * @example releaseStatus({ outcome: 'rolled_back', score: 84 }).band // 'FAILED'
 */
export function releaseStatus(input: StatusInput, bands: Bands = DEFAULT_BANDS): ReleaseStatus {
  const { outcome, score } = input;
  if (outcome === 'running') return { band: null, label: 'RUNNING', why: 'release in progress' };
  if (outcome === 'planned')
    return { band: null, label: 'PLANNED', why: 'dry run: nothing was released, so nothing was scored' };
  if (input.scored === false || score === null) {
    return {
      band: null,
      label: outcome === 'rolled_back' ? 'ROLLED BACK' : 'FAILED',
      why: `manual rollback ${outcome === 'rolled_back' ? 'done' : 'failed'}: not a release, so no score`,
    };
  }
  if (outcome !== 'promoted')
    return { band: 'FAILED', label: 'FAILED', why: `release ${OUTCOME_TEXT[outcome]}` };
  const warnings = input.warnings ?? 0;
  if (score >= bands.pass && warnings === 0)
    return { band: 'PASS', label: 'PASS', why: `≥${bands.pass}/100` };
  if (score >= bands.warn) {
    const range = score >= bands.pass ? `${score}/100` : `${bands.warn}-${bands.pass - 1}/100`;
    const noted = warnings > 0 ? `, promoted with ${warnings} warning${warnings > 1 ? 's' : ''}` : '';
    return { band: 'WARNING', label: 'WARNING', why: `${range}${noted}` };
  }
  return { band: 'FAILED', label: 'FAILED', why: `<${bands.warn}/100` };
}

/** The band alone (null when the run earned no score). */
export function bandOf(
  score: number,
  outcome: Outcome,
  bands: Bands = DEFAULT_BANDS,
  warnings = 0,
): Band | null {
  return releaseStatus({ outcome, score, warnings }, bands).band;
}
