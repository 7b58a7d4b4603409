import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How a Pages version is laid out in its bundle folder, so it is uploaded, hashed, stored and started like any
 * worker version:
 *
 *     pages-entry.js      the entry (generated): `_routes.json` decides Functions or the static output
 *     functions/          the compiled Functions or `_worker.js` (absent for a static-only project)
 *     .pages-output/      the static output as built, `_headers` and `_redirects` included
 *
 * The static output lives in the bundle (a dot folder: never a module) so the bundle's hash covers the site, and a
 * version keeps the output it was built with even when the project's folder changes before the upload.
 */
export const PAGES_ENTRY = 'pages-entry.js';

/** Where `wrangler pages functions build --outdir` writes the compiled Functions (or `_worker.js`). */
export const PAGES_FUNCTIONS_DIR = 'functions';

/** The static output inside the bundle. */
export const PAGES_OUTPUT_DIR = '.pages-output';

/** The binding Pages gives Functions for the static output (`next()` and `env.ASSETS.fetch` reach it). */
export const PAGES_ASSETS_BINDING = 'ASSETS';

/** The static output of a Pages version's bundle; null for a worker's bundle. */
export function pagesOutputOf(bundleDir: string): string | null {
  const dir = join(bundleDir, PAGES_OUTPUT_DIR);
  return existsSync(dir) ? dir : null;
}
