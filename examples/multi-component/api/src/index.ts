import { fault } from './fault';

export interface Env {
  DB: D1Database;
  CF_VERSION_METADATA?: { id: string };
}

interface Item {
  id: number;
  name: string;
  created_at: string;
}

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const response = await route(new URL(request.url), env);
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
    headers.set('x-version-id', versionOf(env));
    return new Response(response.body, { status: response.status, headers });
  },
} satisfies ExportedHandler<Env>;

async function route(url: URL, env: Env): Promise<Response> {
  if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (url.pathname === '/health') return health(env);
  if (fault.errorRate > 0 && Math.random() < fault.errorRate)
    throw new Error('FAULT=errors: injected failure');
  if (url.pathname === '/') return Response.json({ app: 'multi-api', version: versionOf(env) });
  if (url.pathname === '/api/items') return listItems(env, url);
  return Response.json({ error: 'not found' }, { status: 404 });
}

async function listItems(env: Env, url: URL): Promise<Response> {
  const limit = Math.min(Math.max(Number(url.searchParams.get('limit')) || 20, 1), 100);
  const { results } = await env.DB.prepare('SELECT id, name, created_at FROM items ORDER BY id LIMIT ?')
    .bind(limit)
    .all<Item>();
  // No version in the body: the web worker passes it on, and there it would name the wrong worker's version.
  return Response.json({ items: results });
}

async function health(env: Env): Promise<Response> {
  const version = versionOf(env);
  if (fault.unhealthy) return Response.json({ status: 'unhealthy', version }, { status: 503 });
  try {
    await env.DB.prepare('SELECT 1').first();
    return Response.json({ status: 'healthy', database: 'ok', version });
  } catch (err) {
    const database = err instanceof Error ? err.message : String(err);
    return Response.json({ status: 'unhealthy', database, version }, { status: 503 });
  }
}

function versionOf(env: Env): string {
  return env.CF_VERSION_METADATA?.id ?? 'unknown';
}
