import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { ApiError } from './api-error.ts';
import { controlHandler } from './control-api.ts';
import { type DaemonInfo, isAlive, readDaemonInfo, readOrCreateToken } from './daemon-info.ts';
import { writeJsonFile } from './json-file.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import { statePaths } from './paths.ts';
import { LocalPlatform } from './platform.ts';
import { installRuntimeLauncher, reapRuntimes } from './runtime-processes.ts';

export interface DaemonOptions {
  projectDir: string;
  /** The wrangler environment this daemon serves (its own state, ports and runtime); null for production. */
  env?: string | null;
  /** The component this daemon serves (its own state under `.shipshape/components/<name>/`); null: none named. */
  component?: string | null;
  /** The served worker's folder (wrangler config, `.dev.vars`, its wrangler and workerd); default `projectDir`. */
  workerDir?: string;
  /** Data-plane port; 0 picks a free one. */
  port: number;
  controlPort: number;
  /** Where runtime output (worker logs, uncaught errors) goes. */
  output?: (text: string) => void;
  /**
   * In-process only (init's probe): the real project whose files `projectDir` links to. Uploads may then name
   * folders inside it (built assets), which the link tree resolves to.
   */
  linkedFrom?: string;
}

export interface RunningDaemon {
  info: DaemonInfo;
  platform: LocalPlatform;
  /** Resolves once the daemon has stopped (shutdown call, SIGTERM or close()). */
  stopped: Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs the local platform of one environment in this process: state from its folder (`.shipshape/local/` for
 * production), the router on the data-plane port, the control API on 127.0.0.1. Writes daemon.json once both
 * listen; removes it on stop. Runtimes a killed predecessor left are ended first.
 */
export async function runDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const env = options.env ?? null;
  const component = options.component ?? null;
  const workerDir = options.workerDir ?? options.projectDir;
  const paths = statePaths(options.projectDir, env, component);
  ownerOnly();
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  const existing = readDaemonInfo(paths);
  if (existing && existing.pid !== process.pid && isAlive(existing.pid)) {
    throw new ShipshapeError('LOCAL_ALREADY_RUNNING', {
      dir: options.projectDir,
      pid: existing.pid,
      url: existing.url,
      env,
      component,
    });
  }
  const reaped = reapRuntimes(paths);
  if (reaped.length) output(options)(`ended ${reaped.length} runtime(s) a stopped daemon left: ${reaped}\n`);
  const restoreRuntime = installRuntimeLauncher(paths, workerDir);
  const token = readOrCreateToken(paths);
  const write = output(options);
  let platform: LocalPlatform;
  try {
    platform = await LocalPlatform.open(options.projectDir, paths, write, workerDir);
    if (options.linkedFrom) platform.uploadRoots.push(options.linkedFrom);
  } catch (err) {
    restoreRuntime();
    if (err instanceof ApiError) throw new ShipshapeError(err.code, err.details);
    throw err;
  }
  const lease = new LeaseKeeper(paths, options.projectDir, write);
  let finish!: () => void;
  const stopped = new Promise<void>((r) => {
    finish = r;
  });
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      lease.close();
      await Promise.all([closeServer(data), closeServer(control)]);
      await platform.close();
      restoreRuntime();
      const info = readDaemonInfo(paths);
      if (info?.pid === process.pid) rmSync(paths.daemon, { force: true });
      finish();
    })();
    return closing;
  };
  const data = createServer((req, res) => {
    platform.router.handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err.message));
    });
  });
  data.keepAliveTimeout = 10_000;
  const control = createServer(controlHandler(platform, token, () => void close(), lease));
  try {
    await listen(data, options.port, { which: 'data plane', option: '--port', key: 'port', env, component });
    await listen(control, options.controlPort, {
      which: 'control API',
      option: '--control-port',
      key: 'controlPort',
      env,
      component,
    });
  } catch (err) {
    lease.close();
    await Promise.all([closeServer(data), closeServer(control)]);
    await platform.close();
    restoreRuntime();
    throw err;
  }
  const port = (data.address() as { port: number }).port;
  const controlPort = (control.address() as { port: number }).port;
  const info: DaemonInfo = {
    pid: process.pid,
    projectDir: options.projectDir,
    env,
    ...(component ? { component } : {}),
    port,
    controlPort,
    url: `http://127.0.0.1:${port}`,
    controlUrl: `http://127.0.0.1:${controlPort}`,
    startedAt: platform.startedAt.toISOString(),
  };
  writeJsonFile(paths.daemon, info);
  return { info, platform, stopped, close };
}

function output(options: DaemonOptions): (text: string) => void {
  return options.output ?? ((text: string) => process.stderr.write(text));
}

/**
 * Files the daemon and its runtime create (state, D1 and KV data, backups, the log) are readable by their
 * owner only. Worker threads cannot change the umask; the explicit modes of the state writers still apply.
 */
function ownerOnly(): void {
  try {
    process.umask(0o077);
  } catch {
    // a worker thread: explicit file modes still apply
  }
}

/** Listens on 127.0.0.1; a taken port is LOCAL_PORT_IN_USE naming the option and config key that choose it. */
function listen(
  server: Server,
  port: number,
  what: { which: string; option: string; key: string; env: string | null; component: string | null },
): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new ShipshapeError('LOCAL_PORT_IN_USE', { port, ...what }));
      else reject(err);
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}
