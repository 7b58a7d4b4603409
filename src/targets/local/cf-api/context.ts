import type { IncomingHttpHeaders } from 'node:http';
import type { LocalPlatform } from '../platform.ts';
import type { AccountScripts } from './account-scripts.ts';
import type { AssetUploads } from './asset-uploads.ts';
import type { Imperfections } from './imperfections.ts';
import type { PagesSites } from './pages-sites.ts';
import type { CfStore } from './state.ts';

/** What every handler of the API stand-in reaches: the platform it drives and the API's own state. */
export interface CfContext {
  platform: LocalPlatform;
  store: CfStore;
  imperfections: Imperfections;
  /** Uploaded static files (Pages, Workers assets) and their upload tokens. */
  assets: AssetUploads;
  /** The Pages projects, each served by a platform and addresses of its own. */
  pages: PagesSites;
  /** The account's Workers: which platform runs each (`platform` above is the one of the route's `:script`). */
  scripts: AccountScripts;
}

/** One parsed request. `params` come from the route's `:name` segments. */
export interface CfRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type CfHandler = (ctx: CfContext, req: CfRequest) => Promise<unknown> | unknown;

/**
 * A route: method, a path below /client/v4 with `:name` segments, and its handler. `auth: 'upload-jwt'` routes
 * take an upload token (a JWT the API handed out) instead of the API token, and check it themselves. A route with
 * `:script` runs with that Worker's platform as `ctx.platform`.
 */
export interface CfRoute {
  method: string;
  path: string;
  handle: CfHandler;
  auth?: 'upload-jwt';
  /** The route makes its `:script` (the non-versioned upload): a new Worker gets its platform here. */
  createsScript?: boolean;
}

/** The bearer credential of a request (an upload JWT on `upload-jwt` routes). */
export function bearer(req: CfRequest): string | undefined {
  return /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
}

/** The request's body as a JSON object (`{}` when empty); 400 when it is not one. */
export function jsonBody(req: CfRequest): Record<string, unknown> {
  const text = req.body.toString('utf8').trim();
  if (text === '') return {};
  try {
    const value = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new JsonBodyError();
}

export class JsonBodyError extends Error {
  constructor() {
    super('the request body is not a JSON object');
  }
}
