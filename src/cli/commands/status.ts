import { findOrphans } from '../../pipeline/orphans.ts';
import { servingVersion } from '../../pipeline/serving.ts';
import { listReleases } from '../../state/history.ts';
import { isLive, readLock } from '../../state/lock.ts';
import { lockPath } from '../../state/paths.ts';
import { heldRelease, type LeaseState } from '../../targets/target.ts';
import { defineCommand } from '../define-command.ts';
import { short, table } from '../format.ts';
import { openSession } from '../session.ts';
import { statusOf } from './history.ts';

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'what serves now, any release in progress, and the last outcome',
  usage: 'status [--env NAME] [--json]',
  description: `Only reports. A release whose process died or stopped renewing its lease is recovered by the platform
itself (rollback.guard after the last renewal); status says when, or that the recovery is in progress.`,
  async handler({ global, io }) {
    const session = await openSession(global, io);
    try {
      const { config } = session;
      const target = await session.target();
      const path = lockPath(config.projectDir, config.worker.name, config.env);
      const holder = readLock(path);
      const lease: LeaseState | null = target.guard ? await target.guard.state() : null;
      const inProgress =
        holder && isLive(holder, io.now())
          ? holder
          : target.guard?.watched
            ? null
            : heldElsewhere(lease, io.now());
      const unfinished = findOrphans(config, inProgress?.release ?? null, io.now()).map((r) => r.id);
      const [deployment, versions] = await Promise.all([target.deployment(), target.versions()]);
      const releases = listReleases(config.projectDir, {
        env: config.env,
        worker: config.worker.name,
      }).filter((r) => !r.dryRun);
      const last = releases.filter((r) => r.outcome).at(-1) ?? null;
      const lastStatus = last ? statusOf(last, config.score) : null;
      if (global.json) {
        const lastWithStatus = last ? { ...last, status: lastStatus } : null;
        io.stdout.write(
          `${JSON.stringify({ v: 1, type: 'status', worker: config.worker.name, env: config.env, target: target.name, url: await target.url(), deployment, versions, inProgress, unfinished, lease, last: lastWithStatus })}\n`,
        );
        return 0;
      }
      const byId = new Map(versions.map((v) => [v.id, v]));
      const rows = deployment.split.map((s) => {
        const v = byId.get(s.version);
        const share = s.percent === 0 && deployment.split.length === 1 ? '0% (pinned only)' : `${s.percent}%`;
        return [short(s.version), share, v?.createdAt ?? '', v?.message ?? ''];
      });
      io.stdout.write(
        `worker ${config.worker.name}${config.env ? ` (${config.env})` : ''} on ${target.name}: ${await target.url()}\n`,
      );
      io.stdout.write(
        rows.length
          ? `${table(['version', 'traffic', 'uploaded', 'message'], rows)}\n${servingVersion(deployment.split) ? '' : 'no version serving yet: unpinned requests get 503\n'}`
          : 'nothing serving yet\n',
      );
      io.stdout.write(
        inProgress
          ? `release in progress: ${inProgress.release} (pid ${inProgress.pid} on ${inProgress.host}, since ${inProgress.startedAt})\n`
          : 'no release in progress\n',
      );
      for (const line of recoveryLines(unfinished, lease, io.now(), target.guard?.watched ?? false))
        io.stdout.write(`${line}\n`);
      if (last)
        io.stdout.write(
          `last release: ${last.id} ${last.outcome} ${lastStatus}${last.scored ? ` score ${last.score}/100` : ''}${last.canary ? ` version ${short(last.canary)}` : ''}\n`,
        );
      return 0;
    } finally {
      await session.close();
    }
  },
});

/** A live lease held by a runner this machine knows nothing else of (the account's lease), as a lock holder. */
function heldElsewhere(
  lease: LeaseState | null,
  now: Date,
): { release: string; pid: number | string; host: string; startedAt: string } | null {
  const release = heldRelease(lease, now);
  if (!release || !lease) return null;
  return {
    release,
    pid: lease.holderPid ?? '?',
    host: lease.host ?? 'another runner',
    startedAt: lease.startedAt ?? '?',
  };
}

/** What the platform is doing about releases that did not finish. */
function recoveryLines(
  unfinished: string[],
  lease: LeaseState | null,
  now: Date,
  watched: boolean,
): string[] {
  return unfinished.map((id) => {
    if (lease?.release === id && lease.restoredBy)
      return `release ${id} did not finish: the account's guard put its traffic back at ${lease.restoredBy.at}; the next deploy, rollback or "shipshape recover --lapsed" completes the rest`;
    if (!watched)
      return `release ${id} did not finish: the next deploy, rollback or "shipshape recover --lapsed" from any runner recovers it${lease?.release === id ? ' (its lease has lapsed)' : ''}`;
    if (lease?.release !== id)
      return `release ${id} did not finish: the next deploy or rollback recovers it (the platform holds no lease on it)`;
    if (lease.recovering)
      return `release ${id}: recovery by the platform in progress (attempt ${lease.attempts})`;
    const inMs = lease.expiresAt ? new Date(lease.expiresAt).getTime() - now.getTime() : 0;
    return `release ${id} stopped renewing its lease: the platform recovers it in ${Math.max(0, Math.ceil(inMs / 1000))} s`;
  });
}
