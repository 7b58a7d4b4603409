import { spawn } from 'node:child_process';
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ErrorCode } from '../../errors/catalogue.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { MODULE_EXT, MODULES_ROOT } from '../../package-root.ts';
import { ControlClient } from './control-client.ts';
import { daemonEnv } from './daemon-env.ts';
import { type DaemonInfo, isAlive, readDaemonInfo, readToken } from './daemon-info.ts';
import { statePaths } from './paths.ts';
import { reapRuntimes } from './runtime-processes.ts';

export interface Connection {
  info: DaemonInfo;
  client: ControlClient;
  /** True when this call started the daemon. */
  started?: boolean;
}

/** How long a detached start may take before it is called failed. */
const START_TIMEOUT_MS = 60_000;

/**
 * Connects to the running daemon of the project's environment (null: production) and component (null: a project
 * without `components`), or null when none answers.
 */
export async function connect(
  projectDir: string,
  envName: string | null = null,
  component: string | null = null,
): Promise<Connection | null> {
  const paths = statePaths(projectDir, envName, component);
  const info = readDaemonInfo(paths);
  const token = readToken(paths);
  if (!info || !token || !isAlive(info.pid)) return null;
  const client = new ControlClient(info.controlUrl, token);
  try {
    const health = await client.call<{ env?: string | null; component?: string | null }>(
      'GET',
      '/health',
      undefined,
      5000,
    );
    // Another world's daemon on ports this one recorded (it restarted elsewhere meanwhile) is not ours.
    if ((health?.env ?? null) !== envName || (health?.component ?? null) !== component) return null;
    return { info, client };
  } catch {
    return null;
  }
}

export interface StartOptions {
  projectDir: string;
  /** The wrangler environment to serve (its own daemon, state and ports); null or absent for production. */
  envName?: string | null;
  /** The component to serve (its own daemon, state and ports); null or absent for a project without `components`. */
  component?: string | null;
  /** The folder of the served worker's wrangler config, `.dev.vars` and migrations; default `projectDir`. */
  workerDir?: string;
  port: number;
  controlPort: number;
  /** The deploying process's environment; the daemon gets only what it needs from it (see daemonEnv). */
  env?: Record<string, string | undefined>;
}

/**
 * Starts the daemon detached (`node --import tsx daemon-entry.ts`, output to daemon.log, mode 0600: it holds
 * the worker's own logs) and waits until its control API answers. A coded start failure (port in use, corrupt
 * state) is rethrown as is.
 */
export async function startDetached(options: StartOptions): Promise<Connection> {
  const envName = options.envName ?? null;
  const component = options.component ?? null;
  const paths = statePaths(options.projectDir, envName, component);
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  rmSync(paths.startError, { force: true });
  const log = openSync(paths.log, 'a', 0o600);
  fchmodSync(log, 0o600);
  const args = [
    // A small young generation keeps the long-lived daemon's resident memory low at a negligible GC cost.
    '--max-semi-space-size=2',
    // The daemon's own entry loads only its modules (not the whole CLI): lower resident memory. From a checkout's
    // sources (tests) it needs the TypeScript loader; the installed package is compiled and needs none.
    ...(MODULE_EXT === '.ts'
      ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
      : []),
    join(MODULES_ROOT, 'targets', 'local', `daemon-entry${MODULE_EXT}`),
    '--cwd',
    options.projectDir,
    ...(envName ? ['--env', envName] : []),
    ...(component ? ['--component', component] : []),
    ...(options.workerDir && options.workerDir !== options.projectDir ? ['--dir', options.workerDir] : []),
    '--port',
    String(options.port),
    '--control-port',
    String(options.controlPort),
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.projectDir,
    detached: true,
    stdio: ['ignore', log, log],
    env: daemonEnv({ ...process.env, ...(options.env ?? {}) }),
  });
  closeSync(log);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? 1;
  });
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    if (exited !== null) throw startFailure(paths.startError, paths.log, `it exited with code ${exited}`);
    const info = existsSync(paths.daemon) ? readDaemonInfo(paths) : null;
    if (info?.pid === child.pid) {
      const connection = await connect(options.projectDir, envName, component);
      if (connection) return { ...connection, started: true };
    }
  }
  if (child.pid) process.kill(child.pid, 'SIGTERM');
  throw new ShipshapeError('LOCAL_DAEMON_START_FAILED', { reason: 'no answer within 60 s', log: paths.log });
}

function startFailure(errorFile: string, log: string, reason: string): ShipshapeError {
  if (existsSync(errorFile)) {
    try {
      const { code, details } = JSON.parse(readFileSync(errorFile, 'utf8')) as {
        code: ErrorCode;
        details: Record<string, unknown>;
      };
      return new ShipshapeError(code, details);
    } catch {
      // fall through to the generic failure
    }
  }
  return new ShipshapeError('LOCAL_DAEMON_START_FAILED', { reason, log });
}

/**
 * Stops the daemon of the project's environment (null: production) and component (null: a project without
 * `components`): asks it to shut down, then waits for the process to end. Runtimes a killed daemon left behind
 * are ended too.
 */
export async function stopDaemon(
  projectDir: string,
  envName: string | null = null,
  component: string | null = null,
): Promise<DaemonInfo | null> {
  const paths = statePaths(projectDir, envName, component);
  const info = readDaemonInfo(paths);
  if (!info || !isAlive(info.pid)) {
    if (info) rmSync(paths.daemon, { force: true });
    reapRuntimes(paths);
    return null;
  }
  const token = readToken(paths);
  try {
    if (!token) throw new Error('no token');
    await new ControlClient(info.controlUrl, token).call('POST', '/shutdown', {}, 5000);
  } catch {
    if (info.pid !== process.pid) process.kill(info.pid, 'SIGTERM');
  }
  const deadline = Date.now() + 30_000;
  // A daemon running inside this very process (tests) is gone when its daemon.json is.
  const running = () => (info.pid === process.pid ? existsSync(paths.daemon) : isAlive(info.pid));
  while (running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (info.pid !== process.pid && isAlive(info.pid)) {
    process.kill(info.pid, 'SIGKILL');
    reapRuntimes(paths);
  }
  return info;
}
