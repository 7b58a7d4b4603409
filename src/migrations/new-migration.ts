import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { readMigrationsDir } from './files.ts';
import { nextNumber } from './sequence.ts';

/**
 * Creates the next `NNNN_name.sql` in the folder (and `rollback/NNNN_name.sql`, the layout wrangler never
 * mistakes for a migration, with `down: true`). Returns the paths written.
 * @example newMigration('/app/migrations', 'add user email') // { up: '/app/migrations/0003_add_user_email.sql', down: … }
 */
export function newMigration(
  dir: string,
  name: string,
  options: { down?: boolean } = {},
): { up: string; down: string | null } {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (!slug || ![...slug].every((c) => /[a-z0-9_]/.test(c)))
    throw new ShipshapeError('MIGRATIONS_BAD_NAME', { name });
  const number = nextNumber(readMigrationsDir(dir).files);
  const file = `${number}_${slug}.sql`;
  mkdirSync(dir, { recursive: true });
  const up = join(dir, file);
  writeFileSync(up, `-- Migration number: ${number} \t ${new Date().toISOString()}\n`, { flag: 'wx' });
  if (options.down === false) return { up, down: null };
  const down = join(dir, 'rollback', file);
  mkdirSync(join(dir, 'rollback'), { recursive: true });
  if (!existsSync(down)) writeFileSync(down, `-- Undoes ${file}; run by "shipshape migrations rollback".\n`);
  return { up, down };
}
