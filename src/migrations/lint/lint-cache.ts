import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MigrationFile, sha256 } from '../files.ts';
import type { Finding } from './finding.ts';

/** Bump when rules or messages change: cached findings of an older linter are never reused. */
const CACHE_VERSION = 'lint-1';

/** What one lint of a folder leaves behind: per-file findings and the schema after the last file. */
export interface LintCache {
  version: string;
  /** Rolling hash per file: file k's findings depend on files 1..k only. */
  chain: string[];
  findings: Finding[][];
  schema: string[];
}

/** Rolling hashes over the files' names and contents, in order. */
export function chainOf(files: MigrationFile[]): string[] {
  let previous = CACHE_VERSION;
  return files.map((f) => {
    previous = sha256(`${previous}\u0000${f.name}\u0000${f.sha256}`);
    return previous;
  });
}

function cachePath(cacheDir: string, dir: string): string {
  return join(cacheDir, `migrations-lint-${sha256(dir).slice(0, 16)}.json`);
}

/**
 * The cached lint of the longest unchanged prefix of the folder (usually: every file but the new ones), or
 * null when the first file changed, the cache is from another linter, or it cannot be read.
 */
export function readLintCache(cacheDir: string, dir: string, chain: string[]): LintCache | null {
  const path = cachePath(cacheDir, dir);
  if (!existsSync(path)) return null;
  try {
    const cache = JSON.parse(readFileSync(path, 'utf8')) as LintCache;
    if (cache.version !== CACHE_VERSION || cache.chain.length > chain.length) return null;
    // The cached schema is the state after the cache's last file, so the whole cached chain must still hold.
    return cache.chain.every((h, k) => h === chain[k]) ? cache : null;
  } catch {
    return null;
  }
}

/** Writes the cache atomically (temp file + rename); a failure to write only costs speed next time. */
export function writeLintCache(cacheDir: string, dir: string, cache: Omit<LintCache, 'version'>): void {
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const path = cachePath(cacheDir, dir);
    // Like all of .shipshape/: the owner's only.
    writeFileSync(`${path}.tmp`, JSON.stringify({ version: CACHE_VERSION, ...cache }), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  } catch {
    // A read-only project still lints; it just replays every file next time.
  }
}
