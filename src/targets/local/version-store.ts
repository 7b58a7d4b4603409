import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import type { WorkerSnapshot } from '../build/worker-snapshot.ts';
import type { Version } from '../target.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import { type StatePaths, versionPaths } from './paths.ts';

export type { WorkerSnapshot };

/** A version as the daemon stores it (version.json beside its bundle). */
export interface StoredVersion extends Version {
  tag: string | null;
  mainModule: string;
  settings: WorkerSnapshot;
}

/** How many versions stay on disk for rollback (the serving ones always stay). */
export const KEEP_VERSIONS = 10;

/** Versions on disk under `.shipshape/local/versions/<id>/`, each immutable once written. */
export class VersionStore {
  private readonly cache = new Map<string, StoredVersion>();

  constructor(private readonly paths: StatePaths) {
    mkdirSync(paths.versions, { recursive: true });
    for (const id of readdirSync(paths.versions)) {
      const meta = versionPaths(paths, id).meta;
      if (!existsSync(meta)) continue; // an upload that never finished: not a version
      const version = readJsonFile<StoredVersion>(meta, null as unknown as StoredVersion, checkVersion);
      this.cache.set(version.id, version);
    }
  }

  list(): StoredVersion[] {
    return [...this.cache.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  get(id: string): StoredVersion | undefined {
    return this.cache.get(id);
  }

  /** Copies the bundle (and assets) in, then writes version.json last: a crash leaves no half version. */
  add(version: StoredVersion, bundleDir: string, assetsDir: string | null): void {
    const files = versionPaths(this.paths, version.id);
    mkdirSync(files.dir, { recursive: true });
    cpSync(bundleDir, files.bundle, { recursive: true });
    if (assetsDir) cpSync(assetsDir, files.assets, { recursive: true });
    writeJsonFile(files.meta, version);
    this.cache.set(version.id, version);
  }

  /** Removes a version that failed its start-up check. */
  discard(id: string): void {
    rmSync(versionPaths(this.paths, id).dir, { recursive: true, force: true });
    this.cache.delete(id);
  }

  /** Keeps the newest KEEP_VERSIONS plus every version in `serving`. */
  prune(serving: Set<string>): void {
    const all = this.list();
    const old = all.slice(0, Math.max(0, all.length - KEEP_VERSIONS));
    for (const version of old) if (!serving.has(version.id)) this.discard(version.id);
  }

  dirs(id: string): { bundle: string; assets: string } {
    return versionPaths(this.paths, id);
  }
}

function checkVersion(value: unknown): string | null {
  const v = value as Partial<StoredVersion> | null;
  if (!v || typeof v !== 'object') return 'expected an object';
  if (typeof v.id !== 'string' || typeof v.mainModule !== 'string' || !v.settings) {
    return 'missing id, mainModule or settings';
  }
  return null;
}
