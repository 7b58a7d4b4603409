import { stopDaemon } from '../../targets/local/launcher.ts';
import { type CommandContext, defineCommand } from '../define-command.ts';
import { startCommand } from './local-start.ts';
import { statusCommand } from './local-status.ts';
import { COMPONENT_OPTION, localWorlds, worldLabel, worldsOnDisk } from './local-worlds.ts';

const stopCommand = defineCommand({
  name: 'local stop',
  summary: 'stop the local platform of this project (state is kept)',
  usage: 'local stop [--env NAME] [--component NAME]',
  description: `Stops the environment's local platform; in a project with components, every component's (or the
one --component names). State is kept for the next start.`,
  options: { ...COMPONENT_OPTION },
  async handler(ctx) {
    for (const component of await stopping(ctx)) {
      const { global, io } = ctx;
      const info = await stopDaemon(global.cwd, global.env, component);
      const named = component ? { component } : {};
      if (global.json)
        io.stdout.write(
          `${JSON.stringify({ v: 1, type: 'local-stop', env: global.env, ...named, stopped: Boolean(info), pid: info?.pid ?? null })}\n`,
        );
      else
        io.stdout.write(
          info
            ? `Stopped the local platform${worldLabel(component, global.env)} (pid ${info.pid}).\n`
            : `The local platform${worldLabel(component, global.env)} was not running.\n`,
        );
    }
    return 0;
  },
});

/**
 * The worlds to stop: the one --component names, else every world with state on disk (a daemon of a component
 * since removed from the config, or of a config that no longer loads, is stopped too), else the configured ones.
 */
async function stopping(ctx: CommandContext): Promise<Array<string | null>> {
  if (typeof ctx.args.component === 'string') return [ctx.args.component];
  const onDisk = worldsOnDisk(ctx.global.cwd, ctx.global.env);
  if (onDisk.length > 0) return onDisk;
  return (await localWorlds(ctx)).map((w) => w.component);
}

/** `shipshape local start|stop|status`. */
export const localCommands = [startCommand, stopCommand, statusCommand];
