import type { Miniflare, V4MiniflareOptions, V4WorkerOptions } from 'miniflare';
import { chooseWrangler, loadMiniflare, type WranglerInstall } from './wrangler.ts';

export type { V4MiniflareOptions as RuntimeOptions, V4WorkerOptions as RuntimeWorker };

const loaded = new Map<string, typeof import('miniflare')>();

/**
 * Starts workerd through the Miniflare that the project's wrangler brings (one workerd in the app). Options are
 * written in Miniflare's long-documented v4 shape and converted to the shape the running Miniflare takes.
 */
export function createRuntime(options: V4MiniflareOptions, projectDir = process.cwd()): Miniflare {
  const mf = miniflareFor(projectDir);
  return new mf.Miniflare(mf.convertV4MiniflareOptions(options));
}

/** The Miniflare module of the wrangler chosen for `projectDir` (cached per install). */
export function miniflareFor(projectDir: string): typeof import('miniflare') {
  const install = chooseWrangler(projectDir).use;
  if (!install) throw new Error(`no usable wrangler for ${projectDir}`);
  return miniflareOf(install);
}

function miniflareOf(install: WranglerInstall): typeof import('miniflare') {
  let mod = loaded.get(install.dir);
  if (!mod) {
    mod = loadMiniflare(install);
    loaded.set(install.dir, mod);
  }
  return mod;
}
