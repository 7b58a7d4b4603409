import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** The shipshape package root (where its package.json is): one level above src/ or dist/. */
export const PACKAGE_ROOT = resolve(dirname(here), '..');

/** Where the running modules are (src/ from a checkout under a TypeScript loader, dist/ when compiled). */
export const MODULES_ROOT = dirname(here);

/** `.ts` when running from sources, `.js` when compiled: sibling entry points are named with it. */
export const MODULE_EXT = extname(here);
