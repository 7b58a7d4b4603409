import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The example's routes on the real Workers runtime: bundled by wrangler as a deploy would, run by Miniflare
// with a real D1 (migrations applied) and KV.
const APP = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(join(tmpdir(), 'hello-d1-routes-'));
let mf: Miniflare;

async function call(path: string, init?: RequestInit) {
  const res = await mf.dispatchFetch(`http://example.test${path}`, init as never);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  const wrangler = join(APP, '..', '..', 'node_modules', '.bin', 'wrangler');
  execFileSync(
    wrangler,
    ['deploy', '--dry-run', '--outdir', out, '--env=', '--config', join(APP, 'wrangler.jsonc')],
    {
      cwd: APP,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', FAULT: '' },
      stdio: 'pipe',
    },
  );
  mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      modulesRoot: out,
      scriptPath: join(out, 'index.js'),
      compatibilityDate: '2025-09-01',
      d1Databases: { DB: 'routes-test' },
      kvNamespaces: { FLAGS: 'routes-test-kv' },
      bindings: { APP_NAME: 'hello-d1', CF_VERSION_METADATA: { id: 'v-test', tag: '', timestamp: '' } },
    }),
  );
  const db = await mf.getD1Database('DB');
  for (const file of readdirSync(join(APP, 'migrations'))
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const sql = readFileSync(join(APP, 'migrations', file), 'utf8').replace(/--.*$/gm, '');
    for (const statement of sql
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean))
      await db.prepare(statement).run();
  }
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  rmSync(out, { recursive: true, force: true });
});

describe('hello-d1 routes', () => {
  it('/health runs SELECT 1 and names the version', async () => {
    const res = await call('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'healthy', database: 'ok', version: 'v-test' });
    expect(res.headers.get('x-version-id')).toBe('v-test');
  });

  it('creates, lists and gets items', async () => {
    const created = await call('/api/items', {
      method: 'POST',
      body: JSON.stringify({ name: 'first', tags: 'a' }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'first', tags: 'a' });
    const list = await call('/api/items');
    expect((list.body.items as { name: string }[]).map((i) => i.name)).toContain('first');
    const one = await call(`/api/items/${created.body.id}`);
    expect(one.body).toMatchObject({ id: created.body.id, name: 'first' });
  });

  it('answers bad input and unknown routes with clear errors', async () => {
    expect((await call('/api/items', { method: 'POST', body: '{"name": ""}' })).status).toBe(400);
    expect((await call('/api/items', { method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await call('/api/items/99999')).status).toBe(404);
    expect((await call('/api/items', { method: 'DELETE' })).status).toBe(405);
    expect((await call('/nope')).status).toBe(404);
  });

  it('sets the security headers on every response', async () => {
    for (const path of ['/health', '/api/items', '/nope']) {
      const { headers } = await call(path);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('strict-transport-security')).toContain('max-age');
    }
  });
});
