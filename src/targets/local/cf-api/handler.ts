import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShipshapeError } from '../../../errors/shipshape-error.ts';
import { ApiError } from '../api-error.ts';
import type { LocalPlatform } from '../platform.ts';
import { AccountScripts } from './account-scripts.ts';
import { accountRoutes } from './accounts.ts';
import { AssetUploads } from './asset-uploads.ts';
import { CF_CODES } from './codes.ts';
import { type CfContext, type CfRoute, JsonBodyError } from './context.ts';
import { CronClock } from './cron-clock.ts';
import { d1Routes } from './d1.ts';
import { deploymentRoutes } from './deployments.ts';
import { CfError, envelope, Paged, RawAnswer, sendError, sendJson } from './envelope.ts';
import { graphqlRoutes } from './graphql.ts';
import { imperfectionsFromEnv, mergeImperfections } from './imperfections.ts';
import { kvRoutes } from './kv.ts';
import { pagesRoutes } from './pages.ts';
import { pagesAssetRoutes } from './pages-assets-api.ts';
import { PagesSites } from './pages-sites.ts';
import { r2Routes } from './r2.ts';
import { fireDue, scheduleRoutes } from './schedules.ts';
import { scriptDeleteRoutes } from './script-delete.ts';
import { secretRoutes } from './secrets.ts';
import { serviceRoutes } from './services.ts';
import { CfStore } from './state.ts';
import { workersAssetRoutes } from './workers-assets.ts';
import { versionRoutes } from './workers-versions.ts';

/** Where the stand-in answers, on the control API's port: `http://127.0.0.1:<control port>/client/v4`. */
export const CF_API_PREFIX = '/client/v4';

/** Largest body read: Cloudflare takes Worker bundles up to 10 MB compressed; uploads here are uncompressed. */
const BODY_LIMIT = 64 * 1024 * 1024;

interface Compiled {
  method: string;
  pattern: RegExp;
  names: string[];
  route: CfRoute;
}

/**
 * The part of Cloudflare's REST and GraphQL API that wrangler and shipshape use, answered by the local platform
 * itself: one handler file per API area, every answer in Cloudflare's envelope. The bearer token is the control
 * API's own; the account id is the one `GET /client/v4/accounts` lists.
 */
export function cloudflareApi(platform: LocalPlatform, token: string, env: NodeJS.ProcessEnv = process.env) {
  const store = new CfStore(platform.paths);
  const ctx: CfContext = {
    platform,
    store,
    imperfections: imperfectionsFromEnv(env),
    assets: new AssetUploads(join(platform.paths.root, 'cf-api-assets')),
    pages: new PagesSites(platform),
    scripts: new AccountScripts(platform, store),
  };
  const clock = new CronClock((minute) => fireDue(ctx, minute));
  clock.start();
  // The sites' and Workers' runtimes, and the cron triggers' clock, stop with the account's platform.
  platform.closing.push(
    async () => clock.stop(),
    () => ctx.pages.close(),
    () => ctx.scripts.close(),
  );
  const routes = [
    ...accountRoutes,
    ...serviceRoutes,
    ...versionRoutes,
    ...scriptDeleteRoutes,
    ...scheduleRoutes,
    ...deploymentRoutes,
    ...secretRoutes,
    ...graphqlRoutes,
    ...d1Routes,
    ...kvRoutes,
    ...r2Routes,
    ...workersAssetRoutes,
    ...pagesRoutes,
    ...pagesAssetRoutes,
    {
      method: 'PUT',
      path: '/_local/imperfections',
      handle: (c, r) => {
        try {
          c.imperfections = mergeImperfections(c.imperfections, JSON.parse(r.body.toString() || '{}'));
        } catch (err) {
          throw new CfError(400, 10021, (err as Error).message);
        }
        return c.imperfections;
      },
    } satisfies CfRoute,
    { method: 'GET', path: '/_local/imperfections', handle: (c) => c.imperfections } satisfies CfRoute,
  ].map(compile);
  const expected = createHash('sha256').update(token).digest();

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.slice(CF_API_PREFIX.length) || '/';
    try {
      let found: ReturnType<typeof match> | undefined;
      let unmatched: unknown;
      try {
        found = match(routes, req.method ?? 'GET', path);
      } catch (err) {
        unmatched = err;
      }
      if (found?.route.auth !== 'upload-jwt') authenticate(req, expected);
      if (!found) throw unmatched;
      if (found.params.account !== undefined && found.params.account !== ctx.store.state.accountId) {
        throw new CfError(403, CF_CODES.authentication, 'Authentication error');
      }
      if (!path.startsWith('/_local/')) await imperfect(ctx);
      const body = await readBody(req);
      // A route on one Worker acts on the platform that runs it (account-scripts.ts).
      const script = found.params.script;
      const scoped =
        script === undefined
          ? ctx
          : await ctx.scripts.context(ctx, script, found.route.createsScript === true);
      const answer = await found.route.handle(scoped, {
        method: req.method ?? 'GET',
        params: found.params,
        query: url.searchParams,
        headers: req.headers,
        body,
      });
      if (answer instanceof RawAnswer) {
        res.writeHead(answer.status, {
          'content-type': answer.contentType,
          'content-length': Buffer.byteLength(answer.body),
        });
        res.end(answer.body);
      } else if (answer instanceof Paged) sendJson(res, 200, envelope(answer.items, answer.info));
      else sendJson(res, 200, envelope(answer ?? null));
    } catch (err) {
      sendError(res, toCfError(err));
    }
  };
}

/**
 * As Cloudflare answers: no header is 400 9106, a header that is not `Bearer <token>` is 400 6003 "Invalid request
 * headers" caused by 6111, a wrong token 403 10000 (codes.ts says where each was checked).
 */
function authenticate(req: IncomingMessage, expected: Buffer): void {
  const header = req.headers.authorization;
  if (!header)
    throw new CfError(400, CF_CODES.missingAuth, 'Missing X-Auth-Key, X-Auth-Email or Authorization headers');
  const given = /^Bearer (.+)$/.exec(header)?.[1];
  if (!given) {
    throw new CfError(400, CF_CODES.invalidHeaders, 'Invalid request headers', {}, [
      { code: CF_CODES.invalidAuthorizationFormat, message: 'Invalid format for Authorization header' },
    ]);
  }
  if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected)) {
    throw new CfError(403, CF_CODES.authentication, 'Authentication error');
  }
}

async function imperfect(ctx: CfContext): Promise<void> {
  const i = ctx.imperfections;
  if (i.slowRate > 0 && Math.random() < i.slowRate) await sleep(i.slowMs);
  if (i.rateLimitRate > 0 && Math.random() < i.rateLimitRate) {
    throw new CfError(429, CF_CODES.rateLimited, 'Please wait and consider throttling your request speed', {
      'retry-after': String(i.retryAfterSeconds),
    });
  }
  if (i.serverErrorRate > 0 && Math.random() < i.serverErrorRate) {
    throw new CfError(i.serverErrorStatus, CF_CODES.unknownError, 'An unknown error has occurred.');
  }
}

function compile(route: CfRoute): Compiled {
  const names: string[] = [];
  const source = route.path.replace(/:([a-z_]+)/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { method: route.method, pattern: new RegExp(`^${source}/?$`), names, route };
}

function match(routes: Compiled[], method: string, path: string) {
  let pathKnown = false;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (r.method !== method) continue;
    const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    return { route: r.route, params };
  }
  // Cloudflare answers an unknown route with 7003 and a wrong method with 7001.
  if (pathKnown) throw new CfError(405, 7001, 'Method not allowed for this endpoint');
  throw new CfError(404, 7003, 'Could not route to ' + path + ', perhaps your object identifier is invalid?');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        reject(new CfError(413, 10027, `The request body is larger than ${BODY_LIMIT} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Platform errors keep their Cloudflare code when they carry one; anything else is a coded 5xx. */
function toCfError(err: unknown): CfError {
  if (err instanceof CfError) return err;
  if (err instanceof JsonBodyError)
    return new CfError(400, CF_CODES.malformedJson, 'Malformed JSON in request body');
  if (err instanceof ApiError || err instanceof ShipshapeError) {
    const details = (err as { details: Record<string, unknown> }).details;
    const code = typeof details.cloudflareCode === 'number' ? details.cloudflareCode : undefined;
    const status = err instanceof ApiError ? err.status : 400;
    const reason = String(details.reason ?? err.message);
    if (code) return new CfError(status, code, reason);
    if (status >= 500) return new CfError(status, CF_CODES.unknownError, reason);
    return new CfError(400, 10021, reason);
  }
  return new CfError(500, CF_CODES.unknownError, `An unknown error has occurred: ${(err as Error).message}`);
}
