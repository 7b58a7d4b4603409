import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { ResolvedConfig } from '../../src/config/resolved.ts';
import { ShipshapeError } from '../../src/errors/shipshape-error.ts';
import { createTarget } from '../../src/targets/create-target.ts';
import { readDaemonInfo, readToken } from '../../src/targets/local/daemon-info.ts';
import { stopDaemon } from '../../src/targets/local/launcher.ts';
import { statePaths } from '../../src/targets/local/paths.ts';
import type { Artifact, Target, Version } from '../../src/targets/target.ts';
import { copyExample, type ExampleCopy } from '../support/example.ts';

let app: ExampleCopy;
let config: ResolvedConfig;
let target: Target;
let good: Artifact;
let v1: Version;
let v2: Version;
/** Every artifact built here, removed at the end (builds live in the OS temp folder). */
const builds: Artifact[] = [];

/** Sends `n` requests through the router, `concurrency` at a time; returns how many each version answered. */
async function spread(n: number, path: string, headers: (i: number) => Record<string, string> = () => ({})) {
  const counts = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const res = await target.request(path, { headers: headers(i) });
      await res.arrayBuffer();
      const version = res.headers.get('x-version-id') ?? `status-${res.status}`;
      counts.set(version, (counts.get(version) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return counts;
}

async function control(path: string, init: RequestInit & { token?: string | null } = {}) {
  const info = readDaemonInfo(statePaths(app.dir));
  const token = init.token === undefined ? readToken(statePaths(app.dir)) : init.token;
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  return fetch(new URL(path, info?.controlUrl), { ...init, headers });
}

beforeAll(async () => {
  app = copyExample({ git: false });
  writeFileSync(join(app.dir, '.dev.vars'), 'API_TOKEN=s3cret-value\n');
  // Static assets from the wrangler config are served too (paths not in public/ fall through to the worker).
  const wrangler = join(app.dir, 'wrangler.jsonc');
  writeFileSync(
    wrangler,
    readFileSync(wrangler, 'utf8').replace('"main":', '"assets": { "directory": "./public" },\n  "main":'),
  );
  mkdirSync(join(app.dir, 'public'));
  writeFileSync(join(app.dir, 'public', 'hello.txt'), 'static hello');
  config = {
    ...(await loadConfig({ cwd: app.dir, env: null })),
    local: { port: 0, controlPort: 0 },
  };
  target = await createTarget(config, { env: { ...process.env, FAULT: '' } });
  good = await target.build();
  builds.push(good);
  v1 = await target.upload(good, { message: 'first', gitSha: 'abc123' });
  await target.setTraffic([{ version: v1.id, percent: 100 }]);
  v2 = await target.upload(good, { message: 'second' });
}, 120_000);

afterAll(async () => {
  await stopDaemon(app.dir);
  for (const built of builds) rmSync(dirname(built.dir), { recursive: true, force: true });
  app.cleanup();
});

describe('local target', () => {
  it('uploads the example app at 0% with its metadata and serves it with the version id', async () => {
    expect(v1.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(v1).toMatchObject({ worker: 'hello-d1', hash: good.hash, gitSha: 'abc123', message: 'first' });
    expect((await target.versions()).map((v) => v.id)).toEqual([v1.id, v2.id]);
    expect((await target.deployment()).split).toEqual([{ version: v1.id, percent: 100 }]);
    const res = await target.request('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-version-id')).toBe(v1.id);
    expect(await target.secretNames()).toEqual(['API_TOKEN']);
    const asset = await target.request('/hello.txt');
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('static hello');
  });

  it('pins a 0% version by header and ignores malformed or unknown overrides', async () => {
    await target.setTraffic([
      { version: v2.id, percent: 0 },
      { version: v1.id, percent: 100 },
    ]);
    const pinned = await target.request('/health', { version: v2.id });
    expect(pinned.headers.get('x-version-id')).toBe(v2.id);
    expect(((await pinned.json()) as { version: string }).version).toBe(v2.id);
    const malformed = await target.request('/health', {
      headers: { 'Cloudflare-Workers-Version-Overrides': `hello-d1=${v2.id}` },
    });
    expect(malformed.headers.get('x-version-id')).toBe(v1.id);
    const unknown = await target.request('/health', { version: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(200);
    expect(unknown.headers.get('x-version-id')).toBe(v1.id);
  });

  it('splits 10/90 within ±3% over 2,000 requests', async () => {
    await target.setTraffic([
      { version: v2.id, percent: 10 },
      { version: v1.id, percent: 90 },
    ]);
    const counts = await spread(2000, '/health');
    expect((counts.get(v2.id) ?? 0) + (counts.get(v1.id) ?? 0)).toBe(2000);
    expect(Math.abs((counts.get(v2.id) ?? 0) / 2000 - 0.1)).toBeLessThanOrEqual(0.03);
  });

  it('keeps a client on one version by Cloudflare-Workers-Version-Key, also as the new share grows', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => `user-${i}`);
    const first = new Map<string, string>();
    for (const key of keys) {
      const seen = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const res = await target.request('/health', { headers: { 'Cloudflare-Workers-Version-Key': key } });
        seen.add(res.headers.get('x-version-id') as string);
      }
      expect(seen.size).toBe(1);
      first.set(key, [...seen][0]);
    }
    await target.setTraffic([
      { version: v2.id, percent: 50 },
      { version: v1.id, percent: 50 },
    ]);
    for (const [key, version] of first) {
      if (version !== v2.id) continue;
      const res = await target.request('/health', { headers: { 'Cloudflare-Workers-Version-Key': key } });
      expect(res.headers.get('x-version-id')).toBe(v2.id);
    }
    expect(new Set(first.values()).size).toBe(2);
  });

  it('measures every request per version', async () => {
    const since = new Date(Date.now() - 1000);
    await spread(200, '/health', () => ({ 'Cloudflare-Workers-Version-Overrides': `hello-d1="${v1.id}"` }));
    const w = await target.metrics({ version: v1.id, since, until: new Date(Date.now() + 1000) });
    expect(w.requests).toBeGreaterThanOrEqual(200);
    expect(w.errors).toBe(0);
    expect(w.p50).toBeGreaterThan(0);
    expect(w.p99).toBeGreaterThanOrEqual(w.p50);
    expect(w.latencyBuckets.reduce((n, [, c]) => n + c, 0)).toBe(w.requests);
  });

  it('gives database() and kv() the same data the versions see; batch is all or nothing; backup/restore', async () => {
    const db = target.database('DB');
    await db.batch([
      {
        sql: 'CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, tags TEXT)',
      },
      { sql: 'INSERT INTO items (name) VALUES (?)', params: ['kept'] },
    ]);
    await expect(
      db.batch([
        { sql: "INSERT INTO items (name) VALUES ('lost')" },
        { sql: 'INSERT INTO nowhere VALUES (1)' },
      ]),
    ).rejects.toMatchObject({ code: 'LOCAL_BAD_REQUEST' });
    expect(await db.query('SELECT name FROM items ORDER BY id')).toEqual([{ name: 'kept' }]);
    const api = (await (await target.request('/api/items', { version: v1.id })).json()) as {
      items: Array<{ name: string }>;
    };
    expect(api.items.map((i) => i.name)).toEqual(['kept']);
    const ref = await db.backup('before-change');
    await db.query('INSERT INTO items (name) VALUES (?)', ['it\'s "quoted"']);
    await db.restore(ref);
    expect(await db.query('SELECT name FROM items')).toEqual([{ name: 'kept' }]);
    const kv = target.kv('FLAGS');
    await kv.put('flag:a', 'on');
    await kv.put('other', 'x');
    expect(await kv.get('flag:a')).toBe('on');
    expect(await kv.list('flag:')).toEqual(['flag:a']);
    await kv.delete('other');
    expect(await kv.get('other')).toBeNull();
  });

  it('refuses missing or wrong tokens and malformed bodies with 401/400', async () => {
    expect((await control('/versions', { token: null })).status).toBe(401);
    expect((await control('/versions', { token: 'x'.repeat(64) })).status).toBe(401);
    const post = (body: string) =>
      control('/traffic', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    for (const body of [
      '{not json',
      JSON.stringify({
        split: [
          { version: v1.id, percent: 50 },
          { version: v2.id, percent: 40 },
        ],
      }),
      JSON.stringify({
        split: [
          { version: v1.id, percent: 50.5 },
          { version: v2.id, percent: 49.5 },
        ],
      }),
      JSON.stringify({ split: [{ version: 'nope', percent: 100 }] }),
      JSON.stringify({
        split: [
          { version: v1.id, percent: 50 },
          { version: v2.id, percent: 25 },
          { version: v1.id, percent: 25 },
        ],
      }),
    ]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/refused/);
    }
    await expect(target.setTraffic([{ version: 'nope', percent: 100 }])).rejects.toMatchObject({
      code: 'LOCAL_BAD_REQUEST',
    });
  });

  it('maps an injected 503 to a transient TARGET_UNAVAILABLE, then works again', async () => {
    const res = await control('/faults', {
      method: 'POST',
      body: JSON.stringify({ upload: { status: 503, times: 1 } }),
    });
    expect(res.status).toBe(200);
    const err = await target.upload(good, { message: 'fails once' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShipshapeError);
    expect(err).toMatchObject({ code: 'TARGET_UNAVAILABLE', details: { transient: true } });
    const ok = await target.upload(good, { message: 'retried' });
    expect((await target.versions()).some((v) => v.id === ok.id)).toBe(true);
  });

  it('refuses a worker that throws at start-up and leaves the serving version untouched', async () => {
    const before = await target.deployment();
    const crashTarget = await createTarget(config, { env: { ...process.env, FAULT: 'crash' } });
    const crash = await crashTarget.build();
    builds.push(crash);
    const err = await target.upload(crash, { message: 'crash' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LOCAL_WORKER_START_FAILED' });
    expect((err as Error).message).toMatch(/FAULT=crash/);
    expect(await target.deployment()).toEqual(before);
    expect((await target.request('/health')).status).toBe(200);
  });

  it('measures a faulty build (FAULT=errors:0.08) at 8% ± 2% errors', async () => {
    const faultyTarget = await createTarget(config, { env: { ...process.env, FAULT: 'errors:0.08' } });
    const faultyBuild = await faultyTarget.build();
    builds.push(faultyBuild);
    const faulty = await target.upload(faultyBuild, { message: 'faulty' });
    await target.setTraffic([{ version: faulty.id, percent: 100 }]);
    const since = new Date(Date.now() - 1000);
    const counts = await spread(2000, '/');
    const w = await target.metrics({ version: faulty.id, since, until: new Date(Date.now() + 1000) });
    expect(w.requests).toBe(2000);
    expect(Math.abs(w.errorRate - 0.08)).toBeLessThanOrEqual(0.02);
    expect(counts.get(faulty.id) ?? 0).toBe(2000 - w.errors);
    await target.setTraffic([
      { version: v2.id, percent: 10 },
      { version: v1.id, percent: 90 },
    ]);
  });

  it('keeps versions, split and data across a restart', async () => {
    const versions = await target.versions();
    const deployment = await target.deployment();
    const before = readDaemonInfo(statePaths(app.dir));
    await stopDaemon(app.dir);
    const again = await createTarget(config, { env: process.env });
    expect(readDaemonInfo(statePaths(app.dir))?.pid).not.toBe(before?.pid);
    expect(await again.versions()).toEqual(versions);
    expect(await again.deployment()).toEqual(deployment);
    expect(await again.database('DB').query('SELECT name FROM items')).toEqual([{ name: 'kept' }]);
    expect(await again.kv('FLAGS').get('flag:a')).toBe('on');
    const pinned = await again.request('/health', { version: v2.id });
    expect(pinned.headers.get('x-version-id')).toBe(v2.id);
    target = again;
  });
});
