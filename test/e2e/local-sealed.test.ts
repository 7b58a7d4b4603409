import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { ResolvedConfig } from '../../src/config/resolved.ts';
import { createTarget } from '../../src/targets/create-target.ts';
import { readDaemonInfo, readToken } from '../../src/targets/local/daemon-info.ts';
import { stopDaemon } from '../../src/targets/local/launcher.ts';
import { statePaths } from '../../src/targets/local/paths.ts';
import type { Artifact, Target } from '../../src/targets/target.ts';
import { copyExample, type ExampleCopy } from '../support/example.ts';
import { listeningPorts } from '../support/listening-ports.ts';

// Nothing on the machine reaches the app's bindings or the internal data worker without the token, whatever
// socket it knocks on; the control API bounds its inputs; state files are the owner's; the daemon's
// environment holds nothing of the deploying shell's secrets.
let app: ExampleCopy;
let config: ResolvedConfig;
let target: Target;
let build: Artifact;
const DB = '8a3c4e1e-2b7d-4c1a-9f6e-0d5b7a1c2e3f';
const KV = '5f0c2a9d8e7b4c6a9d1e3f5a7b9c1d2e';
const SHELL_SECRET = 'shell-secret-4b1d2c';

beforeAll(async () => {
  app = copyExample({ git: false });
  config = { ...(await loadConfig({ cwd: app.dir, env: null })), local: { port: 0, controlPort: 0 } };
  target = await createTarget(config, {
    env: { ...process.env, FAULT: '', DEPLOY_API_TOKEN: SHELL_SECRET },
  });
  build = await target.build();
  const v1 = await target.upload(build, { message: 'one' });
  const v2 = await target.upload(build, { message: 'two' });
  // Two versions in the deployment: two direct sockets in workerd besides its entry socket.
  await target.setTraffic([
    { version: v1.id, percent: 50 },
    { version: v2.id, percent: 50 },
  ]);
  await target.kv('FLAGS').put('sealed-canary', 'kept');
}, 180_000);

afterAll(async () => {
  await stopDaemon(app.dir);
  rmSync(dirname(build.dir), { recursive: true, force: true });
  app.cleanup();
});

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the control API, read field by field
type Json = any;

function control(
  path: string,
  init: RequestInit = {},
  token: string | null = readToken(statePaths(app.dir)),
) {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(new URL(path, readDaemonInfo(statePaths(app.dir))?.controlUrl), { ...init, headers });
}

/** Requests for binding data in every shape the platform's own parts understand; none carries the token. */
const PROBES: Array<{ path: string; headers?: Record<string, string>; body?: unknown; method?: string }> = [
  {
    path: `/d1/d1_${DB.replace(/-/g, '_')}/query`,
    headers: { 'MF-Route-Override': 'shipshape-data' },
    body: { sql: 'SELECT 1 AS leaked' },
  },
  {
    path: `/kv/kv_${KV}/put`,
    headers: { 'MF-Route-Override': 'shipshape-data' },
    body: { key: 'sealed-probe', value: 'written' },
  },
  {
    path: `/kv/kv_${KV}/get`,
    headers: { 'MF-Route-Override': 'shipshape-data' },
    body: { key: 'sealed-canary' },
  },
  { path: '/d1/query', body: { databaseId: DB, sql: 'SELECT 1 AS leaked' } },
  { path: '/kv/put', body: { namespaceId: KV, key: 'sealed-probe', value: 'written' } },
  { path: '/kv/get', body: { namespaceId: KV, key: 'sealed-canary' } },
  // Cloudflare's own API shapes, answered by the platform's stand-in.
  { path: `/client/v4/accounts/local/d1/database/${DB}/query`, body: { sql: 'SELECT 1 AS leaked' } },
  { path: `/client/v4/accounts/local/storage/kv/namespaces/${KV}/values/sealed-canary`, method: 'GET' },
  {
    path: `/client/v4/accounts/local/storage/kv/namespaces/${KV}/values/sealed-probe`,
    method: 'PUT',
    body: 'x',
  },
  { path: '/cdn-cgi/local/explorer/api/d1/database', method: 'GET' },
  { path: `/cdn-cgi/local/explorer/api/storage/kv/namespaces/${KV}/values/sealed-canary`, method: 'GET' },
];

describe('sealed data plane', () => {
  it('every socket the platform listens on refuses a request for data without the token', async () => {
    const pid = readDaemonInfo(statePaths(app.dir))?.pid as number;
    const ports = listeningPorts(pid);
    // The router, the control API, Miniflare's loopback, workerd's entry socket and one socket per version.
    expect(ports.length).toBeGreaterThanOrEqual(6);
    for (const port of ports) {
      for (const probe of PROBES) {
        const method = probe.method ?? 'POST';
        const res = await fetch(`http://127.0.0.1:${port}${probe.path}`, {
          method,
          headers: { 'content-type': 'application/json', ...probe.headers },
          body: method === 'GET' ? undefined : JSON.stringify(probe.body),
        }).catch(() => null);
        if (!res) continue; // a socket that speaks no HTTP answers nothing at all
        const text = await res.text();
        expect(res.status, `${port} ${probe.path}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(text).not.toContain('leaked');
        expect(text).not.toContain('kept');
      }
    }
    const written = await control('/kv/get', {
      method: 'POST',
      body: JSON.stringify({ namespaceId: KV, key: 'sealed-probe' }),
    });
    expect(((await written.json()) as Json).result).toEqual({ value: null });
    // The platform's own calls still reach the data with the token.
    expect(await target.kv('FLAGS').get('sealed-canary')).toBe('kept');
  });
});

describe('bounded control API inputs', () => {
  it('refuses a 5 MB KV value with a coded 413 and stores nothing', async () => {
    const res = await control('/kv/put', {
      method: 'POST',
      body: JSON.stringify({ namespaceId: KV, key: 'huge', value: 'x'.repeat(5_000_000) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as Json).error).toMatchObject({
      code: 'LOCAL_BODY_TOO_LARGE',
      hint: expect.any(String),
    });
    expect(await target.kv('FLAGS').get('huge')).toBeNull();
  });

  it('refuses an upload naming dir=/etc (or a link out of the project) with a coded 4xx', async () => {
    const upload = (dir: string, extra: Record<string, unknown> = {}) =>
      control('/upload', {
        method: 'POST',
        body: JSON.stringify({
          artifact: { worker: 'hello-d1', dir, mainModule: 'index.js', hash: 'x', assetsDir: null, ...extra },
          meta: {},
          settings: {
            env: null,
            compatibilityDate: '2025-09-01',
            compatibilityFlags: [],
            vars: {},
            d1: [],
            kv: [],
          },
        }),
      });
    for (const res of [
      await upload('/etc'),
      await upload(join(app.dir, '..', '..', 'etc')),
      await upload(build.dir, { assetsDir: '/etc' }),
      await upload(build.dir, { mainModule: '../../etc/passwd' }),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const { error } = (await res.json()) as Json;
      expect(error.code).toMatch(/^LOCAL_(PATH_NOT_ALLOWED|BAD_REQUEST)$/);
      expect(error.hint).toEqual(expect.any(String));
    }
  });

  it('answers every malformed request with a coded 4xx', async () => {
    const cases: Array<[string, RequestInit]> = [
      ['/upload', { method: 'POST', body: '{not json' }],
      ['/upload', { method: 'POST', body: '[1,2]' }],
      ['/upload', { method: 'POST', body: JSON.stringify({ artifact: { dir: 5 } }) }],
      ['/upload', { method: 'GET' }],
      ['/nowhere', { method: 'POST', body: '{}' }],
      ['/traffic', { method: 'POST', body: JSON.stringify({ split: 'all' }) }],
      ['/d1/query', { method: 'POST', body: JSON.stringify({ databaseId: DB, sql: 42 }) }],
      ['/d1/query', { method: 'POST', body: JSON.stringify({ databaseId: DB, sql: 'SELEC nonsense' }) }],
      ['/kv/put', { method: 'POST', body: JSON.stringify({ namespaceId: KV, key: 'k' }) }],
      ['/metrics?version=x&since=yesterday', { method: 'GET' }],
      [
        '/d1/restore',
        { method: 'POST', body: JSON.stringify({ databaseId: DB, ref: { ref: '/etc/passwd' } }) },
      ],
    ];
    for (const [path, init] of cases) {
      const res = await control(path, init);
      const body = (await res.json()) as Json;
      expect(res.status, `${path} ${init.body}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${path} ${init.body}`).toBeLessThan(500);
      expect(body.error.code, path).toMatch(/^LOCAL_/);
    }
  });

  it('refuses a version built for another environment', async () => {
    const res = await control('/upload', {
      method: 'POST',
      body: JSON.stringify({
        artifact: {
          worker: 'hello-d1-staging',
          dir: build.dir,
          mainModule: build.mainModule,
          assetsDir: null,
        },
        settings: { env: 'staging', compatibilityDate: '2025-09-01', d1: [], kv: [] },
      }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as Json).error.code).toBe('LOCAL_WRONG_ENVIRONMENT');
  });
});

describe('owner-only files and a minimal daemon environment', () => {
  it('state files, logs and data of the local platform are mode 0600', () => {
    const loose: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          // Version bundles are the app's code, copied as built; everything else is state.
          if (entry.name !== 'bundle' && entry.name !== 'assets') walk(path);
        } else if (entry.isFile() && (statSync(path).mode & 0o077) !== 0) loose.push(path);
      }
    };
    walk(statePaths(app.dir).root);
    expect(loose).toEqual([]);
    expect(statSync(statePaths(app.dir).log).mode & 0o777).toBe(0o600);
  });

  it("the daemon does not inherit the deploying shell's variables", () => {
    const pid = readDaemonInfo(statePaths(app.dir))?.pid as number;
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    expect(environ).not.toContain(SHELL_SECRET);
    expect(environ).not.toContain('DEPLOY_API_TOKEN');
    expect(environ).toContain('PATH=');
  });
});
