import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Backups kept per database: each is a full copy of it, so they are not kept forever. */
export const KEEP_BACKUPS = 10;

/**
 * Deletes all but the newest `keep` backups in one database's backup folder (names start with their time, so
 * they sort by age), with their -wal/-shm companions. Returns the paths removed.
 */
export function pruneBackups(dir: string, keep = KEEP_BACKUPS): string[] {
  if (!existsSync(dir)) return [];
  const backups = readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite') || f.endsWith('.json'))
    .sort();
  const removed: string[] = [];
  for (const name of backups.slice(0, Math.max(0, backups.length - keep))) {
    for (const file of [name, `${name}-wal`, `${name}-shm`]) {
      const path = join(dir, file);
      if (existsSync(path)) {
        rmSync(path, { force: true });
        removed.push(path);
      }
    }
  }
  return removed;
}
