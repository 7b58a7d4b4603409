import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { WorkerConfig } from '../../config/worker-config.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { WranglerInstall } from '../../toolchain/wrangler.ts';
import { guessBuild } from './build-process.ts';
import { pagesEntrySource } from './pages-entry.ts';
import { compileFunctions, isDirectory } from './pages-functions.ts';
import { PAGES_ENTRY, PAGES_FUNCTIONS_DIR, PAGES_OUTPUT_DIR } from './pages-layout.ts';
import { ALL_ROUTES, readPagesRoutes } from './pages-routes.ts';

/** Never part of the served output, as `wrangler pages deploy` leaves them out (plus shipshape's own state). */
const TOP_LEVEL_IGNORED = new Set(['_worker.js', '_routes.json', 'functions', '.wrangler', '.shipshape']);
const IGNORED_ANYWHERE = new Set(['.DS_Store', 'node_modules', '.git']);

/**
 * Builds a Pages project into `bundleDir` (see pages-layout.ts): its code is compiled by the chosen wrangler (see
 * pages-functions.ts), the static output is copied in, and the entry is generated with the routes of the output's
 * `_routes.json`, else the ones wrangler generated from `functions/`, else every path. Returns the entry's name.
 */
export async function buildPages(
  wrangler: WranglerInstall,
  worker: WorkerConfig,
  bundleDir: string,
  outdir: string,
  env: Record<string, string | undefined>,
): Promise<string> {
  const output = worker.pagesOutputDir as string;
  if (!isDirectory(output)) {
    throw new ShipshapeError('PAGES_OUTPUT_NOT_BUILT', {
      dir: relative(worker.projectDir, output) || '.',
      command: guessBuild(worker.projectDir),
    });
  }
  mkdirSync(bundleDir, { recursive: true });
  const code = await compileFunctions(wrangler, worker, join(bundleDir, PAGES_FUNCTIONS_DIR), outdir, env);
  const routes = code && {
    module: `./${PAGES_FUNCTIONS_DIR}/${code.module}`,
    routes:
      readPagesRoutes(join(output, '_routes.json')) ??
      (code.routesFile ? readPagesRoutes(code.routesFile) : null) ??
      ALL_ROUTES,
  };
  cpSync(output, join(bundleDir, PAGES_OUTPUT_DIR), {
    recursive: true,
    // A project whose files link elsewhere (init's probe) still gets the files themselves.
    dereference: true,
    filter: (src) => served(relative(output, src)),
  });
  writeFileSync(join(bundleDir, PAGES_ENTRY), pagesEntrySource(routes));
  return PAGES_ENTRY;
}

function served(path: string): boolean {
  if (path === '') return true;
  return !TOP_LEVEL_IGNORED.has(path.split(sep)[0]) && !IGNORED_ANYWHERE.has(basename(path));
}
