import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { pagesSite, writeFiles, writeProject } from '../build/pages-fixture-test-support.ts';
import { createTarget, stopLocalDaemon } from '../create-target.ts';
import type { Target, Version } from '../target.ts';

let project: { dir: string; cleanup(): void };
let target: Target;
let one: Version;
let two: Version;

/** The `build` a request reached (from the Functions' JSON), `n` requests at a time through the router. */
async function builds(n: number, init: { version?: string } = {}): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await Promise.all(
    Array.from({ length: n }, async () => {
      const res = await target.request('/api/hello', init);
      const { build } = (await res.json()) as { build: string };
      counts.set(build, (counts.get(build) ?? 0) + 1);
    }),
  );
  return counts;
}

beforeAll(async () => {
  project = writeProject(pagesSite('one'));
  const config = {
    ...(await loadConfig({ cwd: project.dir, env: null })),
    local: { port: 0, controlPort: 0 },
  };
  target = await createTarget(config, { env: { ...process.env } });
  one = await target.upload(await target.build(), { message: 'one' });
  await target.setTraffic([{ version: one.id, percent: 100 }]);
  writeFiles(project.dir, pagesSite('two'));
  // The var is a setting of the upload: the next target reads the changed wrangler config.
  target = await createTarget(
    { ...(await loadConfig({ cwd: project.dir, env: null })), local: config.local },
    { env: { ...process.env } },
  );
  two = await target.upload(await target.build(), { message: 'two' });
}, 120_000);

afterAll(async () => {
  await stopLocalDaemon(project.dir);
  project.cleanup();
});

describe('a Pages project on the local platform', () => {
  it('serves the static output with _headers applied', async () => {
    const res = await target.request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Home one');
    expect(res.headers.get('x-site')).toBe('pages-fixture');
  });

  it('answers _redirects with their status and location', async () => {
    const res = await target.request('/old', { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(new URL(res.headers.get('location') as string, 'http://x').pathname).toBe('/about');
  });

  it('runs Functions on included routes (not given _headers, as on Pages)', async () => {
    const res = await target.request('/api/hello');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'world', build: 'one' });
    expect(res.headers.get('x-middleware')).toBe('api');
    expect(res.headers.get('x-site')).toBeNull();
  });

  it('falls through next() to the static output, and lets Functions read it through env.ASSETS', async () => {
    const plain = await target.request('/api/plain.txt');
    expect(await plain.text()).toBe('plain from assets');
    expect(plain.headers.get('x-middleware')).toBe('api');
    const about = await target.request('/api/about');
    expect(about.status).toBe(200);
    expect(await about.text()).toContain('<h1>About</h1>');
  });

  it('keeps routes _routes.json excludes away from Functions', async () => {
    const res = await target.request('/api/static/info.txt');
    expect(await res.text()).toBe('static info');
    expect(res.headers.get('x-middleware')).toBeNull();
  });

  it('answers unknown paths with 404.html and never serves the routing files', async () => {
    for (const path of ['/missing', '/_routes.json', '/_headers', '/_redirects']) {
      const res = await target.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain('Nothing here');
    }
  });

  it('splits traffic between two Pages versions and pins a request to the new one', async () => {
    expect(two.hash).not.toBe(one.hash);
    await target.setTraffic([
      { version: two.id, percent: 0 },
      { version: one.id, percent: 100 },
    ]);
    expect(await builds(20)).toEqual(new Map([['one', 20]]));
    expect(await builds(5, { version: two.id })).toEqual(new Map([['two', 5]]));
    const home = await target.request('/', { version: two.id });
    expect(await home.text()).toContain('Home two');
    await target.setTraffic([
      { version: two.id, percent: 50 },
      { version: one.id, percent: 50 },
    ]);
    const split = await builds(400);
    expect((split.get('one') ?? 0) + (split.get('two') ?? 0)).toBe(400);
    expect(Math.abs((split.get('two') ?? 0) / 400 - 0.5)).toBeLessThanOrEqual(0.1);
  });

  it('serves a version without Functions as its static output, a single-page app without 404.html', async () => {
    for (const gone of ['functions', 'dist/404.html', 'dist/_routes.json'])
      rmSync(join(project.dir, gone), { recursive: true });
    const still = await target.upload(await target.build(), { message: 'static' });
    await target.setTraffic([
      { version: still.id, percent: 0 },
      { version: two.id, percent: 100 },
    ]);
    const api = await target.request('/api/hello', { version: still.id });
    expect(api.status).toBe(200);
    expect(await api.text()).toContain('Home two');
    const moved = await target.request('/old', { version: still.id, redirect: 'manual' });
    expect(moved.status).toBe(301);
    expect((await target.request('/api/static/info.txt', { version: still.id })).headers.get('x-site')).toBe(
      'pages-fixture',
    );
  });
});
