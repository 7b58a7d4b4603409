import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type FixtureApp, fixtureApp, initAndDeploy } from '../support/fixture-app.ts';

let app: FixtureApp | null = null;
afterEach(() => {
  app?.cleanup();
  app = null;
});

async function deployed(name: string, files: Record<string, string> = {}): Promise<FixtureApp> {
  app = fixtureApp(name);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(app.dir, file), text);
  const result = await initAndDeploy(app);
  expect(result.code, result.stderr).toBe(0);
  expect(result.outcome).toBe('promoted');
  return app;
}

describe('workers, assets and bundles on the local target', () => {
  it('a service binding to another worker of the project answers (fetch and RPC entrypoint)', async () => {
    const a = await deployed('service-front');
    const res = await fetch(new URL('/greet?name=ada', a.url()));
    expect(await res.text()).toBe('front says: hello, ada');
    const rpc = await fetch(new URL('/greet-rpc?name=ada', a.url()));
    expect(await rpc.json()).toEqual({ greeting: 'hello, ada (rpc)' });
  });

  it('a Workflow runs its steps to completion', async () => {
    const a = await deployed('workflow-greet');
    const started = (await (await fetch(new URL('/start?name=ada', a.url()))).json()) as { id: string };
    expect(started.id).toBeTruthy();
    const done = await eventually(async () => {
      const status = (await (await fetch(new URL(`/status?id=${started.id}`, a.url()))).json()) as {
        status: string;
        output?: unknown;
      };
      return status.status === 'complete' && status;
    });
    expect(done.output).toBe('hello, ada');
  });

  it('a chunk loaded with import() of a computed specifier, a text module and a wasm module all run', async () => {
    const a = await deployed('lazy-chunk');
    const chunk = await fetch(new URL('/chunk?name=hello', a.url()));
    expect(chunk.status).toBe(200);
    expect(await chunk.json()).toEqual({ chunk: 'hello from a lazy chunk' });
    const modules = await fetch(new URL('/modules', a.url()));
    expect(await modules.json()).toEqual({ text: 'hello from a text module', sum: 5, base64: 'b2s=' });
  });

  it('an SPA serves index.html for unknown paths, assets as files, and /api/* from the worker', async () => {
    const a = await deployed('spa');
    const deep = await fetch(new URL('/settings/profile', a.url()), {
      headers: { 'sec-fetch-mode': 'navigate', accept: 'text/html' },
    });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('spa-index');
    const about = await fetch(new URL('/about', a.url()));
    expect(await about.text()).toContain('about-page');
    const logo = await fetch(new URL('/assets/logo.txt', a.url()));
    expect(await logo.text()).toBe('logo-bytes\n');
    const api = await fetch(new URL('/api/hello', a.url()));
    expect(await api.json()).toEqual({ hello: 'from the worker' });
    const binding = await fetch(new URL('/api/logo', a.url()));
    expect(await binding.text()).toBe('logo-bytes\n');
  });
});

describe('the small bindings on the local target', () => {
  it('rate limiting, Analytics Engine, version_metadata, JSON vars, .dev.vars secrets and nodejs_compat', async () => {
    // .dev.vars is never committed: the test writes it, as a developer would.
    const a = await deployed('platform-bindings', { '.dev.vars': 'API_TOKEN=from-dev-vars\n' });
    const status = await a.cli(['status', '--json']);
    const serving = (
      status.events.find((e) => (e as { type: string }).type === 'status') as unknown as {
        deployment: { split: Array<{ version: string }> };
      }
    ).deployment.split[0].version;
    const info = await fetch(new URL('/info', a.url()));
    expect(await info.json()).toEqual({
      greeting: 'hi',
      max: 3,
      secret: true,
      version: serving,
      sha: '2d711642',
    });
    // The limiter counts in fixed 60 s windows: a burst that straddles a window's end is counted in two, so it is
    // sent again under a fresh key (a loaded machine makes the straddle likelier, never the limit looser).
    const burst = async (key: string) => {
      const window = Math.floor(Date.now() / 60_000);
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await fetch(new URL(`/limited?key=${key}`, a.url()))).status);
      return { codes, straddled: Math.floor(Date.now() / 60_000) !== window };
    };
    let sent = await burst('me');
    if (sent.straddled) sent = await burst('me-again');
    expect(sent.codes.slice(0, 2)).toEqual([200, 200]);
    expect(sent.codes.at(-1)).toBe(429);
  });
});
