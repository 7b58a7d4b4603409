import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { WorkerConfig } from '../config/worker-config.ts';
import { findWranglerConfig, loadWorkerConfig } from '../config/wrangler.ts';
import { type ShipshapeError, toShipshapeError } from '../errors/shipshape-error.ts';

/** A folder below the project with its own wrangler config: one component for `init` to write. */
export interface FoundComponent {
  /** From the folder's name, lowercased to what `components[].name` allows; unique. */
  name: string;
  /** Relative to the project folder, with `/`. */
  dir: string;
  worker: WorkerConfig;
}

/** A wrangler config below the project that init leaves out, and why. */
export interface SkippedConfig {
  /** Relative path of the wrangler config. */
  file: string;
  reason: string;
  /** Why it did not load, when it did not (init throws the first when nothing else was found). */
  error?: ShipshapeError;
}

/** Folders never searched: dependencies, local state, build output (hidden folders are skipped too). */
const IGNORED = new Set(['node_modules', 'dist', 'build', 'out', 'coverage']);
/** Folders whose wrangler configs belong to tests or demos, not to the release. */
const NOT_DEPLOYED = /^(__)?(tests?|e2e|specs?|fixtures?|mocks?|examples?)(__)?$|fixture/i;
/** One and two levels down: `api/`, `web/`, `apps/*`, `workers/*`, `packages/*`. */
const DEPTH = 2;
const NAME_LENGTH = 63;

/**
 * The deployables of a repository whose own folder has no wrangler config: every folder one or two levels
 * down with a wrangler config (a folder with one is not searched further: what is below belongs to it), sorted
 * by path. Configs in test, fixture and example folders, and configs that do not load, are returned as `skipped`.
 * @example findComponents('/repo').found.map((c) => c.dir) // ['api', 'apps/web', 'site']
 */
export function findComponents(projectDir: string): { found: FoundComponent[]; skipped: SkippedConfig[] } {
  const found: Array<Omit<FoundComponent, 'name'>> = [];
  const skipped: SkippedConfig[] = [];
  const walk = (dir: string, depth: number, underFixture: boolean) => {
    for (const entry of subfolders(dir)) {
      const path = join(dir, entry);
      const fixture = underFixture || NOT_DEPLOYED.test(entry);
      const config = findWranglerConfig(path);
      if (!config) {
        if (depth < DEPTH) walk(path, depth + 1, fixture);
        continue;
      }
      const file = posix(relative(projectDir, config));
      if (fixture) {
        skipped.push({ file, reason: 'in a test, fixture or example folder' });
        continue;
      }
      try {
        found.push({ dir: posix(relative(projectDir, path)), worker: loadWorkerConfig(path, null) });
      } catch (err) {
        const error = toShipshapeError(err);
        skipped.push({ file, reason: `${error.code}: ${error.message.split('\n')[0]}`, error });
      }
    }
  };
  walk(projectDir, 1, false);
  found.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  return { found: withNames(found), skipped };
}

/**
 * A component name from a folder name: lowercase letters, digits and "-", starting with a letter or digit.
 * @example componentName('My_API') // 'my-api'
 */
export function componentName(folder: string): string {
  const slug = folder
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, NAME_LENGTH)
    .replace(/-+$/, '');
  return slug || 'component';
}

/** Names from the last folder; a name taken already gets its parent folder in front, then a number. */
function withNames(found: Array<Omit<FoundComponent, 'name'>>): FoundComponent[] {
  const taken = new Set<string>();
  return found.map((c) => {
    const parts = c.dir.split('/');
    let name = componentName(parts.at(-1) as string);
    if (taken.has(name) && parts.length > 1) name = componentName(parts.slice(-2).join('-'));
    const base = name;
    for (let n = 2; taken.has(name); n++) name = `${base.slice(0, NAME_LENGTH - String(n).length - 1)}-${n}`;
    taken.add(name);
    return { ...c, name };
  });
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !IGNORED.has(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function posix(path: string): string {
  return path.split(sep).join('/');
}
