import { projectSecrets } from '../../config/dev-vars.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { resolveActor } from '../../flags/actor.ts';
import { summarizeAction } from '../../report/github-action-line.ts';
import { type ManualAction, requestAction } from '../../state/control.ts';
import { isLive, readLock } from '../../state/lock.ts';
import { lockPath } from '../../state/paths.ts';
import type { ReleaseStore } from '../../state/release-store.ts';
import { heldRelease } from '../../targets/target.ts';
import { type CommandDef, defineCommand } from '../define-command.ts';
import { keptReason } from '../kept-reason.ts';
import { openProject, type Project } from '../project.ts';

function manualCommand(action: ManualAction, summary: string): CommandDef {
  return defineCommand({
    name: action,
    summary,
    usage: `${action} [--reason R] [--actor NAME] [--env NAME]`,
    description: `${
      action === 'promote'
        ? 'Ends the current bake or manual pause of the running rollout and moves to the next step.'
        : 'Stops the running rollout; the release rolls back to the version that served before it (exit 1 there).'
    }
The release journals who asked (--actor, else git's user.name <user.email>, else the login name) and why
(--reason), and announces both to the configured notifiers.`,
    options: { reason: { type: 'string' }, actor: { type: 'string' } },
    async handler({ args, global, io }) {
      const project = await openProject(global, io);
      try {
        const { config } = project;
        const holder = await runningRelease(project, io.now());
        if (!holder) {
          throw new ShipshapeError('NO_RELEASE_RUNNING', { worker: config.worker.name, env: config.env });
        }
        const reason = keptReason(args.reason, io.env, config);
        const actor = await resolveActor(args.actor as string | undefined, config.projectDir, io.env);
        const request = { action, actor, reason };
        // A release another runner holds polls the account's state; one on this machine, its control file.
        if (holder.store) await holder.store.sendRequest(holder.release, request);
        else requestAction(config.projectDir, holder.release, request);
        summarizeAction(io, { ...request, release: holder.release }, projectSecrets(config), {
          requested: true,
        });
        const line = { v: 1, type: `${action}.requested`, release: holder.release, actor, reason };
        io.stdout.write(
          global.json
            ? `${JSON.stringify(line)}\n`
            : `${action} requested for release ${holder.release}; it acts within one judge interval\n`,
        );
        return 0;
      } finally {
        await project.close();
      }
    },
  });
}

export const promoteCommand = manualCommand(
  'promote',
  'move a running rollout past its current bake or manual pause',
);
export const abortCommand = manualCommand('abort', 'stop a running rollout and roll it back');

/**
 * The running release a request goes to: one this machine runs (its lock), else, with the account's state, the
 * one another runner holds the live lease for.
 */
async function runningRelease(
  project: Project,
  now: Date,
): Promise<{ release: string; store: ReleaseStore | null } | null> {
  const { config } = project;
  const holder = readLock(lockPath(config.projectDir, config.worker.name, config.env));
  if (holder && isLive(holder, now)) return { release: holder.release, store: null };
  if (config.target !== 'cloudflare' || !config.cloudflare.state) return null;
  const target = await project.target();
  const lease = target.guard ? await target.guard.state() : null;
  const release = heldRelease(lease, now);
  return release && target.releaseStore ? { release, store: target.releaseStore } : null;
}
