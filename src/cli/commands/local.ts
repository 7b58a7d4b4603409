import { loadConfig } from '../../config/load.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { cloudflareApiInfo } from '../../targets/local/cf-api/state.ts';
import { localPorts } from '../../targets/local/environment-ports.ts';
import { connect, startDetached, stopDaemon } from '../../targets/local/launcher.ts';
import { statePaths } from '../../targets/local/paths.ts';
import type { StatusReport } from '../../targets/local/status.ts';
import { type CommandContext, defineCommand } from '../define-command.ts';

/**
 * Ports from the flags, else shipshape.config.ts `local` (a named environment: its own, else free ones; see
 * localPorts), else 8787/8788 for production and free ports for an environment (a project without config works too).
 */
async function ports(ctx: CommandContext): Promise<{ port: number; controlPort: number }> {
  let port = ctx.global.env ? 0 : 8787;
  let controlPort = ctx.global.env ? 0 : 8788;
  try {
    const config = await loadConfig({ cwd: ctx.global.cwd, env: ctx.global.env });
    ({ port, controlPort } = await localPorts(config));
  } catch (err) {
    if (!(err instanceof ShipshapeError && err.code === 'CONFIG_NOT_FOUND')) throw err;
  }
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

function apiLines(projectDir: string, envName: string | null, controlUrl: string): string {
  const paths = statePaths(projectDir, envName);
  const api = cloudflareApiInfo(paths, controlUrl);
  return (
    `  Cloudflare API  ${api.baseUrl}${api.accountId ? ` (account ${api.accountId})` : ''}\n` +
    `                 wrangler: CLOUDFLARE_API_BASE_URL=${api.baseUrl} CLOUDFLARE_API_TOKEN=$(cat ${paths.token})${api.accountId ? ` CLOUDFLARE_ACCOUNT_ID=${api.accountId}` : ''}\n`
  );
}

const startCommand = defineCommand({
  name: 'local start',
  summary: 'start the local platform (workerd router + control API) for this project',
  usage:
    'local start [--env NAME] [--port N] [--control-port N] [--foreground] [--analytics-lag D] [--analytics-sample-rate R] [--api-429-rate R] [--api-5xx-rate R] [--api-slow-rate R --api-slow D]',
  description: `Runs a local Workers platform in the background: every live version of the worker in workerd, a
router on the data-plane port (default 8787) that splits traffic, and a control API on 127.0.0.1 (default
8788). Port 0 picks a free port; the ports in use are written to .shipshape/local/daemon.json. State
(versions, split, D1 and KV data) lives in .shipshape/local/ and survives a restart. --foreground stays
attached (Ctrl-C stops it).

Each environment is a world of its own: --env staging runs a second daemon with its own state
(.shipshape/local-envs/staging/), versions, D1 and KV, beside production's. Its ports are the ones
environments.staging.local sets, else free ones (see "local status --env staging").

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
    ...Object.fromEntries(Object.keys(IMPERFECTION_FLAGS).map((f) => [f, { type: 'string' as const }])),
  },
  async handler(ctx) {
    const { global, io } = ctx;
    const projectDir = global.cwd;
    const envName = global.env;
    const wanted = await ports(ctx);
    if (ctx.args.foreground) return runForeground(ctx, wanted);
    const running = await connect(projectDir, envName);
    const env = { ...io.env, ...imperfectionEnv(ctx.args) };
    const connection = running ?? (await startDetached({ projectDir, envName, ...wanted, env }));
    const { info } = connection;
    if (global.json) {
      const cloudflareApi = cloudflareApiInfo(statePaths(projectDir, envName), info.controlUrl);
      io.stdout.write(
        `${JSON.stringify({ v: 1, type: 'local-start', alreadyRunning: Boolean(running), ...info, env: envName, cloudflareApi })}\n`,
      );
    } else {
      io.stdout.write(
        `${running ? 'Already running' : 'Started'} the local platform${envName ? ` for ${envName}` : ''} (pid ${info.pid}).\n` +
          `  data plane   ${info.url}\n  control API  ${info.controlUrl}\n  state        ${statePaths(projectDir, envName).root}\n` +
          apiLines(projectDir, envName, info.controlUrl),
      );
    }
    return 0;
  },
});

async function runForeground(
  ctx: CommandContext,
  wanted: { port: number; controlPort: number },
): Promise<number> {
  const { io, global } = ctx;
  // The runtime is loaded only by the process that serves: every other command starts without it.
  const { serveForeground } = await import('../../targets/local/foreground.ts');
  // The API stand-in reads its imperfections from the serving process's environment, as the daemon's does.
  Object.assign(process.env, imperfectionEnv(ctx.args));
  return serveForeground({
    projectDir: global.cwd,
    env: global.env,
    ...wanted,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: io.signal,
  });
}

const stopCommand = defineCommand({
  name: 'local stop',
  summary: 'stop the local platform of this project (state is kept)',
  usage: 'local stop [--env NAME]',
  async handler({ global, io }) {
    const info = await stopDaemon(global.cwd, global.env);
    if (global.json)
      io.stdout.write(
        `${JSON.stringify({ v: 1, type: 'local-stop', env: global.env, stopped: Boolean(info), pid: info?.pid ?? null })}\n`,
      );
    else
      io.stdout.write(
        info
          ? `Stopped the local platform${global.env ? ` for ${global.env}` : ''} (pid ${info.pid}).\n`
          : `The local platform${global.env ? ` for ${global.env}` : ''} was not running.\n`,
      );
    return 0;
  },
});

const statusCommand = defineCommand({
  name: 'local status',
  summary: 'versions, traffic split, uptime, requests/s and error rate per version',
  usage: 'local status [--env NAME] [--json]',
  async handler({ global, io }) {
    const connection = await connect(global.cwd, global.env);
    const flag = global.env ? ` --env ${global.env}` : '';
    if (!connection) {
      if (global.json)
        io.stdout.write(
          `${JSON.stringify({ v: 1, type: 'local-status', env: global.env, running: false })}\n`,
        );
      else
        io.stdout.write(
          `The local platform${global.env ? ` for ${global.env}` : ''} is not running. Start it with "shipshape local start${flag}".\n`,
        );
      return 0;
    }
    const report = await connection.client.call<StatusReport>('GET', '/status');
    const { info } = connection;
    if (global.json) {
      io.stdout.write(
        `${JSON.stringify({ v: 1, type: 'local-status', running: true, url: info.url, controlUrl: info.controlUrl, cloudflareApi: cloudflareApiInfo(statePaths(global.cwd, global.env), info.controlUrl), ...report })}\n`,
      );
      return 0;
    }
    io.stdout.write(formatStatus(report, info.url, info.controlUrl));
    io.stdout.write(apiLines(global.cwd, global.env, info.controlUrl));
    return 0;
  },
});

function formatStatus(r: StatusReport, url: string, controlUrl: string): string {
  const split =
    r.deployment.split.map((s) => `${s.version.slice(0, 8)} ${s.percent}%`).join(' · ') || 'nothing deployed';
  const rows = [...r.versions]
    .reverse()
    .map((v) => [
      v.id,
      v.percent === null ? '-' : `${v.percent}%`,
      v.requestsPerSecond.toFixed(1),
      `${(v.errorRate * 100).toFixed(2)}%`,
      v.createdAt.replace('T', ' ').slice(0, 19),
      (v.message ?? '').slice(0, 40),
    ]);
  const head = ['VERSION', 'TRAFFIC', 'REQ/S', 'ERRORS', 'CREATED', 'MESSAGE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return [
    `shipshape local${r.env ? ` (${r.env})` : ''}: running (pid ${r.pid}, up ${uptime(r.uptimeSeconds)})`,
    `  data plane   ${url}`,
    `  control API  ${controlUrl}`,
    `  deployment   ${split}${r.deployment.since ? ` (since ${r.deployment.since})` : ''}`,
    '',
    line(head),
    ...(rows.length ? rows.map(line) : ['  (no versions yet)']),
    '  req/s and errors over the last minute',
    '',
  ].join('\n');
}

function uptime(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h}h ${m}m` : m ? `${m}m ${seconds % 60}s` : `${seconds}s`;
}

/** `shipshape local start|stop|status`. */
export const localCommands = [startCommand, stopCommand, statusCommand];
