import { join } from 'node:path';
import { build } from 'esbuild';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../toolchain/miniflare.ts';
import { inRollout } from './bucket.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read as loose JSON in assertions
type Body = Record<string, any>;

// A worker built from runtime.ts with esbuild (wrangler's bundler), run in workerd with a real KV namespace.
const WORKER = `
import { createFlags, emergencyStop, handleFlagsAdmin } from ${JSON.stringify(join(import.meta.dirname, 'runtime.ts'))};

const definitions = {
  GREETING: { type: 'string', default: 'hello' },
  LIMIT: { type: 'number', default: 5 },
  ROLLOUT: { type: 'percentage', default: 10 },
};
const logs = [];
const log = (m) => logs.push(m);
const clients = {
  main: createFlags({ definitions, cacheTtl: 1000, log }),
  missing: createFlags({ definitions, binding: 'NO_SUCH_KV', log }),
  longkey: createFlags({ definitions, key: 'k'.repeat(600), log }),
};
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const admin = await handleFlagsAdmin(request, env, clients.main);
    if (admin) return admin;
    const client = clients[url.searchParams.get('client') ?? 'main'];
    const f = await client.load(env, ctx);
    if (url.pathname === '/app') return emergencyStop(f) ?? Response.json({ ok: true });
    const unit = url.searchParams.get('unit');
    return Response.json({ values: f.toJSON(), stats: client.stats(), logs, inside: f.enabled('ROLLOUT', unit) });
  },
};`;

const TOKEN = 'flags-admin-token-7f3a9c';
let mf: Miniflare;
let kv: Awaited<ReturnType<Miniflare['getKVNamespace']>>;

async function call(path: string, init?: Parameters<Miniflare['dispatchFetch']>[1]) {
  const res = await mf.dispatchFetch(`http://flags.test${path}`, init);
  return { status: res.status, body: (await res.json()) as Body };
}

/** Polls until `check` holds (bounded); returns the last body. */
async function until(path: string, check: (body: Body) => boolean) {
  let last: Body = {};
  for (let i = 0; i < 100; i++) {
    last = (await call(path)).body;
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

beforeAll(async () => {
  const out = await build({
    stdin: { contents: WORKER, loader: 'js', resolveDir: import.meta.dirname },
    bundle: true,
    format: 'esm',
    write: false,
  });
  mf = createRuntime({
    modules: true,
    script: out.outputFiles[0].text,
    compatibilityDate: '2025-09-01',
    kvNamespaces: { FLAGS: 'flags-runtime-test' },
    bindings: { FLAGS_ADMIN_TOKEN: TOKEN },
  });
  kv = await mf.getKVNamespace('FLAGS');
});
afterAll(async () => {
  await mf?.dispose();
});

describe('flags runtime in workerd', () => {
  it('serves the defaults when KV holds no document', async () => {
    const { body } = await call('/');
    expect(body.values).toEqual({ GREETING: 'hello', LIMIT: 5, ROLLOUT: 10, EMERGENCY_STOP: false });
  });

  it('sees a KV change within the cache TTL, reading KV at most once per TTL', async () => {
    await kv.put('feature_flags', JSON.stringify({ GREETING: 'bonjour', LIMIT: 9 }));
    const started = Date.now();
    const body = await until('/', (b) => b.values.GREETING === 'bonjour');
    expect(body.values.LIMIT).toBe(9);
    const ttls = Math.ceil((Date.now() - started) / 1000) + 2;
    expect(body.stats.kvReads).toBeLessThanOrEqual(ttls);
  });

  it('serves a stale copy while refreshing in the background, for one more TTL at most', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Past two TTLs the request waits for a fresh read: a known starting point.
    await sleep(2100);
    const fresh = (await call('/')).body.stats;
    await sleep(1200);
    const stale = (await call('/')).body.stats;
    expect(stale.staleServed).toBe(fresh.staleServed + 1);
    await sleep(2100);
    await kv.put('feature_flags', JSON.stringify({ GREETING: 'idle-refresh' }));
    const idle = (await call('/')).body;
    expect(idle.values.GREETING).toBe('idle-refresh');
    expect(idle.stats.staleServed).toBe(stale.staleServed);
  });

  it('ignores a stored value of the wrong type (that flag keeps its default)', async () => {
    await kv.put('feature_flags', JSON.stringify({ LIMIT: 'many', ROLLOUT: 250, GREETING: 'hey' }));
    const body = await until('/', (b) => b.values.GREETING === 'hey');
    expect(body.values).toMatchObject({ LIMIT: 5, ROLLOUT: 10 });
  });

  it('buckets units exactly as computed outside the worker (sticky across calls)', async () => {
    await kv.put('feature_flags', JSON.stringify({ ROLLOUT: 30 }));
    await until('/', (b) => b.values.ROLLOUT === 30);
    for (const unit of ['alice', 'bob', 'carol', 'dave', 'erin', 'user-42']) {
      const first = (await call(`/?unit=${unit}`)).body.inside;
      expect(first).toBe(inRollout('ROLLOUT', unit, 30));
      expect((await call(`/?unit=${unit}`)).body.inside).toBe(first);
    }
  });

  it('answers 503 during an emergency stop and recovers on resume', async () => {
    await kv.put('feature_flags', JSON.stringify({ EMERGENCY_STOP: true }));
    await until('/', (b) => b.values.EMERGENCY_STOP === true);
    const stopped = await call('/app');
    expect(stopped.status).toBe(503);
    expect(stopped.body.error).toBe('emergency_stop');
    await kv.put('feature_flags', '{}');
    await until('/', (b) => b.values.EMERGENCY_STOP === false);
    expect((await call('/app')).status).toBe(200);
  });
});

describe('failing open', () => {
  it('uses the defaults when the KV binding is missing, and logs once', async () => {
    for (let i = 0; i < 3; i++) expect((await call('/?client=missing')).body.values.GREETING).toBe('hello');
    const { body } = await call('/?client=missing');
    expect(body.logs.filter((l: string) => l.includes('NO_SUCH_KV'))).toHaveLength(1);
  });

  it('uses the defaults when KV itself throws (key over the 512-byte limit)', async () => {
    const { body } = await call('/?client=longkey');
    expect(body.values.GREETING).toBe('hello');
    expect(body.stats.kvFailures).toBe(1);
  });

  it('keeps the last values read when the document turns invalid', async () => {
    await kv.put('feature_flags', JSON.stringify({ GREETING: 'salut' }));
    await until('/', (b) => b.values.GREETING === 'salut');
    await kv.put('feature_flags', '{not json');
    const body = await until('/', (b) => b.stats.kvFailures > 0);
    expect(body.values.GREETING).toBe('salut');
    expect(body.logs.some((l: string) => l.includes('"feature_flags"'))).toBe(true);
    await kv.put('feature_flags', '{}');
  });
});

describe('admin route', () => {
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses a missing or wrong token with 401', async () => {
    expect((await call('/admin/flags')).status).toBe(401);
    expect((await call('/admin/flags', { headers: auth('wrong') })).status).toBe(401);
    expect((await call('/admin/flags', { headers: auth(`${TOKEN}x`) })).status).toBe(401);
    const put = await call('/admin/flags', { method: 'PUT', body: '{"flags":{"LIMIT":1}}' });
    expect(put.status).toBe(401);
    expect(JSON.parse((await kv.get('feature_flags')) ?? '{}').LIMIT).toBeUndefined();
  });

  it('rejects bad values with 400 and writes nothing', async () => {
    const before = await kv.get('feature_flags');
    const body = JSON.stringify({ flags: { ROLLOUT: 101, NOPE: true } });
    const res = await call('/admin/flags', { method: 'PUT', headers: auth(TOKEN), body });
    expect(res.status).toBe(400);
    expect(res.body.problems).toHaveLength(2);
    expect(await kv.get('feature_flags')).toBe(before);
  });

  it('changes flags with the right token, audits, and the isolate sees it at once', async () => {
    const body = JSON.stringify({ flags: { LIMIT: 12 }, reason: 'more' });
    const res = await call('/admin/flags', { method: 'PUT', headers: auth(TOKEN), body });
    expect(res.status).toBe(200);
    expect((await call('/')).body.values.LIMIT).toBe(12);
    const audit = JSON.parse((await kv.get('feature_flags:audit')) ?? '[]');
    expect(audit.at(-1)).toMatchObject({
      flag: 'LIMIT',
      old: null,
      new: 12,
      reason: 'more',
      actor: 'admin-route',
    });
    expect((await call('/admin/flags', { headers: auth(TOKEN) })).body.flags.LIMIT).toBe(12);
  });
});
