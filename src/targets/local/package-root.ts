import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shipshape package root (holds package.json, bin/ and its own node_modules). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
