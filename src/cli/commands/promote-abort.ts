import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { type ManualAction, requestAction } from '../../state/control.ts';
import { isLive, readLock } from '../../state/lock.ts';
import { lockPath } from '../../state/paths.ts';
import { type CommandDef, defineCommand } from '../define-command.ts';
import { loadProjectConfig } from '../project.ts';

function manualCommand(action: ManualAction, summary: string): CommandDef {
  return defineCommand({
    name: action,
    summary,
    usage: `${action} [--env NAME] [--reason R]`,
    description:
      action === 'promote'
        ? 'Ends the current bake or manual pause of the running rollout and moves to the next step.'
        : 'Stops the running rollout; the release rolls back to the version that served before it (exit 1 there).',
    options: { reason: { type: 'string' } },
    async handler({ args, global, io }) {
      const config = await loadProjectConfig(global);
      const holder = readLock(lockPath(config.projectDir, config.worker.name, config.env));
      if (!holder || !isLive(holder, io.now())) {
        throw new ShipshapeError('NO_RELEASE_RUNNING', { worker: config.worker.name, env: config.env });
      }
      requestAction(
        config.projectDir,
        holder.release,
        action,
        args.reason === undefined ? null : String(args.reason),
      );
      const line = { v: 1, type: `${action}.requested`, release: holder.release };
      io.stdout.write(
        global.json
          ? `${JSON.stringify(line)}\n`
          : `${action} requested for release ${holder.release}; it acts within one judge interval\n`,
      );
      return 0;
    },
  });
}

export const promoteCommand = manualCommand(
  'promote',
  'move a running rollout past its current bake or manual pause',
);
export const abortCommand = manualCommand('abort', 'stop a running rollout and roll it back');
