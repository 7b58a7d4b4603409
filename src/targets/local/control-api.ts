import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { catalogue } from '../../errors/catalogue.ts';
import type { ErrorEntry } from '../../errors/shipshape-error.ts';
import { ApiError, badRequest } from './api-error.ts';
import { CF_API_PREFIX, cloudflareApi } from './cf-api/handler.ts';
import { checkUpload, readJsonBody } from './control-input.ts';
import type { LeaseKeeper } from './lease-keeper.ts';
import type { LocalPlatform, UploadRequest } from './platform.ts';
import { d1Backup, d1BatchOp, d1Query, d1Restore, kvOp } from './platform-data.ts';
import { statusReport } from './status.ts';

type Body = Record<string, unknown>;
type Handler = (body: Body, query: URLSearchParams) => Promise<unknown> | unknown;

/** Injected failures for tests: the next `times` calls of `operation` answer `status`. */
interface Fault {
  status: number;
  times: number;
}

/**
 * The control API (127.0.0.1 only): every call needs the bearer token, compared in constant time. Bodies are
 * bounded (control-input.ts) and every bad request gets a coded 4xx.
 * Errors answer `{error: {code, message, hint, details}}` so the client rebuilds the same coded error.
 */
export function controlHandler(
  platform: LocalPlatform,
  token: string,
  onShutdown: () => void,
  lease?: LeaseKeeper,
) {
  const faults = new Map<string, Fault>();
  const routes: Record<string, Handler> = {
    'GET /health': () => ({
      ok: true,
      pid: process.pid,
      projectDir: platform.projectDir,
      env: platform.paths.env,
      component: platform.paths.component,
      startedAt: platform.startedAt,
    }),
    'GET /status': () => statusReport(platform),
    'POST /upload': (b) => {
      checkUpload(b, platform.projectDir, platform.paths.env, platform.uploadRoots);
      // Only the Cloudflare API's non-versioned deploy may skip the gradual-migration guard, never a control call.
      const { atOnce: _atOnce, ...request } = b as unknown as UploadRequest;
      return platform.upload(request);
    },
    'POST /traffic': async (b) => {
      await platform.setTraffic(b.split, typeof b.message === 'string' ? b.message : null);
      return platform.deployment();
    },
    'GET /deployment': () => platform.deployment(),
    'GET /versions': () => platform.versions(),
    'GET /metrics': (_b, q) => metrics(platform, q),
    'GET /d1/times': (_b, q) => d1Times(platform, q),
    'POST /d1/query': (b) => d1Query(platform, b),
    'POST /d1/batch': (b) => d1BatchOp(platform, b),
    'POST /d1/backup': (b) => d1Backup(platform, b),
    'POST /d1/restore': (b) => d1Restore(platform, b),
    'POST /kv/get': (b) => kvOp(platform, 'get', b),
    'POST /kv/put': (b) => kvOp(platform, 'put', b),
    'POST /kv/delete': (b) => kvOp(platform, 'delete', b),
    'POST /kv/list': (b) => kvOp(platform, 'list', b),
    'POST /faults': (b) => setFaults(faults, b),
    // The release lease: the daemon takes the release over when renewals stop (lease-keeper.ts).
    'GET /lease': () => lease?.current() ?? null,
    'POST /lease/acquire': (b) => leaseOf(lease).acquire(b),
    'POST /lease/renew': (b) => leaseOf(lease).renew(b),
    'POST /lease/release': (b) => leaseOf(lease).release(b),
    'POST /scheduled': (b) => platform.scheduled(optionalString(b, 'cron'), optionalString(b, 'version')),
    'POST /shutdown': () => {
      setImmediate(onShutdown);
      return { ok: true };
    },
  };
  const expected = createHash('sha256').update(token).digest();

  // Cloudflare's REST/GraphQL API, answered by this platform: same port and token, Cloudflare's own envelope.
  const cloudflare = cloudflareApi(platform, token);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === CF_API_PREFIX || url.pathname.startsWith(`${CF_API_PREFIX}/`))
      return cloudflare(req, res);
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected)) {
      return send(res, 401, {
        error: { code: 'LOCAL_UNAUTHORIZED', message: 'missing or wrong bearer token' },
      });
    }
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) {
      const known = Object.keys(routes).some((r) => r.endsWith(` ${url.pathname}`));
      return sendError(
        res,
        new ApiError(known ? 405 : 404, 'LOCAL_BAD_REQUEST', {
          operation: `${req.method} ${url.pathname}`,
          reason: known ? 'this method is not allowed here' : 'no such route',
        }),
      );
    }
    const fault = faults.get(url.pathname.slice(1).split('/')[0]);
    if (fault && fault.times > 0) {
      fault.times--;
      return send(res, fault.status, {
        error: { code: 'TARGET_UNAVAILABLE', message: `injected fault ${fault.status}` },
      });
    }
    try {
      // Fencing: a change made under an older lease generation is refused; no header is the operator's own call.
      const generation = req.headers[LEASE_HEADER];
      if (lease && typeof generation === 'string' && !url.pathname.startsWith('/lease/'))
        lease.check(Number(generation));
      const body = req.method === 'POST' ? await readJsonBody(req) : {};
      send(res, 200, { result: (await route(body, url.searchParams)) ?? null });
    } catch (err) {
      sendError(
        res,
        err instanceof ApiError ? err : new ApiError(500, 'INTERNAL', { message: (err as Error).message }),
      );
    }
  };
}

/** The header a lease holder's requests carry: its generation. */
export const LEASE_HEADER = 'x-shipshape-lease';

function leaseOf(lease: LeaseKeeper | undefined): LeaseKeeper {
  if (!lease) throw badRequest('lease', 'this platform keeps no release lease');
  return lease;
}

function sendError(res: ServerResponse, e: ApiError): void {
  const entry = (catalogue[e.code] as (c: Record<string, unknown>) => ErrorEntry)(e.details);
  send(res, e.status, {
    error: { code: e.code, message: entry.message, hint: entry.hint, details: e.details },
  });
}

function metrics(platform: LocalPlatform, q: URLSearchParams) {
  const version = q.get('version');
  if (!version) throw badRequest('metrics', 'version is required');
  const { since, until } = span('metrics', q);
  return platform.metrics.window(version, since, until);
}

function span(operation: string, q: URLSearchParams): { since: Date; until: Date } {
  const since = new Date(q.get('since') ?? '');
  const until = new Date(q.get('until') ?? '');
  if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime()))
    throw badRequest(operation, 'since and until must be ISO times');
  if (until < since) throw badRequest(operation, 'until is before since');
  return { since, until };
}

/** A database's query times over a span, read as a window of `platform.d1Times` (the database id as version). */
function d1Times(platform: LocalPlatform, q: URLSearchParams) {
  const databaseId = q.get('databaseId');
  if (!databaseId) throw badRequest('d1 times', 'databaseId is required');
  const { since, until } = span('d1 times', q);
  const w = platform.d1Times.window(databaseId, since, until);
  return { databaseId, queries: w.requests, p50: w.p50, p95: w.p95 };
}

function setFaults(faults: Map<string, Fault>, body: Body) {
  for (const [operation, value] of Object.entries(body)) {
    const f = value as Partial<Fault>;
    if (!f || !Number.isInteger(f.status) || (f.status as number) < 400 || (f.status as number) > 599) {
      throw badRequest('faults', `${operation}.status must be an HTTP error status`);
    }
    faults.set(operation, {
      status: f.status as number,
      times: Number.isInteger(f.times) ? (f.times as number) : 1,
    });
  }
  return Object.fromEntries(faults);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A string field of a JSON body, or null when absent. */
function optionalString(body: unknown, key: string): string | null {
  const value = (body as Record<string, unknown> | null)?.[key];
  return typeof value === 'string' && value ? value : null;
}
