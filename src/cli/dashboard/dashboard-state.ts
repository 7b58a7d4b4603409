import { existsSync, readdirSync, statSync } from 'node:fs';
import { forComponent, projectWorker, type ResolvedConfig } from '../../config/resolved.ts';
import { toShipshapeError } from '../../errors/shipshape-error.ts';
import type { Split } from '../../events/types.ts';
import { EMERGENCY_STOP } from '../../flags/flag-types.ts';
import { openFlagStore } from '../../flags/open-store.ts';
import type { ReleaseRecord } from '../../state/history.ts';
import { isLive, readLock } from '../../state/lock.ts';
import { lockPath, releasesDir } from '../../state/paths.ts';
import { statusOf } from '../commands/history.ts';
import type { Project } from '../project.ts';
import type { JournalCache } from './journal-cache.ts';
import { type ReleaseView, releaseView } from './release-view.ts';

/** A release in the history list: outcome, score, versions and who acted on it. */
export interface HistoryRow {
  id: string;
  startedAt: string | null;
  outcome: string | null;
  status: string;
  score: number | null;
  scored: boolean;
  canary: string | null;
  baseline: string | null;
  actions: ReleaseRecord['actions'];
}

/** What the platform says now: per component, what serves (or why it could not be read). */
export interface ServingNow {
  component: string | null;
  split: Split[];
  since: string | null;
  error?: string;
}

export interface FlagsNow {
  emergencyStop: boolean;
  flags: Array<{ name: string; value: unknown; source: string }>;
  error?: string;
}

/** Everything the page shows; redacted by the server before it leaves the process. */
export interface DashboardState {
  v: 1;
  worker: string;
  env: string | null;
  target: string;
  actor: string;
  /** Component names for the rollback's choice (empty for a project of one worker). */
  components: string[];
  release: ReleaseView | null;
  history: HistoryRow[];
  serving: ServingNow[];
  flags: FlagsNow | null;
}

/** How many releases the history list shows, newest first. */
const HISTORY_ROWS = 25;

/**
 * The journals' side of the state: the release running now (its lock is live, or `elsewhere`: the release another
 * runner holds the account's lease for), else the newest one, and the history. Reads only `.shipshape/`.
 */
export function journalState(
  config: ResolvedConfig,
  journals: JournalCache,
  now: Date,
  elsewhere: string | null = null,
): Pick<DashboardState, 'release' | 'history'> {
  const releases = journals.releases(config.env).filter((r) => !r.dryRun);
  const live = new Set([
    ...[config.worker.name, projectWorker(config)]
      .map((w) => readLock(lockPath(config.projectDir, w, config.env)))
      .filter((h) => h && isLive(h, now))
      .map((h) => h?.release),
    elsewhere,
  ]);
  const current = releases.findLast((r) => live.has(r.id)) ?? releases.at(-1) ?? null;
  return {
    release: current
      ? releaseView(current.id, journals.events(current.id), current, live.has(current.id))
      : null,
    history: releases
      .slice(-HISTORY_ROWS)
      .reverse()
      .map((r) => ({
        id: r.id,
        startedAt: r.startedAt,
        outcome: r.outcome,
        status: statusOf(r, config.score),
        score: r.scored ? r.score : null,
        scored: r.scored,
        canary: r.canary,
        baseline: r.baseline,
        actions: r.actions,
      })),
  };
}

/** A fingerprint of `.shipshape/releases/` and the locks: when it is unchanged, so is the journals' state. */
export function journalsFingerprint(config: ResolvedConfig): string {
  const dir = releasesDir(config.projectDir);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ndjson')) : [];
  const locks = [config.worker.name, projectWorker(config)].map((w) =>
    lockPath(config.projectDir, w, config.env),
  );
  return [...files.map((f) => `${dir}/${f}`), ...locks]
    .map((p) => {
      try {
        const s = statSync(p);
        return `${p}:${s.size}:${s.mtimeMs}`;
      } catch {
        return `${p}:-`;
      }
    })
    .join('|');
}

/** The platform's side: what serves per component, the flags and the kill switch. Errors are shown, not thrown. */
export async function platformState(project: Project): Promise<Pick<DashboardState, 'serving' | 'flags'>> {
  const { config } = project;
  const many = config.components.length > 1;
  const serving = await Promise.all(
    config.components.map(async (c): Promise<ServingNow> => {
      const component = many ? c.name : null;
      try {
        const target = many ? await project.targetFor(forComponent(config, c)) : await project.target();
        return { component, ...(await target.deployment()) };
      } catch (err) {
        return { component, split: [], since: null, error: toShipshapeError(err).message };
      }
    }),
  );
  return { serving, flags: await flagsState(project) };
}

async function flagsState(project: Project): Promise<FlagsNow> {
  try {
    const flags = await openFlagStore(project.config, await project.target()).list();
    return {
      emergencyStop: flags.find((f) => f.name === EMERGENCY_STOP)?.value === true,
      flags: flags.map((f) => ({ name: f.name, value: f.value, source: f.source })),
    };
  } catch (err) {
    return { emergencyStop: false, flags: [], error: toShipshapeError(err).message };
  }
}
