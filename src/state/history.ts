import type { ActionName, Outcome, PhaseName, ShipshapeEvent } from '../events/types.ts';
import { listReleaseIds, readJournal } from './journal.ts';

export interface ReleaseRecord {
  id: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  env: string | null;
  worker: string | null;
  dryRun: boolean;
  baseline: string | null;
  canary: string | null;
  /** null while running or when its process died before finishing. */
  outcome: Outcome | null;
  score: number | null;
  phases: Partial<Record<PhaseName, number>>;
  /** True once the new version was in the deployment (even at 0%). */
  touchedTraffic: boolean;
  /** Warnings a promoted release carried (a WARNING whatever its score). */
  warnings: string[];
  /** False for runs that earn no score (a manual rollback). */
  scored: boolean;
  /** A release of several components: the version it uploaded of each (unchanged ones are absent). */
  uploads: Record<string, string>;
  /** What people (and the recovering platform) did to it, in order: who and why. */
  actions: Array<{ ts: string; action: ActionName; actor: string; reason: string | null }>;
  /** A manual rollback that finished: the version the operator put back (a choice of "last good"). */
  restored: string | null;
}

/** One release's facts, read back from its journal. */
export function releaseRecord(id: string, events: ShipshapeEvent[]): ReleaseRecord {
  const record: ReleaseRecord = {
    id,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    env: null,
    worker: null,
    dryRun: false,
    baseline: null,
    canary: null,
    outcome: null,
    score: null,
    phases: {},
    touchedTraffic: false,
    warnings: [],
    scored: true,
    uploads: {},
    actions: [],
    restored: null,
  };
  for (const e of events) {
    if (e.type === 'release.started') {
      Object.assign(record, {
        startedAt: e.ts,
        env: e.env,
        worker: e.worker,
        dryRun: e.dryRun,
        baseline: e.baseline,
      });
    } else if (e.type === 'version.uploaded') {
      // The release's first upload stands for it; each component's is kept by name.
      if (e.component) record.uploads[e.component] = e.version;
      record.canary ??= e.version;
    } else if (
      e.type === 'traffic.changed' &&
      record.canary &&
      e.split.some((s) => s.version === record.canary)
    ) {
      record.touchedTraffic = true;
    } else if (e.type === 'phase.finished') record.phases[e.phase] = e.score;
    else if (e.type === 'rollback.finished' && e.ok) record.restored = e.to;
    else if (e.type === 'release.finished') {
      record.finishedAt = e.ts;
      record.outcome = e.outcome;
      record.score = e.score;
      record.durationMs = e.durationMs;
      record.warnings = e.warnings ?? [];
      record.scored = e.scored ?? true;
    } else if (e.type === 'action')
      record.actions.push({ ts: e.ts, action: e.action, actor: e.actor, reason: e.reason });
  }
  return record;
}

/** Every release of the project, oldest first (`env` filters by environment). */
export function listReleases(
  projectDir: string,
  filter: { env?: string | null; worker?: string } = {},
): ReleaseRecord[] {
  return (
    listReleaseIds(projectDir)
      .map((id) => releaseRecord(id, readJournal(projectDir, id)))
      .filter(
        (r) =>
          (filter.env === undefined || r.env === filter.env) &&
          (!filter.worker || r.worker === filter.worker),
      )
      // Oldest first by the first event's time (ms): ids carry only the second, so two releases started in the same
      // second would otherwise be ordered by their random suffix, and "last promoted" could be the wrong one.
      .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))
  );
}

/** The version of the newest promoted release, or of the newest manual rollback: the default target of a rollback. */
export function lastPromotedVersion(
  releases: ReleaseRecord[],
  exclude: string | null = null,
  component?: string,
): string | null {
  for (let i = releases.length - 1; i >= 0; i--) {
    const r = releases[i];
    const version = component ? r.uploads[component] : r.canary;
    if (r.outcome === 'promoted' && version && version !== exclude) return version;
    // An operator's rollback names the last good version itself: what it rolled back from is not good.
    if (!component && !r.scored && r.restored && r.restored !== exclude) return r.restored;
  }
  return null;
}
