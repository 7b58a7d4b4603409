import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { BackupRef, SqlStatement } from '../target.ts';
import { ApiError, badRequest } from './api-error.ts';
import { dumpDatabase, isDump, restoreDatabase } from './d1-backup.ts';
import { callData, d1Batch } from './data-client.ts';
import type { Instance } from './instance.ts';
import { writeJsonFile } from './json-file.ts';
import type { LocalPlatform } from './platform.ts';

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

/** A consistent copy of the database (one D1 transaction), written under .shipshape/local/backups/. */
export function d1Backup(platform: LocalPlatform, body: Record<string, unknown>): Promise<BackupRef> {
  const label = String(body.label ?? 'backup')
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 60);
  return withData(platform, 'd1', body.databaseId, async (instance, id) => {
    const dump = await dumpDatabase((s) => d1Batch(instance, id, s));
    const createdAt = new Date().toISOString();
    const dir = join(platform.paths.backups, id.replace(/[^A-Za-z0-9_-]/g, '_'));
    mkdirSync(dir, { recursive: true });
    const ref = join(dir, `${createdAt.replace(/[:.]/g, '-')}-${label}.json`);
    writeJsonFile(ref, { ...dump, databaseId: id, createdAt });
    return { kind: 'sqlite-copy', ref, binding: String(body.binding ?? ''), createdAt };
  });
}

/** Puts a backup back in one transaction; the router keeps serving meanwhile. */
export function d1Restore(platform: LocalPlatform, body: Record<string, unknown>): Promise<{ ok: true }> {
  const ref = body.ref as BackupRef | undefined;
  if (!ref || typeof ref.ref !== 'string')
    throw badRequest('d1 restore', 'ref must be a BackupRef from backup()');
  const path = resolve(ref.ref);
  if (!path.startsWith(resolve(platform.paths.backups) + sep) || !existsSync(path)) {
    throw badRequest('d1 restore', `no backup at ${ref.ref}`);
  }
  const dump = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!isDump(dump)) throw badRequest('d1 restore', `${ref.ref} is not a shipshape D1 backup`);
  return withData(platform, 'd1', body.databaseId, async (instance, id) => {
    await restoreDatabase((s) => d1Batch(instance, id, s), dump);
    return { ok: true };
  });
}

export function kvOp(platform: LocalPlatform, op: string, body: Record<string, unknown>): Promise<unknown> {
  if (!['get', 'put', 'delete', 'list'].includes(op)) throw badRequest('kv', `unknown operation ${op}`);
  if (op !== 'list' && typeof body.key !== 'string') throw badRequest(`kv ${op}`, 'key must be a string');
  if (op === 'put' && typeof body.value !== 'string') throw badRequest('kv put', 'value must be a string');
  return withData(platform, 'kv', body.namespaceId, (i, id) =>
    callData(i, 'kv', id, op, { key: body.key, value: body.value, prefix: body.prefix }),
  );
}
