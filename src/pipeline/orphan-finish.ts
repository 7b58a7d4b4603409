import type { EventBus } from '../events/bus.ts';
import type { Outcome } from '../events/types.ts';
import type { ReleaseRecord } from '../state/history.ts';
import { totalScore } from './score.ts';

/**
 * Closes a release its process left unfinished, as the release would have closed itself: the score of the phases
 * it finished (the one it died in counts 0) and its duration from its start to now, so `history` and reports show
 * what it earned and how long it held its canary, not zeros.
 */
export function finishOrphan(
  bus: EventBus,
  orphan: ReleaseRecord,
  outcome: Outcome,
  now: Date,
  /** A release of several components: each one's versions (the first's stand for the release). */
  extra: {
    version?: string | null;
    baseline?: string | null;
    components?: Array<{ name: string; version: string; baseline: string | null }>;
  } = {},
): void {
  const started = orphan.startedAt ? Date.parse(orphan.startedAt) : Number.NaN;
  bus.emit({
    type: 'release.finished',
    score: orphan.score ?? totalScore(orphan.phases),
    outcome,
    phases: orphan.phases,
    durationMs: Number.isFinite(started) ? Math.max(0, now.getTime() - started) : 0,
    version: orphan.canary,
    baseline: orphan.baseline,
    ...extra,
  });
}
