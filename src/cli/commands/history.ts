import { formatDuration } from '../../config/duration.ts';
import { releaseStatus } from '../../report/release-status.ts';
import { listReleases, type ReleaseRecord } from '../../state/history.ts';
import { defineCommand } from '../define-command.ts';
import { short, table } from '../format.ts';
import { loadProjectState } from '../project.ts';

export const historyCommand = defineCommand({
  name: 'history',
  summary: 'past releases: outcome, score, duration, versions',
  usage: 'history [--env NAME] [--limit N] [--json]',
  options: { limit: { type: 'string' } },
  async handler({ args, global, io }) {
    const config = await loadProjectState(global, io);
    const limit = Math.max(1, Number(args.limit ?? 20) || 20);
    const releases = listReleases(config.projectDir, { env: config.env, worker: config.worker.name })
      .filter((r) => !r.dryRun)
      .slice(-limit)
      .reverse();
    if (global.json) {
      for (const r of releases)
        io.stdout.write(
          `${JSON.stringify({ v: 1, type: 'release', ...r, status: statusOf(r, config.score) })}\n`,
        );
      return 0;
    }
    if (releases.length === 0) {
      io.stdout.write('no releases yet: run "shipshape deploy"\n');
      return 0;
    }
    const rows = releases.map((r) => [
      r.id,
      r.startedAt?.replace('T', ' ').slice(0, 19) ?? '',
      r.outcome ?? 'running',
      statusOf(r, config.score),
      r.score === null || !r.scored ? '-' : `${r.score}/100`,
      r.durationMs === null ? '-' : formatDuration(r.durationMs),
      short(r.canary),
      short(r.baseline),
      actionsCell(r),
    ]);
    io.stdout.write(
      `${table(
        [
          'release',
          'started (UTC)',
          'outcome',
          'status',
          'score',
          'duration',
          'version',
          'baseline',
          'actions (who: why)',
        ],
        rows,
      )}\n`,
    );
    return 0;
  },
});

/** PASS / WARNING / FAILED (the outcome decides), or what an unscored run is. */
export function statusOf(r: ReleaseRecord, bands: { pass: number; warn: number }): string {
  return releaseStatus(
    { outcome: r.outcome ?? 'running', score: r.score, warnings: r.warnings.length, scored: r.scored },
    bands,
  ).label;
}

/** `abort by Ada: too slow; rollback by Bob: -`: the people's actions on a release, names without emails. */
function actionsCell(r: ReleaseRecord): string {
  return r.actions
    .map((a) => `${a.action} by ${a.actor.replace(/\s*<[^>]*>$/, '')}: ${a.reason ?? '-'}`)
    .join('; ');
}
