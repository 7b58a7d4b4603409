import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { cloudflareApiInfo } from '../../targets/local/cf-api/state.ts';
import { localPorts } from '../../targets/local/environment-ports.ts';
import { connect, startDetached } from '../../targets/local/launcher.ts';
import { statePaths } from '../../targets/local/paths.ts';
import { type CommandContext, defineCommand } from '../define-command.ts';
import {
  apiLines,
  COMPONENT_OPTION,
  type LocalWorld,
  localWorlds,
  oneWorld,
  worldLabel,
} from './local-worlds.ts';

/**
 * Ports from the flags, else the component's `local` from shipshape.config.ts (a named environment: its own, else
 * free ones; see localPorts), else 8787/8788 for production and free ports for an environment (a project without
 * config works too).
 */
async function ports(ctx: CommandContext, world: LocalWorld): Promise<{ port: number; controlPort: number }> {
  const defaults = ctx.global.env ? { port: 0, controlPort: 0 } : { port: 8787, controlPort: 8788 };
  const { port, controlPort } = world.config ? await localPorts(world.config) : defaults;
  const flag = (name: string, fallback: number) => {
    const raw = ctx.args[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      throw new ShipshapeError('USAGE_BAD_ARGS', {
        command: 'local start',
        message: `--${name} must be a port number from 0 to 65535 (0 picks a free one), got "${raw}".`,
      });
    }
    return n;
  };
  return { port: flag('port', port), controlPort: flag('control-port', controlPort) };
}

/** `local start` flags that switch on production's imperfections in the Cloudflare API stand-in. */
const IMPERFECTION_FLAGS: Record<string, string> = {
  'analytics-lag': 'ANALYTICS_LAG',
  'analytics-sample-rate': 'SAMPLE_RATE',
  'api-429-rate': '429_RATE',
  'api-5xx-rate': '5XX_RATE',
  'api-slow-rate': 'SLOW_RATE',
  'api-slow': 'SLOW',
};

function imperfectionEnv(args: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [flag, name] of Object.entries(IMPERFECTION_FLAGS)) {
    if (typeof args[flag] === 'string') env[`SHIPSHAPE_CF_API_${name}`] = args[flag] as string;
  }
  return env;
}

export const startCommand = defineCommand({
  name: 'local start',
  summary: 'start the local platform (workerd router + control API) for this project',
  usage:
    'local start [--env NAME] [--component NAME] [--port N] [--control-port N] [--foreground] [--analytics-lag D] [--analytics-sample-rate R] [--api-429-rate R] [--api-5xx-rate R] [--api-slow-rate R --api-slow D]',
  description: `Runs a local Workers platform in the background: every live version of the worker in workerd, a
router on the data-plane port (default 8787) that splits traffic, and a control API on 127.0.0.1 (default
8788). Port 0 picks a free port; the ports in use are written to .shipshape/local/daemon.json. State
(versions, split, D1 and KV data) lives in .shipshape/local/ and survives a restart. --foreground stays
attached (Ctrl-C stops it).

Each environment is a world of its own: --env staging runs a second daemon with its own state
(.shipshape/local-envs/staging/), versions, D1 and KV, beside production's. Its ports are the ones
environments.staging.local sets, else free ones (see "local status --env staging").

In a project with components, each component is a world of its own too (.shipshape/components/<name>/), with
the ports its components entry sets; this starts every component's daemon, or the one --component names
(--port, --control-port and --foreground need one). A service binding to another component reaches that
component's live deployment.

The control API's port also answers Cloudflare's REST and GraphQL API under /client/v4 (Workers versions,
deployments, secrets, analytics, D1, KV), backed by the same runtime: point your own wrangler at it with the
CLOUDFLARE_API_BASE_URL, token and account id this command prints. Production's imperfections on demand: analytics
that lag (--analytics-lag 60s) or are sampled (--analytics-sample-rate 0.1), and a share of API calls answered 429
(--api-429-rate 0.2), 5xx (--api-5xx-rate 0.1) or late (--api-slow-rate 0.1 --api-slow 2s). They apply when the
platform starts.`,
  options: {
    port: { type: 'string' },
    'control-port': { type: 'string' },
    foreground: { type: 'boolean' },
    ...COMPONENT_OPTION,
    ...Object.fromEntries(Object.keys(IMPERFECTION_FLAGS).map((f) => [f, { type: 'string' as const }])),
  },
  async handler(ctx) {
    const worlds = await localWorlds(ctx);
    for (const flag of ['port', 'control-port', 'foreground'])
      if (ctx.args[flag] !== undefined) oneWorld(worlds, 'local start', `--${flag}`);
    if (ctx.args.foreground) return runForeground(ctx, worlds[0]);
    // Dependencies first (release order): a component's callees are up before it.
    for (const world of worlds) await startWorld(ctx, world);
    return 0;
  },
});

async function startWorld(ctx: CommandContext, world: LocalWorld): Promise<void> {
  const { global, io } = ctx;
  const { cwd: projectDir, env: envName } = global;
  const { component } = world;
  const wanted = await ports(ctx, world);
  const running = await connect(projectDir, envName, component);
  const env = { ...io.env, ...imperfectionEnv(ctx.args) };
  const connection =
    running ??
    (await startDetached({ projectDir, envName, component, workerDir: world.dir, ...wanted, env }));
  const { info } = connection;
  const paths = statePaths(projectDir, envName, component);
  if (global.json) {
    const cloudflareApi = cloudflareApiInfo(paths, info.controlUrl);
    io.stdout.write(
      `${JSON.stringify({ v: 1, type: 'local-start', alreadyRunning: Boolean(running), ...info, env: envName, cloudflareApi })}\n`,
    );
    return;
  }
  io.stdout.write(
    `${running ? 'Already running' : 'Started'} the local platform${worldLabel(component, envName)} (pid ${info.pid}).\n` +
      `  data plane   ${info.url}\n  control API  ${info.controlUrl}\n  state        ${paths.root}\n` +
      apiLines(projectDir, envName, component, info.controlUrl),
  );
}

async function runForeground(ctx: CommandContext, world: LocalWorld): Promise<number> {
  const { io, global } = ctx;
  const wanted = await ports(ctx, world);
  // The runtime is loaded only by the process that serves: every other command starts without it.
  const { serveForeground } = await import('../../targets/local/foreground.ts');
  // The API stand-in reads its imperfections from the serving process's environment, as the daemon's does.
  Object.assign(process.env, imperfectionEnv(ctx.args));
  return serveForeground({
    projectDir: global.cwd,
    env: global.env,
    component: world.component,
    workerDir: world.dir,
    ...wanted,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: io.signal,
  });
}
