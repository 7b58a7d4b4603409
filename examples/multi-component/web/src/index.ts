export interface Env {
  /** The API component's worker (multi-api). */
  API: Fetcher;
  ASSETS: Fetcher;
  CF_VERSION_METADATA?: { id: string };
}

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const response = await route(request, env);
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
    // This worker's version, also on what the API answered: checks pinned to web see web's own version.
    headers.set('x-version-id', versionOf(env));
    return new Response(response.body, { status: response.status, headers });
  },
} satisfies ExportedHandler<Env>;

async function route(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === '/health') return Response.json({ status: 'healthy', version: versionOf(env) });
  if (url.pathname.startsWith('/api/')) return callApi(request, url, env);
  return env.ASSETS.fetch(request);
}

/**
 * A fresh request to the API: method, path, query and body, and the version pins. Cloudflare honours
 * Cloudflare-Workers-Version-Overrides on a service-binding call only when the caller sets it, so passing it on
 * lets a pinned request reach the API version released with this one.
 */
async function callApi(request: Request, url: URL, env: Env): Promise<Response> {
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const headers = new Headers({ accept: 'application/json' });
  for (const name of ['content-type', 'cloudflare-workers-version-overrides']) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  try {
    return await env.API.fetch(`https://multi-api${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return Response.json({ error: 'the API did not answer', reason }, { status: 502 });
  }
}

function versionOf(env: Env): string {
  return env.CF_VERSION_METADATA?.id ?? 'unknown';
}
