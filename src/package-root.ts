import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shipshape package root (where its package.json is). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
