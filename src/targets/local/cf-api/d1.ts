import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { splitStatements } from '../../../sql/split.ts';
import { ApiError } from '../api-error.ts';
import { d1SqlitePath } from '../d1-files.ts';
import { d1Backup, d1BatchOp, d1Restore } from '../platform-data.ts';
import { CF_CODES } from './codes.ts';
import type { CfContext, CfRequest, CfRoute } from './context.ts';
import { jsonBody } from './context.ts';
import { CfError, invalid, paginate } from './envelope.ts';
import { type D1Info, databases } from './resources.ts';

const DB = '/accounts/:account/d1/database/:database';

/** D1's "database not found" (wrangler matches 7404). */
function notFound(id: string): CfError {
  return new CfError(404, CF_CODES.d1NotFound, `The database ${id} could not be found`);
}

/** D1's 7400, worded as D1 words it ("The request is malformed: failed to decode id"). */
function malformed(reason: string): CfError {
  return new CfError(400, CF_CODES.d1Malformed, `The request is malformed: ${reason}`);
}

function find(ctx: CfContext, idOrName: string): D1Info {
  const db = databases(ctx).find((d) => d.uuid === idOrName || d.name === idOrName);
  if (!db) throw notFound(idOrName);
  return db;
}

function dbJson(ctx: CfContext, db: D1Info) {
  const file = d1SqlitePath(ctx.platform.paths.d1, db.uuid);
  const size = existsSync(file) ? statSync(file).size : 0;
  return {
    uuid: db.uuid,
    name: db.name,
    version: 'production',
    created_at: ctx.platform.startedAt.toISOString(),
    file_size: size,
    num_tables: 0,
    running_in_region: 'LOCAL',
    read_replication: { mode: 'disabled' },
  };
}

type Statement = { sql: string; params?: unknown[] };

/** The statements of a `/query` or `/raw` body: `{sql, params}` (several `;`-separated statements run as one batch) or `{batch: [...]}`. */
function statements(body: Record<string, unknown>): Statement[] {
  if (Array.isArray(body.batch)) {
    return body.batch.map((s: Statement) => {
      if (!s || typeof s.sql !== 'string') throw malformed('each batch entry needs sql');
      return { sql: s.sql, params: Array.isArray(s.params) ? s.params : [] };
    });
  }
  if (typeof body.sql !== 'string') throw malformed('sql must be a string');
  if (body.params !== undefined && !Array.isArray(body.params)) throw malformed('params must be an array');
  const split = splitStatements(body.sql).statements.map((s) => s.text);
  if (split.length === 0) throw invalid('No SQL statements detected.', CF_CODES.d1QueryError);
  if (split.length > 1 && Array.isArray(body.params) && body.params.length > 0) {
    throw invalid('A query with parameters must hold a single statement', CF_CODES.d1QueryError);
  }
  return split.length === 1
    ? [{ sql: split[0], params: (body.params as unknown[]) ?? [] }]
    : split.map((sql) => ({ sql }));
}

/** Runs the statements as one D1 batch (all or nothing) in the live runtime; SQLite errors answer D1's 7500. */
async function run(ctx: CfContext, req: CfRequest, raw: boolean) {
  const db = find(ctx, req.params.database);
  const list = statements(jsonBody(req));
  const started = performance.now();
  let results: Array<Array<Record<string, unknown>>>;
  try {
    ({ results } = (await d1BatchOp(ctx.platform, { databaseId: db.uuid, statements: list })) as {
      results: Array<Array<Record<string, unknown>>>;
    });
  } catch (err) {
    if (err instanceof ApiError && err.status === 400)
      throw new CfError(400, CF_CODES.d1QueryError, `${String(err.details.reason)}: SQLITE_ERROR`);
    throw err;
  }
  const duration = (performance.now() - started) / list.length;
  return results.map((rows, i) => {
    const write = !/^\s*(select|pragma|explain|with)\b/i.test(list[i].sql);
    const meta = {
      served_by: 'shipshape-local',
      served_by_region: 'LOCAL',
      served_by_primary: true,
      duration,
      changes: 0,
      last_row_id: 0,
      changed_db: write,
      size_after: 0,
      rows_read: rows.length,
      rows_written: 0,
    };
    if (!raw) return { results: rows, success: true, meta };
    const columns = rows[0] ? Object.keys(rows[0]) : [];
    return { results: { columns, rows: rows.map((r) => columns.map((c) => r[c])) }, success: true, meta };
  });
}

// Time Travel: a bookmark names a SQLite backup of the database (the local platform's own backups).

function backupFiles(ctx: CfContext, id: string): Array<{ path: string; at: number }> {
  const dir = join(ctx.platform.paths.backups, id.replace(/[^A-Za-z0-9_-]/g, '_'));
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite'))
    .map((f) => {
      const stamp = f.slice(0, 24).replace(/^(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d)-(\d{3}Z)$/, '$1:$2:$3.$4');
      return { path: join(dir, f), at: Date.parse(stamp) };
    })
    .filter((b) => Number.isFinite(b.at))
    .sort((a, b) => a.at - b.at);
}

function bookmarkFor(ctx: CfContext, databaseId: string, ref: string, at: string): string {
  const found = Object.entries(ctx.store.state.bookmarks).find(([, b]) => b.ref === ref);
  if (found) return found[0];
  const seconds = Math.floor(Date.parse(at) / 1000)
    .toString(16)
    .padStart(8, '0');
  const hash = createHash('sha256').update(ref).digest('hex').slice(0, 32);
  const bookmark = `${seconds}-00000000-00000000-${hash}`;
  ctx.store.state.bookmarks[bookmark] = { databaseId, ref, at };
  ctx.store.save();
  return bookmark;
}

/** A bookmark for now (a fresh backup) or for `timestamp` (the newest backup taken at or before it). */
async function resolveBookmark(ctx: CfContext, db: D1Info, timestamp: string | null): Promise<string> {
  const wanted = timestamp ? Date.parse(timestamp) : Date.now();
  if (Number.isNaN(wanted)) throw malformed(`invalid timestamp ${timestamp}`);
  if (!timestamp || wanted >= Date.now() - 1000) {
    const ref = await d1Backup(ctx.platform, { databaseId: db.uuid, label: 'time-travel' });
    return bookmarkFor(ctx, db.uuid, ref.ref, ref.createdAt);
  }
  const before = backupFiles(ctx, db.uuid)
    .filter((b) => b.at <= wanted)
    .at(-1);
  if (!before)
    throw new CfError(
      400,
      CF_CODES.d1QueryError,
      `No bookmark found at or before ${timestamp}: the oldest local backup is newer`,
    );
  return bookmarkFor(ctx, db.uuid, before.path, new Date(before.at).toISOString());
}

async function bookmark(ctx: CfContext, req: CfRequest) {
  const db = find(ctx, req.params.database);
  return { bookmark: await resolveBookmark(ctx, db, req.query.get('timestamp')) };
}

async function restore(ctx: CfContext, req: CfRequest) {
  const db = find(ctx, req.params.database);
  const given = req.query.get('bookmark');
  const target =
    given ?? (req.query.get('timestamp') ? await resolveBookmark(ctx, db, req.query.get('timestamp')) : null);
  if (!target) throw malformed('bookmark or timestamp is required');
  const entry = ctx.store.state.bookmarks[target];
  if (!entry || entry.databaseId !== db.uuid || !existsSync(entry.ref)) {
    throw new CfError(
      400,
      CF_CODES.d1QueryError,
      `Bookmark ${target} is not a bookmark of database ${db.uuid} (or its backup was pruned)`,
    );
  }
  const previous = await resolveBookmark(ctx, db, null);
  await d1Restore(ctx.platform, {
    databaseId: db.uuid,
    ref: { kind: 'sqlite-copy', ref: entry.ref, binding: '', createdAt: entry.at },
  });
  return { bookmark: target, previous_bookmark: previous, message: 'Database restored successfully' };
}

/** `wrangler d1 create`: a new, empty database (D1's 7502 for a name the account already has). */
function create(ctx: CfContext, req: CfRequest) {
  const name = jsonBody(req).name;
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/i.test(name))
    throw malformed('name must be letters, digits and dashes');
  if (databases(ctx).some((d) => d.name === name))
    throw new CfError(400, CF_CODES.d1NameTaken, `A database with name ${name} already exists`);
  const uuid = randomUUID();
  const createdOn = new Date().toISOString();
  ctx.store.state.d1[uuid] = { name, createdOn };
  ctx.store.save();
  return { uuid, name, created_at: createdOn, version: 'production' };
}

export const d1Routes: CfRoute[] = [
  { method: 'POST', path: '/accounts/:account/d1/database', handle: create },
  {
    method: 'GET',
    path: '/accounts/:account/d1/database',
    handle: (ctx, req) => {
      const name = req.query.get('name');
      const list = databases(ctx).filter((d) => !name || d.name === name);
      return paginate(
        list.map((d) => dbJson(ctx, d)),
        req.query,
        1000,
        10000,
      );
    },
  },
  { method: 'GET', path: DB, handle: (ctx, req) => dbJson(ctx, find(ctx, req.params.database)) },
  { method: 'POST', path: `${DB}/query`, handle: (ctx, req) => run(ctx, req, false) },
  { method: 'POST', path: `${DB}/raw`, handle: (ctx, req) => run(ctx, req, true) },
  { method: 'GET', path: `${DB}/time_travel/bookmark`, handle: bookmark },
  { method: 'POST', path: `${DB}/time_travel/restore`, handle: restore },
];
