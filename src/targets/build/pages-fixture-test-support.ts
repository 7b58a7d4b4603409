import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A small Pages project: a static site with `_headers`, `_redirects`, `_routes.json` and a 404 page, and Functions
 * under `/api` (a JSON route, a middleware that calls `next()`, a route reading the site through `env.ASSETS`).
 * `build` is a var and part of the home page, so two builds tell their versions apart.
 */
export function pagesSite(build: string): Record<string, string> {
  return {
    'wrangler.jsonc': JSON.stringify({
      name: 'pages-site',
      pages_build_output_dir: './dist',
      compatibility_date: '2025-09-01',
      vars: { BUILD: build },
    }),
    'shipshape.config.json': '{}\n',
    'dist/index.html': `<!doctype html><html lang="en"><title>Home</title><h1>Home ${build}</h1></html>\n`,
    'dist/about.html': '<!doctype html><html lang="en"><title>About</title><h1>About</h1></html>\n',
    'dist/404.html': '<!doctype html><html lang="en"><title>Not found</title><h1>Nothing here</h1></html>\n',
    'dist/_headers': '/*\n  X-Site: pages-fixture\n',
    'dist/_redirects': '/old /about 301\n',
    'dist/_routes.json': JSON.stringify({ version: 1, include: ['/api/*'], exclude: ['/api/static/*'] }),
    'dist/api/plain.txt': 'plain from assets',
    'dist/api/static/info.txt': 'static info',
    'functions/api/hello.ts':
      'export const onRequest = ({ env }: { env: { BUILD: string } }) =>\n  Response.json({ hello: "world", build: env.BUILD });\n',
    'functions/api/_middleware.ts':
      'export const onRequest = async ({ next }: { next: () => Promise<Response> }) => {\n  const res = await next();\n  const out = new Response(res.body, res);\n  out.headers.set("x-middleware", "api");\n  return out;\n};\n',
    'functions/api/about.ts':
      'export const onRequest = ({ request, env }: { request: Request; env: { ASSETS: { fetch: typeof fetch } } }) =>\n  env.ASSETS.fetch(new URL("/about", request.url));\n',
  };
}

/** Writes `files` into a new temp folder; `cleanup` removes it. */
export function writeProject(files: Record<string, string>): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-pages-'));
  writeFiles(dir, files);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes (or overwrites) files under `dir`, creating their folders. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}
