import { join } from 'node:path';
import { ShipshapeError } from '../../errors/shipshape-error.ts';

/**
 * Where one environment of a project keeps its local platform: production (no `--env`) in
 * `<projectDir>/.shipshape/local/`, a named environment in `<projectDir>/.shipshape/local-envs/<env>/`. Each is
 * a world of its own: its daemon, ports, token, versions, deployment, D1 and KV files.
 */
export interface StatePaths {
  /** The wrangler environment this state belongs to; null for production. */
  env: string | null;
  root: string;
  token: string;
  daemon: string;
  deployment: string;
  versions: string;
  d1: string;
  kv: string;
  backups: string;
  log: string;
  startError: string;
  /** Pids of the workerd processes this world's daemons started (one per line), for reaping after a crash. */
  runtimePids: string;
  /** The launcher Miniflare runs instead of workerd, so workerd dies with its daemon. */
  runtimeLauncher: string;
}

/** Environment names become folder names: letters, digits, `_` and `-` only. */
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function statePaths(projectDir: string, env: string | null = null): StatePaths {
  if (env !== null && !ENV_NAME.test(env)) throw new ShipshapeError('LOCAL_ENV_NAME_INVALID', { env });
  const root = env
    ? join(projectDir, '.shipshape', 'local-envs', env)
    : join(projectDir, '.shipshape', 'local');
  return {
    env,
    root,
    token: join(root, 'token'),
    daemon: join(root, 'daemon.json'),
    deployment: join(root, 'deployment.json'),
    versions: join(root, 'versions'),
    d1: join(root, 'd1'),
    kv: join(root, 'kv'),
    backups: join(root, 'backups'),
    log: join(root, 'daemon.log'),
    startError: join(root, 'start-error.json'),
    runtimePids: join(root, 'runtime.pids'),
    runtimeLauncher: join(root, 'workerd-launcher.sh'),
  };
}

/** Files of one stored version. */
export function versionPaths(
  paths: StatePaths,
  id: string,
): { dir: string; meta: string; bundle: string; assets: string } {
  const dir = join(paths.versions, id);
  return { dir, meta: join(dir, 'version.json'), bundle: join(dir, 'bundle'), assets: join(dir, 'assets') };
}
