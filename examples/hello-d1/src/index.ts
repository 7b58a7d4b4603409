import { emergencyStop, handleFlagsAdmin } from 'shipshape/flags';
import { fault } from './fault';
import { flags } from './flags';
import { greeting } from './greeting';
import { createItem, getItem, listItems } from './items';

export interface Env {
  DB: D1Database;
  FLAGS: KVNamespace;
  APP_NAME: string;
  /** Secret enabling PUT/GET /admin/flags (bearer token); the route answers 503 without it. */
  FLAGS_ADMIN_TOKEN?: string;
  CF_VERSION_METADATA?: { id: string };
}

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'none'",
};

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const response = await route(request, env, ctx);
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
    headers.set('x-version-id', versionId(env));
    return new Response(response.body, { status: response.status, headers });
  },
} satisfies ExportedHandler<Env>;

async function route(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const url = new URL(request.url);
  if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
  if (fault.errorRate > 0 && Math.random() < fault.errorRate && url.pathname !== '/health') {
    throw new Error('FAULT=errors: injected failure');
  }
  const admin = await handleFlagsAdmin(request, env, flags);
  if (admin) return admin;
  const current = await flags.load(env, ctx);
  // Health stays up during an emergency stop (the version is fine; an operator paused it) and says so.
  if (url.pathname === '/health') return health(env, current.emergencyStop);
  const stopped = emergencyStop(current);
  if (stopped) return stopped;
  if (url.pathname === '/api/greeting') return greeting(url, current);
  if (url.pathname === '/') return Response.json({ app: env.APP_NAME, version: versionId(env) });
  const match = /^\/api\/items(?:\/(\d+))?$/.exec(url.pathname);
  if (match) {
    if (match[1]) return request.method === 'GET' ? getItem(env.DB, Number(match[1])) : notAllowed();
    if (request.method === 'GET') return listItems(env.DB, url);
    if (request.method === 'POST') return createItem(env.DB, request);
    return notAllowed();
  }
  return Response.json({ error: 'not found' }, { status: 404 });
}

async function health(env: Env, stopped: boolean): Promise<Response> {
  if (fault.unhealthy)
    return Response.json({ status: 'unhealthy', version: versionId(env) }, { status: 503 });
  try {
    await env.DB.prepare('SELECT 1').first();
    return Response.json({
      status: 'healthy',
      database: 'ok',
      version: versionId(env),
      emergencyStop: stopped,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return Response.json(
      { status: 'unhealthy', database: message, version: versionId(env) },
      { status: 503 },
    );
  }
}

function versionId(env: Env): string {
  return env.CF_VERSION_METADATA?.id ?? 'unknown';
}

function notAllowed(): Response {
  return Response.json({ error: 'method not allowed' }, { status: 405 });
}
