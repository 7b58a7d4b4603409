import { join } from 'node:path';

/** Where a project's release state lives: `.shipshape/` beside the config. */
export function stateDir(projectDir: string): string {
  return join(projectDir, '.shipshape');
}

export function releasesDir(projectDir: string): string {
  return join(stateDir(projectDir), 'releases');
}

/** Actions that concern no release (flag changes, the emergency stop), for all environments of the project. */
export function actionsPath(projectDir: string): string {
  return join(stateDir(projectDir), 'actions.ndjson');
}

export function journalPath(projectDir: string, releaseId: string): string {
  return join(releasesDir(projectDir), `${releaseId}.ndjson`);
}

/** One lock per worker and environment: two deploys of the same worker never overlap. */
export function lockPath(projectDir: string, worker: string, env: string | null): string {
  return join(stateDir(projectDir), 'locks', `${worker}${env ? `.${env}` : ''}.lock.json`);
}

export function controlPath(projectDir: string, releaseId: string): string {
  return join(stateDir(projectDir), 'control', `${releaseId}.json`);
}
