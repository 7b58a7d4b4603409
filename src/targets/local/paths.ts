import { join } from 'node:path';
import { ShipshapeError } from '../../errors/shipshape-error.ts';

/**
 * Where one environment of a project keeps its local platform: production (no `--env`) in
 * `<projectDir>/.shipshape/local/`, a named environment in `<projectDir>/.shipshape/local-envs/<env>/`. A project
 * with `components` keeps one such world per component under `.shipshape/components/<name>/` (same two folder
 * shapes below it). Each is a world of its own: its daemon, ports, token, versions, deployment, D1 and KV files.
 */
export interface StatePaths {
  /** The wrangler environment this state belongs to; null for production. */
  env: string | null;
  /** The component this world runs; null for a project without `components` (its one implicit worker). */
  component: string | null;
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

/** Environment and component names become folder names: letters, digits, `_` and `-` only. */
const FOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The state folders of one world: the project's environment `env` (null: production), of `component` (null: the
 * implicit one, which keeps the folders a project without `components` always had).
 * @example statePaths('/app', 'staging', 'api').root // '/app/.shipshape/components/api/local-envs/staging'
 */
export function statePaths(
  projectDir: string,
  env: string | null = null,
  component: string | null = null,
): StatePaths {
  if (env !== null && !FOLDER_NAME.test(env)) throw new ShipshapeError('LOCAL_ENV_NAME_INVALID', { env });
  if (component !== null && !FOLDER_NAME.test(component))
    throw new ShipshapeError('LOCAL_COMPONENT_NAME_INVALID', { component });
  const base = component
    ? join(projectDir, '.shipshape', 'components', component)
    : join(projectDir, '.shipshape');
  const root = env ? join(base, 'local-envs', env) : join(base, 'local');
  return {
    env,
    component,
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
