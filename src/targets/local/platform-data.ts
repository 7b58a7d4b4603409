import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { BackupRef, SqlStatement } from '../target.ts';
import { ApiError, badRequest } from './api-error.ts';
import { isDump, restoreDatabase } from './d1-backup.ts';
import { copyDatabaseFiles, d1SqlitePath, isSqliteFile, putDatabaseFiles } from './d1-files.ts';
import { callData, d1Batch } from './data-client.ts';
import type { Instance } from './instance.ts';
import type { LocalPlatform } from './platform.ts';
import { pruneBackups } from './prune-backups.ts';

/** D1 and KV operations of the control API, run by the data worker in the live instance. */
export async function withData<T>(
  platform: LocalPlatform,
  kind: 'd1' | 'kv',
  id: unknown,
  run: (instance: Instance, id: string) => Promise<T>,
): Promise<T> {
  if (typeof id !== 'string' || id === '')
    throw badRequest(`${kind} access`, `${kind === 'd1' ? 'databaseId' : 'namespaceId'} is required`);
  await platform.ensureBindings(kind, id);
  const live = await platform.router.acquire();
  if (!live)
    throw new ApiError(503, 'TARGET_UNAVAILABLE', {
      reason: 'the runtime is restarting',
      operation: `${kind} access`,
    });
  try {
    return await run(live.instance, id);
  } finally {
    platform.router.release(live.instance);
  }
}

export function d1Query(platform: LocalPlatform, body: Record<string, unknown>): Promise<unknown> {
  if (typeof body.sql !== 'string') throw badRequest('d1 query', 'sql must be a string');
  if (body.params !== undefined && !Array.isArray(body.params))
    throw badRequest('d1 query', 'params must be an array');
  return withData(platform, 'd1', body.databaseId, (i, id) =>
    callData(i, 'd1', id, 'query', { sql: body.sql, params: body.params ?? [] }),
  );
}

export function d1BatchOp(platform: LocalPlatform, body: Record<string, unknown>): Promise<unknown> {
  const statements = body.statements as SqlStatement[];
  if (!Array.isArray(statements) || statements.some((s) => typeof s?.sql !== 'string')) {
    throw badRequest('d1 batch', 'statements must be an array of {sql, params?}');
  }
  return withData(platform, 'd1', body.databaseId, async (i, id) => ({
    results: await d1Batch(i, id, statements),
  }));
}

/**
 * A consistent copy of the database's SQLite file(s) under .shipshape/local/backups/<id>/, taken while the
 * router holds arriving requests and none is in flight (the same hold as a traffic switch).
 */
export async function d1Backup(platform: LocalPlatform, body: Record<string, unknown>): Promise<BackupRef> {
  const label = String(body.label ?? 'backup')
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 60);
  // D1 creates its file on first use: touch the database so there is always a file to copy.
  await withData(platform, 'd1', body.databaseId, (i, id) =>
    callData(i, 'd1', id, 'query', { sql: 'SELECT 1', params: [] }),
  );
  const id = body.databaseId as string;
  const createdAt = new Date().toISOString();
  const dir = backupDir(platform, id);
  mkdirSync(dir, { recursive: true });
  const ref = join(dir, `${createdAt.replace(/[:.]/g, '-')}-${label}.sqlite`);
  const source = d1SqlitePath(platform.paths.d1, id);
  await platform.quiesced('d1 backup', false, () => copyDatabaseFiles(source, ref));
  pruneBackups(dir);
  return { kind: 'sqlite-copy', ref, binding: String(body.binding ?? ''), createdAt };
}

/**
 * Puts a backup back. A SQLite copy: requests held, workerd stopped, files replaced, workerd started again,
 * requests released (none fails). An older JSON dump is replayed in one D1 batch, as it was taken.
 */
export async function d1Restore(
  platform: LocalPlatform,
  body: Record<string, unknown>,
): Promise<{ ok: true }> {
  const ref = body.ref as BackupRef | undefined;
  if (!ref || typeof ref.ref !== 'string')
    throw badRequest('d1 restore', 'ref must be a BackupRef from backup()');
  if (typeof body.databaseId !== 'string' || body.databaseId === '')
    throw badRequest('d1 access', 'databaseId is required');
  const id = body.databaseId;
  const path = resolve(ref.ref);
  if (!path.startsWith(resolve(platform.paths.backups) + sep) || !existsSync(path)) {
    throw badRequest('d1 restore', `no backup at ${ref.ref}`);
  }
  if (path.endsWith('.json')) return restoreDump(platform, id, path, ref.ref);
  if (!isSqliteFile(path)) throw badRequest('d1 restore', `${ref.ref} is not a SQLite database file`);
  if (dirname(path) !== resolve(backupDir(platform, id))) {
    throw badRequest('d1 restore', `${ref.ref} is a backup of another database than ${id}`);
  }
  await platform.ensureBindings('d1', id);
  const live = d1SqlitePath(platform.paths.d1, id);
  mkdirSync(dirname(live), { recursive: true });
  await platform.quiesced('d1 restore', true, () => putDatabaseFiles(path, live));
  return { ok: true };
}

/** Backups taken before SQLite copies existed: a JSON dump replayed in one batch. */
function restoreDump(platform: LocalPlatform, databaseId: string, path: string, given: string) {
  const dump = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!isDump(dump)) throw badRequest('d1 restore', `${given} is not a shipshape D1 backup`);
  return withData(platform, 'd1', databaseId, async (instance, id) => {
    await restoreDatabase((s) => d1Batch(instance, id, s), dump);
    return { ok: true as const };
  });
}

function backupDir(platform: LocalPlatform, databaseId: string): string {
  return join(platform.paths.backups, databaseId.replace(/[^A-Za-z0-9_-]/g, '_'));
}

export function kvOp(platform: LocalPlatform, op: string, body: Record<string, unknown>): Promise<unknown> {
  if (!['get', 'put', 'delete', 'list'].includes(op)) throw badRequest('kv', `unknown operation ${op}`);
  if (op !== 'list' && typeof body.key !== 'string') throw badRequest(`kv ${op}`, 'key must be a string');
  if (op === 'put' && typeof body.value !== 'string') throw badRequest('kv put', 'value must be a string');
  return withData(platform, 'kv', body.namespaceId, (i, id) =>
    callData(i, 'kv', id, op, { key: body.key, value: body.value, prefix: body.prefix }),
  );
}
