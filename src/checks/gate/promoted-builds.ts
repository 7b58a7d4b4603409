import { listReleases } from '../../state/history.ts';
import { readJournal } from '../../state/journal.ts';

/** One build a release uploaded and promoted. */
export interface PromotedBuild {
  release: string;
  score: number | null;
  finishedAt: string | null;
  /** The component it belongs to; undefined for a project's one implicit worker (as its events carry it). */
  component: string | undefined;
  /** The bundle hash of the upload (`version.uploaded`), the same hash the release's plan names. */
  hash: string;
  version: string;
}

/**
 * Every build promoted in `env` (null: the base environment), newest first, read from the release journals: each
 * promoted release's `version.uploaded` events give the hash it released, per component. A component a release
 * left unchanged was uploaded (and promoted) by an earlier release, so it is found there.
 * @example promotedBuilds('/app', 'staging').find((b) => b.hash === artifact.hash)
 */
export function promotedBuilds(projectDir: string, env: string | null): PromotedBuild[] {
  const promoted = listReleases(projectDir, { env }).filter((r) => r.outcome === 'promoted' && !r.dryRun);
  const builds: PromotedBuild[] = [];
  for (const record of promoted.reverse()) {
    for (const event of readJournal(projectDir, record.id)) {
      if (event.type !== 'version.uploaded') continue;
      builds.push({
        release: record.id,
        score: record.score,
        finishedAt: record.finishedAt,
        component: event.component,
        hash: event.hash,
        version: event.version,
      });
    }
  }
  return builds;
}
