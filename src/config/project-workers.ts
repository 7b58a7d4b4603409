import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findWranglerConfig, readWranglerFile } from './wrangler.ts';

/** Folders never searched for workers: dependencies, state and build output. */
const SKIP = new Set(['node_modules', '.git', '.shipshape', '.wrangler', 'dist', 'build', '.output']);

/** How deep below the project folder other workers' wrangler configs are looked for. */
export const SEARCH_DEPTH = 3;

/**
 * The folder of the project worker named `name` (a wrangler config whose top-level `name` matches), searched
 * breadth-first below `projectDir`; null when the project has no such worker.
 * @example projectWorkerDir('/app', 'auth') // '/app/workers/auth'
 */
export function projectWorkerDir(projectDir: string, name: string): string | null {
  let level = [projectDir];
  for (let depth = 0; depth <= SEARCH_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      const config = depth > 0 ? findWranglerConfig(dir) : null;
      if (config && nameOf(config) === name) return dir;
      for (const entry of safeList(dir)) {
        if (entry.isDirectory() && !SKIP.has(entry.name) && !entry.name.startsWith('.')) {
          next.push(join(dir, entry.name));
        }
      }
    }
    level = next;
  }
  return null;
}

function nameOf(configPath: string): string | null {
  try {
    const name = readWranglerFile(configPath).name;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

function safeList(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * The project worker a `services` entry names, and the wrangler environment to build it with: in `--env staging`,
 * "auth-staging" is worker "auth" built with its own `env.staging` (wrangler's naming), else the exact name.
 */
export function findProjectWorker(
  projectDir: string,
  service: string,
  env: string | null,
): { dir: string; env: string | null } | null {
  const suffix = env ? `-${env}` : null;
  if (suffix && service.endsWith(suffix)) {
    const dir = projectWorkerDir(projectDir, service.slice(0, -suffix.length));
    if (dir && hasEnv(dir, env as string)) return { dir, env };
  }
  const dir = projectWorkerDir(projectDir, service);
  if (!dir) return null;
  return { dir, env: env && hasEnv(dir, env) ? env : null };
}

function hasEnv(dir: string, env: string): boolean {
  const config = findWranglerConfig(dir);
  if (!config) return false;
  try {
    const envs = readWranglerFile(config).env as Record<string, unknown> | undefined;
    return Boolean(envs && env in envs);
  } catch {
    return false;
  }
}
