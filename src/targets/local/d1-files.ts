import { createHash, createHmac } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Miniflare keeps every D1 database as a Durable Object of this class, one SQLite file per database id. */
const D1_UNIQUE_KEY = 'miniflare-D1DatabaseObject';

/** What SQLite keeps beside a database in WAL mode; copied and put back with it. */
export const SQLITE_SIDE_FILES = ['-wal', '-shm'] as const;

/**
 * The object id Miniflare derives from a D1 database id (its `durableObjectNamespaceIdFromName`, not exported):
 * the SQLite file is `<d1Persist>/miniflare-D1DatabaseObject/<this>.sqlite`.
 */
export function d1ObjectId(databaseId: string): string {
  const key = createHash('sha256').update(D1_UNIQUE_KEY).digest();
  const nameHmac = createHmac('sha256', key).update(databaseId).digest().subarray(0, 16);
  const hmac = createHmac('sha256', key).update(nameHmac).digest().subarray(0, 16);
  return Buffer.concat([nameHmac, hmac]).toString('hex');
}

/** The SQLite file holding one D1 database under Miniflare's D1 persist directory. */
export function d1SqlitePath(d1Persist: string, databaseId: string): string {
  return join(d1Persist, D1_UNIQUE_KEY, `${d1ObjectId(databaseId)}.sqlite`);
}

/**
 * Copies a database and its WAL/shared-memory files to `target` (+ the same suffixes). Call it only while no
 * process writes the database (the router holds requests and nothing is in flight): the set is then consistent,
 * and SQLite replays the WAL when the copy is opened. Returns the suffixes copied besides the main file.
 */
export function copyDatabaseFiles(source: string, target: string): string[] {
  if (!existsSync(source)) throw new Error(`no SQLite file at ${source}`);
  copyFileSync(source, target);
  const copied: string[] = [];
  for (const suffix of SQLITE_SIDE_FILES) {
    if (!existsSync(source + suffix)) continue;
    copyFileSync(source + suffix, target + suffix);
    copied.push(suffix);
  }
  return copied;
}

/**
 * Puts a copy back in place of `live` while no process has it open: main file and WAL are copied to a temp name
 * then renamed (a crash leaves the old or the new file, never half of one); a stale WAL or shared-memory file of
 * the replaced database is removed, since SQLite would otherwise read it with the restored file.
 */
export function putDatabaseFiles(copy: string, live: string): void {
  const temp = `${live}.restoring`;
  copyFileSync(copy, temp);
  const wal = existsSync(`${copy}-wal`);
  if (wal) copyFileSync(`${copy}-wal`, `${temp}-wal`);
  for (const suffix of SQLITE_SIDE_FILES) rmSync(live + suffix, { force: true });
  renameSync(temp, live);
  if (wal) renameSync(`${temp}-wal`, `${live}-wal`);
}

/** True when the file starts with SQLite's header ("SQLite format 3\0"). */
export function isSqliteFile(path: string): boolean {
  if (!existsSync(path)) return false;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    return head.toString('latin1') === 'SQLite format 3\u0000';
  } finally {
    closeSync(fd);
  }
}
