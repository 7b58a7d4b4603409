import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A down (rollback) file for one migration. */
export interface DownFile {
  path: string;
  sql: string;
}

/** One `NNNN_name.sql` migration file. */
export interface MigrationFile {
  /** File name, exactly as wrangler records it in d1_migrations. */
  name: string;
  number: number;
  path: string;
  sql: string;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
  down: DownFile | null;
}

/** A `.sql` file in the folder that is not a migration by name (wrangler would still apply it). */
export interface StrayFile {
  name: string;
  reason: 'bad-name' | 'down-beside';
}

export interface MigrationsDir {
  dir: string;
  files: MigrationFile[];
  strays: StrayFile[];
}

const DOWN_SUFFIX = '.down.sql';

/**
 * The number of a file named as documented, `NNNN_name.sql`: three digits or more (`0001` as wrangler writes,
 * `007` as older projects have), `_`, a name without spaces. wrangler would also number `3_bad.sql`
 * (`parseInt(name.split('_')[0])`), but such a file sorts out of place, so here it is a stray.
 */
export function migrationNumber(name: string): number | null {
  const match = /^(\d{3,})_[^\s/\\]+\.sql$/.exec(name);
  return match ? Number.parseInt(match[1], 10) : null;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads a migrations folder: `NNNN_name.sql` files sorted as wrangler sorts them, each with its down file
 * (`NNNN_name.down.sql` beside it, or `rollback/NNNN_*.sql`). A missing folder reads as empty.
 * @example readMigrationsDir('/app/migrations').files.map((f) => f.name) // ['0001_init.sql']
 */
export function readMigrationsDir(dir: string): MigrationsDir {
  if (!existsSync(dir)) return { dir, files: [], strays: [] };
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.sql'))
    .map((e) => e.name)
    .sort();
  const rollbackDir = join(dir, 'rollback');
  const rollbacks = existsSync(rollbackDir) ? readdirSync(rollbackDir).filter((n) => n.endsWith('.sql')) : [];
  const strays: StrayFile[] = [];
  const files: MigrationFile[] = [];
  for (const name of names) {
    if (name.endsWith(DOWN_SUFFIX)) {
      strays.push({ name, reason: 'down-beside' });
      continue;
    }
    const number = migrationNumber(name);
    if (number === null) {
      strays.push({ name, reason: 'bad-name' });
      continue;
    }
    const path = join(dir, name);
    const bytes = readFileSync(path);
    files.push({ name, number, path, sql: bytes.toString('utf8'), sha256: sha256(bytes), down: null });
  }
  files.sort((a, b) => a.number - b.number || (a.name < b.name ? -1 : 1));
  for (const file of files) {
    const beside = join(dir, file.name.slice(0, -'.sql'.length) + DOWN_SUFFIX);
    const inRollback = rollbacks.find((n) => migrationNumber(n) === file.number);
    const path = existsSync(beside) ? beside : inRollback ? join(rollbackDir, inRollback) : null;
    file.down = path ? { path, sql: readFileSync(path, 'utf8') } : null;
  }
  return { dir, files, strays };
}
