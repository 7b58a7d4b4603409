/**
 * A repository of three deployables with no wrangler config at its root, as an object map: an API worker with
 * /health, a web worker with static assets calling the API's worker through a service binding, and a Pages site
 * (static files only). A test fixture's wrangler config and a dependency's are there to be left out.
 */
export const THREE_COMPONENTS: Record<string, string> = {
  'package.json': '{ "name": "shop", "private": true }\n',
  'api/wrangler.jsonc': `// The API
{ "name": "shop-api", "main": "src/index.ts", "compatibility_date": "2025-09-01" }
`,
  'api/src/index.ts': `export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/health') return Response.json({ status: 'healthy', uptime: performance.now() });
    if (pathname === '/api/items') return Response.json([{ id: 1 }]);
    return new Response('not found', { status: 404 });
  },
};
`,
  'web/wrangler.jsonc': `{
  "name": "shop-web",
  "main": "src/index.ts",
  "compatibility_date": "2025-09-01",
  "assets": { "directory": "./public", "binding": "ASSETS" },
  "services": [{ "binding": "API", "service": "shop-api" }]
}
`,
  'web/src/index.ts': `interface Env {
  ASSETS: { fetch(request: Request): Promise<Response> };
  API: { fetch(request: Request): Promise<Response> };
}
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/health') return Response.json({ status: 'healthy' });
    if (pathname.startsWith('/api/')) return env.API.fetch(request);
    return env.ASSETS.fetch(request);
  },
};
`,
  'web/public/index.html': '<h1>Shop</h1><a href="/about.html">About</a>\n',
  'web/public/about.html': '<h1>About</h1>\n',
  'site/wrangler.jsonc':
    '{ "name": "shop-site", "pages_build_output_dir": "./public", "compatibility_date": "2025-09-01" }\n',
  'site/public/index.html': '<h1>Shop site</h1>\n',
  'fixtures/worker/wrangler.jsonc':
    '{ "name": "fixture", "main": "index.ts", "compatibility_date": "2025-09-01" }\n',
  'node_modules/dep/wrangler.toml': 'name = "dep"\nmain = "index.js"\ncompatibility_date = "2025-09-01"\n',
};

/** A wrangler config for a worker named `name` with entry src/index.ts. */
export function workerConfig(name: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name, main: 'src/index.ts', compatibility_date: '2025-09-01', ...extra });
}
