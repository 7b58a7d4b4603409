import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { assetLinks } from '../analysis/traffic-defaults.ts';
import type { WorkerConfig } from '../config/worker-config.ts';

/** The usual health endpoints, then the root. */
export const HEALTH_PATHS = ['/health', '/healthz', '/api/health', '/'];

/** A path no app routes: if it answers 2xx, the app answers everything (a catch-all page), so a 2xx proves little. */
export const UNROUTED_PATH = '/__shipshape-init-unrouted';

const SOURCE_EXT = new Set(['.ts', '.tsx', '.js', '.jsx', '.mjs', '.mts']);
const MAX_FILES = 40;
const MAX_FOUND = 8;

/**
 * Paths worth asking the app for, found cheaply: the usual health endpoints and the root, string literals that
 * look like routes (`'/api/items'`) in the entry module and the source files beside it, and the static assets'
 * index links; for a Pages project, its Functions' file routes and its output's index links. Paths with
 * parameters (`:id`, `*`, `${}`) are left out: there is nothing to ask for them.
 * @example candidatePaths(worker) // ['/health', '/healthz', '/api/health', '/', '/api/comments']
 */
export function candidatePaths(worker: WorkerConfig): string[] {
  // A Pages project routes by file: its entry is the functions/ folder, its static files the build output.
  const found = worker.pagesOutputDir
    ? [...functionRoutes(worker.main), ...assetLinks(worker.pagesOutputDir)]
    : [...routeLiterals(worker.main), ...assetLinks(worker.assets?.directory ?? null)];
  const extra = [...new Set(found)].filter((p) => !HEALTH_PATHS.includes(p)).slice(0, MAX_FOUND);
  return [...HEALTH_PATHS, ...extra, UNROUTED_PATH];
}

function routeLiterals(entry: string): string[] {
  const literal = /(['"`])(\/(?:api|v\d)\/[A-Za-z0-9_\-/.]*|\/[a-z][A-Za-z0-9_-]*)\1/g;
  const out: string[] = [];
  for (const file of sourceFiles(entry)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(literal)) {
      const path = m[2].replace(/\/+$/, '') || '/';
      // Import specifiers and file names are not routes.
      if (/\.(ts|js|mjs|json|css|html|png|svg)$/.test(path)) continue;
      out.push(path);
    }
  }
  return out;
}

/**
 * The routes of a Pages project's Functions, from their file names (`functions/api/ping.ts` → `/api/ping`,
 * `index.ts` → its folder); `[param]` files and `_middleware` route nothing to ask for.
 */
function functionRoutes(functionsDir: string): string[] {
  const routes: string[] = [];
  const walk = (dir: string, route: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      if (routes.length >= MAX_FILES || name.startsWith('.') || name.startsWith('_') || name.includes('['))
        continue;
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory() && depth < 3) walk(path, `${route}/${name}`, depth + 1);
      else if (stat.isFile() && SOURCE_EXT.has(extname(name)) && !/\.(test|d)\./.test(name)) {
        const base = name.slice(0, -extname(name).length);
        routes.push(base === 'index' ? route || '/' : `${route}/${base}`);
      }
    }
  };
  if (existsSync(functionsDir) && statSync(functionsDir).isDirectory()) walk(functionsDir, '', 0);
  return routes;
}

/** The entry module, then the source files in its folder and below (bounded). */
function sourceFiles(entry: string): string[] {
  if (!existsSync(entry) || !statSync(entry).isFile()) return [];
  const files = [entry];
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      if (files.length >= MAX_FILES || name === 'node_modules' || name.startsWith('.')) continue;
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory() && depth < 3) walk(path, depth + 1);
      else if (stat.isFile() && SOURCE_EXT.has(extname(name)) && path !== entry && !name.includes('.test.'))
        files.push(path);
    }
  };
  walk(dirname(entry), 0);
  return files;
}
