import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';

// Real wrangler deploys a Worker with an R2 bucket and a SQLite Durable Object through the local Cloudflare API:
// the upload's bindings run on workerd, the migration tag is remembered, and data survives a new version.
let w: CfApiWorld;
const NAME = 'cf-api-objects';
const script = () => `/accounts/${w.accountId}/workers/scripts/${NAME}`;
const ok = async (...args: string[]) => {
  const r = await w.wrangler(...args);
  if (r.code !== 0) throw new Error(`wrangler ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};
const get = async (path: string, version?: string) => {
  const r = await fetch(new URL(path, w.daemon.info.url), {
    headers: version ? { 'Cloudflare-Workers-Version-Overrides': `${NAME}="${version}"` } : {},
  });
  return r.text();
};

const WORKER = `import { DurableObject } from 'cloudflare:workers';
export class Counter extends DurableObject {
  async fetch() {
    const n = ((await this.ctx.storage.get('n')) ?? 0) + 1;
    await this.ctx.storage.put('n', n);
    return new Response(String(n));
  }
}
export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/count') return env.COUNTER.get(env.COUNTER.idFromName('one')).fetch(request);
    if (pathname === '/put') {
      await env.BUCKET.put('greeting', 'stored by ' + env.LABEL);
      return new Response('ok');
    }
    if (pathname === '/asset') return env.ASSETS.fetch(new URL('/hello.txt', request.url));
    if (pathname === '/get') return new Response((await (await env.BUCKET.get('greeting'))?.text()) ?? 'none');
    return new Response(env.LABEL + ' ' + env.VERSION.id);
  },
};
`;

function writeProject(
  label: string,
  assets = false,
  migrations: unknown[] = [{ tag: 'v1', new_sqlite_classes: ['Counter'] }],
): void {
  const config = {
    name: NAME,
    main: 'src/objects.js',
    compatibility_date: '2025-09-01',
    workers_dev: false,
    preview_urls: false,
    version_metadata: { binding: 'VERSION' },
    vars: { LABEL: label },
    r2_buckets: [{ binding: 'BUCKET', bucket_name: 'cf-api-objects-bucket' }],
    durable_objects: { bindings: [{ name: 'COUNTER', class_name: 'Counter' }] },
    migrations,
    ...(assets ? { assets: { directory: 'public', binding: 'ASSETS' } } : {}),
  };
  if (assets) {
    mkdirSync(join(w.dir, 'public'), { recursive: true });
    writeFileSync(join(w.dir, 'public', 'hello.txt'), `static ${label}`);
  }
  writeFileSync(join(w.dir, 'wrangler.jsonc'), JSON.stringify(config, null, 2));
  mkdirSync(join(w.dir, 'src'), { recursive: true });
  writeFileSync(join(w.dir, 'src', 'objects.js'), WORKER);
}

beforeAll(async () => {
  w = await startCfApiWorld();
  writeProject('one');
}, 60_000);
afterAll(async () => {
  await w?.close();
});

describe('wrangler deploys R2 and Durable Object bindings through the local Cloudflare API', () => {
  it('the first deploy sends the migration; the bucket and the object run', async () => {
    await ok('deploy');
    expect(await get('/count')).toBe('1');
    expect(await get('/count')).toBe('2');
    expect(await get('/put')).toBe('ok');
    expect(await get('/get')).toBe('stored by one');
    const service = (await w.api(`/accounts/${w.accountId}/workers/services/${NAME}`)).body.result;
    expect(service.default_environment.script.migration_tag).toBe('v1');
    const settings = (await w.api(`${script()}/settings`)).body.result;
    expect(settings.bindings).toEqual(
      expect.arrayContaining([
        { type: 'r2_bucket', name: 'BUCKET', bucket_name: 'cf-api-objects-bucket' },
        { type: 'durable_object_namespace', name: 'COUNTER', class_name: 'Counter' },
      ]),
    );
  }, 90_000);

  it('a later deploy (versions API, no migration resent) keeps the object and the bucket data', async () => {
    writeProject('two');
    const r = await ok('deploy');
    const id = /Current Version ID: ([0-9a-f-]{36})/.exec(r.stdout)?.[1] as string;
    expect(await get('/')).toBe(`two ${id}`);
    expect(await get('/count')).toBe('3');
    expect(await get('/get')).toBe('stored by one');
  }, 90_000);

  it('versions upload with the same bindings runs when pinned; the object stays with the serving version', async () => {
    writeProject('three');
    const r = await ok('versions', 'upload');
    const id = /Worker Version ID: ([0-9a-f-]{36})/.exec(r.stdout)?.[1] as string;
    const serving = (await w.api(`${script()}/deployments`)).body.result.deployments[0].versions[0]
      .version_id;
    await ok('versions', 'deploy', `${serving}@100%`, `${id}@0%`, '--yes');
    expect(await get('/', id)).toBe(`three ${id}`);
    expect(await get('/count', id)).toBe('4');
    expect(await get('/get', id)).toBe('stored by one');
  }, 90_000);

  it('a deploy with assets uploads them in a session; the asset router and the ASSETS binding serve them', async () => {
    writeProject('four', true);
    const first = await ok('deploy');
    expect(first.stdout).toMatch(/Uploaded 1 of 1 asset|asset/i);
    expect(await get('/hello.txt')).toBe('static four');
    expect(await get('/asset')).toBe('static four');
    expect(await get('/count')).toBe('5');
    // Unchanged files are not uploaded again: the session finds every hash stored.
    writeProject('five', true);
    writeFileSync(join(w.dir, 'public', 'hello.txt'), 'static four');
    const again = await ok('deploy');
    expect(again.stdout).toContain('No updated asset files to upload');
    expect(await get('/')).toMatch(/^five /);
    expect(await get('/hello.txt')).toBe('static four');
  }, 90_000);

  it('a deploy adding a migration goes non-versioned (PUT) and is served at once, existing objects kept', async () => {
    writeProject('six', true, [
      { tag: 'v1', new_sqlite_classes: ['Counter'] },
      { tag: 'v2', new_sqlite_classes: ['Spare'] },
    ]);
    writeFileSync(join(w.dir, 'src', 'objects.js'), `${WORKER}export class Spare extends Counter {}\n`);
    const r = await ok('deploy');
    const id = /Current Version ID: ([0-9a-f-]{36})/.exec(r.stdout)?.[1] as string;
    expect(await get('/')).toBe(`six ${id}`);
    expect(await get('/count')).toBe('6');
    const service = (await w.api(`/accounts/${w.accountId}/workers/services/${NAME}`)).body.result;
    expect(service.default_environment.script.migration_tag).toBe('v2');
  }, 90_000);
});
