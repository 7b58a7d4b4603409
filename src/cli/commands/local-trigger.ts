import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { connect } from '../../targets/local/launcher.ts';
import { defineCommand } from '../define-command.ts';
import { COMPONENT_OPTION, localWorlds, oneWorld } from './local-worlds.ts';

/** `shipshape local trigger scheduled`: a cron trigger fired on demand, through the daemon's control API. */
export const triggerScheduledCommand = defineCommand({
  name: 'local trigger scheduled',
  summary: "fire the worker's scheduled handler now, as a cron trigger would",
  usage: 'local trigger scheduled [--cron EXPR] [--version ID] [--env NAME] [--component NAME] [--json]',
  description: `The local platform does not run cron triggers on a clock: this fires one on demand, on a serving
version picked by the split's weights (or the one named with --version). --cron sets controller.cron; the
default is the version's first triggers.crons entry. Exit 1 when the handler threw. In a project with several
components, --component names the one whose platform fires it.`,
  options: { cron: { type: 'string' }, version: { type: 'string' }, ...COMPONENT_OPTION },
  async handler(ctx) {
    const { args, global, io } = ctx;
    const worlds = await localWorlds(ctx);
    oneWorld(worlds, 'local trigger scheduled', 'a cron trigger');
    const { component } = worlds[0];
    const connection = await connect(global.cwd, global.env, component);
    if (!connection)
      throw new ShipshapeError('LOCAL_NOT_RUNNING', { dir: global.cwd, env: global.env, component });
    const result = await connection.client.call<{ version: string; cron: string; outcome: string }>(
      'POST',
      '/scheduled',
      { cron: args.cron ?? null, version: args.version ?? null },
      60_000,
    );
    if (global.json) io.stdout.write(`${JSON.stringify({ v: 1, type: 'local-trigger', ...result })}\n`);
    else io.stdout.write(`scheduled "${result.cron}" on ${result.version}: ${result.outcome}\n`);
    return result.outcome === 'ok' ? 0 : 1;
  },
});
