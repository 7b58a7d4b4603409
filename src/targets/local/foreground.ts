import { toShipshapeError } from '../../errors/shipshape-error.ts';
import { runDaemon } from './daemon.ts';
import { writeJsonFile } from './json-file.ts';
import { statePaths } from './paths.ts';

export interface ForegroundOptions {
  projectDir: string;
  /** The wrangler environment served; null for production. */
  env?: string | null;
  /** The component served; null for a project without `components`. */
  component?: string | null;
  /** The component's folder (wrangler config, `.dev.vars`); default `projectDir`. */
  workerDir?: string;
  port: number;
  controlPort: number;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  signal?: AbortSignal;
}

/**
 * Runs the local platform in this process until SIGTERM/SIGINT (or `signal`), for `local start --foreground`
 * and the detached daemon's own entry. A coded start failure (port in use, corrupt state) is written to
 * start-error.json, which the detached parent reads to report the same error, then thrown.
 */
export async function serveForeground(options: ForegroundOptions): Promise<number> {
  // Parsed source maps of the runtime's 4 MB bundle would stay resident for the daemon's whole life.
  process.setSourceMapsEnabled(false);
  let daemon: Awaited<ReturnType<typeof runDaemon>>;
  try {
    daemon = await runDaemon({
      projectDir: options.projectDir,
      env: options.env ?? null,
      component: options.component ?? null,
      workerDir: options.workerDir,
      port: options.port,
      controlPort: options.controlPort,
      output: (t) => options.stderr.write(t),
    });
  } catch (err) {
    const e = toShipshapeError(err);
    writeJsonFile(statePaths(options.projectDir, options.env ?? null, options.component ?? null).startError, {
      code: e.code,
      details: e.details,
    });
    throw e;
  }
  const stop = () => void daemon.close();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  options.signal?.addEventListener('abort', stop);
  options.stdout.write(
    `shipshape local${label(daemon.info)}: data plane ${daemon.info.url}, control API ${daemon.info.controlUrl} (pid ${process.pid})\n`,
  );
  await daemon.stopped;
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
  options.stdout.write('shipshape local: stopped\n');
  // Lingering keep-alive sockets must not keep a stopped daemon alive.
  setTimeout(() => process.exit(0), 3000).unref();
  return 0;
}

/** ` (api, staging)`: the component and environment a daemon serves, when it is not the implicit production one. */
function label(info: { env?: string | null; component?: string | null }): string {
  const named = [info.component, info.env].filter(Boolean).join(', ');
  return named ? ` (${named})` : '';
}
