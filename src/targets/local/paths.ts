import { join } from 'node:path';

/** Where one project's local platform keeps its state (`<projectDir>/.shipshape/local/`). */
export interface StatePaths {
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
}

export function statePaths(projectDir: string): StatePaths {
  const root = join(projectDir, '.shipshape', 'local');
  return {
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
