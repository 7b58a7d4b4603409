import { PHASE_NAMES } from '../events/phases.ts';
import type { Outcome, PhaseName } from '../events/types.ts';

export type Band = 'pass' | 'warn' | 'fail';

/** Total = sum of phase scores (0-5 each; a phase that did not run counts 0) × 4, so 0-100. */
export function totalScore(phases: Partial<Record<PhaseName, number>>): number {
  return PHASE_NAMES.reduce((sum, name) => sum + clamp(phases[name] ?? 0), 0) * 4;
}

/** The score's own band: ≥ pass, ≥ warn, below. A release's band also depends on its outcome (decideVerdict). */
export function scoreBand(score: number, thresholds: { pass: number; warn: number }): Band {
  if (score >= thresholds.pass) return 'pass';
  if (score >= thresholds.warn) return 'warn';
  return 'fail';
}

/**
 * The best total still reachable when the phases so far have these scores: lets the runner roll back as soon as
 * a release can no longer pass, instead of sending users to it first.
 */
export function bestReachable(phases: Partial<Record<PhaseName, number>>, done: PhaseName[]): number {
  const optimistic = { ...phases };
  for (const name of PHASE_NAMES) if (!done.includes(name)) optimistic[name] = 5;
  return totalScore(optimistic);
}

export interface VerdictInput {
  phases: Partial<Record<PhaseName, number>>;
  /** Where the run stopped early, and why. */
  stop: { phase: PhaseName; kind: 'block' | 'stop' | 'rollback' | 'aborted' } | null;
  /** A critical finding anywhere rolls back at once, whatever the score. */
  critical: boolean;
  thresholds: { pass: number; warn: number };
  dryRun: boolean;
  /** Warnings that did not stop the release: a promoted release with any is in the warn band. */
  warnings?: number;
}

export interface Verdict {
  score: number;
  band: Band;
  outcome: Outcome;
  /** True when the new version must be taken out of traffic. */
  rollback: boolean;
}

/** Pure: the release's outcome from its phase scores and how it stopped. */
export function decideVerdict(input: VerdictInput): Verdict {
  const score = totalScore(input.phases);
  const band = scoreBand(score, input.thresholds);
  if (input.stop?.kind === 'block') return { score, band: 'fail', outcome: 'blocked', rollback: false };
  if (input.stop?.kind === 'stop') return { score, band: 'fail', outcome: 'failed', rollback: false };
  // After the stops: a dry run blocked by the gate or stopped by a failed build ends as the real run would.
  if (input.dryRun) return { score, band, outcome: 'planned', rollback: false };
  // The outcome decides the band: only a promoted release can be in the pass or warn band.
  if (input.stop?.kind === 'aborted') return { score, band: 'fail', outcome: 'aborted', rollback: true };
  if (input.stop?.kind === 'rollback' || input.critical || band === 'fail') {
    return { score, band: 'fail', outcome: 'rolled_back', rollback: true };
  }
  const warned = band === 'pass' && (input.warnings ?? 0) > 0;
  return { score, band: warned ? 'warn' : band, outcome: 'promoted', rollback: false };
}

function clamp(n: number): number {
  return Math.max(0, Math.min(5, Math.round(n)));
}
