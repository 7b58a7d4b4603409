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

/** A fresh request to the API: only method, path, query and body go through, never this request's pins. */
async function callApi(request: Request, url: URL, env: Env): Promise<Response> {
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const headers = new Headers({ accept: 'application/json' });
  const type = request.headers.get('content-type');
  if (type) headers.set('content-type', type);
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
