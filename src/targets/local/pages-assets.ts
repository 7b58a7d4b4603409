import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeWorker } from '../../toolchain/miniflare.ts';
import { PAGES_ASSETS_BINDING, pagesOutputOf } from '../build/pages-layout.ts';

/**
 * The runtime's assets for a Pages version (null for a worker's bundle): its static output behind the ASSETS
 * binding, with the generated entry called first for every request (it applies `_routes.json`). Miniflare reads
 * `_headers` and `_redirects` from the folder and applies them to every response the assets give.
 *
 * Not found as Pages does it: the nearest `404.html` when the site has one at its top level, else the site is taken
 * for a single-page application and unknown paths get `index.html`.
 */
export function pagesAssetOptions(bundleDir: string): Partial<RuntimeWorker> | null {
  const directory = pagesOutputOf(bundleDir);
  if (!directory) return null;
  return {
    assets: {
      directory,
      binding: PAGES_ASSETS_BINDING,
      run_worker_first: true,
      routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
      assetConfig: {
        html_handling: 'auto-trailing-slash',
        not_found_handling: existsSync(join(directory, '404.html')) ? '404-page' : 'single-page-application',
      },
    },
  } as Partial<RuntimeWorker>;
}
