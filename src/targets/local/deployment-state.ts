import type { Split } from '../target.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';

/** The split in force, persisted so a restart serves exactly what served before. */
export interface DeploymentState {
  worker: string | null;
  split: Split[];
  since: string | null;
  message: string | null;
}

export const EMPTY_DEPLOYMENT: DeploymentState = { worker: null, split: [], since: null, message: null };

export function readDeployment(path: string): DeploymentState {
  return readJsonFile(path, EMPTY_DEPLOYMENT, (value) => {
    const v = value as Partial<DeploymentState> | null;
    if (!v || !Array.isArray(v.split)) return 'expected {"split": [...]}';
    const bad = v.split.find((s) => typeof s?.version !== 'string' || typeof s?.percent !== 'number');
    return bad ? 'every split entry needs a version id and a percent' : null;
  });
}

export function writeDeployment(path: string, state: DeploymentState): void {
  writeJsonFile(path, state);
}
