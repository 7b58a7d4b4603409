import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.ts';
import { findComponent } from '../../config/components.ts';
import { loadConfig } from '../../config/load.ts';
import { forComponent, type ResolvedConfig } from '../../config/resolved.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import { createTarget } from '../create-target.ts';
import type { Artifact, Target, Version } from '../target.ts';
import { readDaemonInfo } from './daemon-info.ts';
import { stopDaemon } from './launcher.ts';
import { statePaths } from './paths.ts';

// Two components of one project, each a local world of its own; web's service binding API calls api's live deployment.
const API_WORKER = (answer: string) => `export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method === 'POST') return new Response('${answer} echo: ' + (await request.text()));
    return Response.json({ answer: '${answer}', host: url.host, path: url.pathname, from: request.headers.get('x-from') });
  },
};
`;
const WEB_WORKER = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set('x-from', 'web');
    return env.API.fetch('https://api.internal' + url.pathname + url.search, {
      method: request.method,
      headers,
      body: request.method === 'POST' ? await request.text() : undefined,
    });
  },
};
`;

/** A project folder from a map of files, with wrangler linked in as npm would install it. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-components-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(PACKAGE_ROOT, 'node_modules', 'wrangler'), join(dir, 'node_modules', 'wrangler'), 'dir');
  return dir;
}

const wrangler = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name, main: 'src/index.js', compatibility_date: '2025-09-01', ...extra });

let dir: string;
let config: ResolvedConfig;
const targets: Record<'api' | 'web', Target> = {} as Record<'api' | 'web', Target>;
const builds: Artifact[] = [];
let apiV1: Version;
let webV1: Version;

async function release(name: 'api' | 'web', message: string): Promise<Version> {
  const artifact = await targets[name].build();
  builds.push(artifact);
  const version = await targets[name].upload(artifact, { message, gitSha: null });
  await targets[name].setTraffic([{ version: version.id, percent: 100 }]);
  return version;
}

const web = (path: string, init?: RequestInit) => targets.web.request(path, init);

beforeAll(async () => {
  dir = project({
    'shipshape.config.json': JSON.stringify({
      local: { port: 0, controlPort: 0 },
      components: [
        { name: 'web', dir: 'web' },
        { name: 'api', dir: 'api' },
      ],
    }),
    'api/wrangler.jsonc': wrangler('cw-api'),
    'api/src/index.js': API_WORKER('api v1'),
    'web/wrangler.jsonc': wrangler('cw-web', { services: [{ binding: 'API', service: 'cw-api' }] }),
    'web/src/index.js': WEB_WORKER,
  });
  config = await loadConfig({ cwd: dir, env: null });
  for (const name of ['api', 'web'] as const) {
    targets[name] = await createTarget(forComponent(config, findComponent(config.components, name)), {
      env: process.env,
    });
  }
  apiV1 = await release('api', 'api one');
  webV1 = await release('web', 'web one');
}, 180_000);

afterAll(async () => {
  for (const name of ['web', 'api']) await stopDaemon(dir, null, name);
  for (const built of builds) rmSync(dirname(built.dir), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('one local world per component', () => {
  it('runs each component on its own daemon, state, versions and deployment', async () => {
    expect(config.components.map((c) => c.name)).toEqual(['api', 'web']);
    const api = readDaemonInfo(statePaths(dir, null, 'api'));
    const webInfo = readDaemonInfo(statePaths(dir, null, 'web'));
    expect(api?.component).toBe('api');
    expect(webInfo?.component).toBe('web');
    expect(api?.pid).not.toBe(webInfo?.pid);
    expect(api?.port).not.toBe(webInfo?.port);
    expect(existsSync(join(dir, '.shipshape', 'local'))).toBe(false);
    expect((await targets.api.versions()).map((v) => v.id)).toEqual([apiV1.id]);
    expect((await targets.web.versions()).map((v) => v.id)).toEqual([webV1.id]);
    expect((await targets.api.deployment()).split).toEqual([{ version: apiV1.id, percent: 100 }]);
    expect((await targets.web.deployment()).split).toEqual([{ version: webV1.id, percent: 100 }]);
  });

  it("records web's binding to api as a component and builds no copy of api into web", () => {
    const stored = join(statePaths(dir, null, 'web').versions, webV1.id);
    const meta = JSON.parse(readFileSync(join(stored, 'version.json'), 'utf8'));
    expect(meta.settings.componentServices).toEqual([{ binding: 'API', component: 'api' }]);
    expect(existsSync(join(stored, 'bundle', '.services'))).toBe(false);
  });

  it("web's service binding reaches api's live deployment, with the caller's URL, headers and body", async () => {
    const res = await web('/answer?x=1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      answer: 'api v1',
      host: 'api.internal',
      path: '/answer',
      from: 'web',
    });
    const post = await web('/echo', { method: 'POST', body: 'hello' });
    expect(await post.text()).toBe('api v1 echo: hello');
  });

  it("follows api's traffic split: after api moves to a new version, web sees the new answer", async () => {
    writeFileSync(join(dir, 'api', 'src', 'index.js'), API_WORKER('api v2'));
    const since = new Date(Date.now() - 1000);
    const apiV2 = await release('api', 'api two');
    expect(((await (await web('/answer')).json()) as { answer: string }).answer).toBe('api v2');
    // The call went through api's router: its metrics count it, and web's own deployment never moved.
    const window = await targets.api.metrics({
      version: apiV2.id,
      since,
      until: new Date(Date.now() + 1000),
    });
    expect(window.requests).toBeGreaterThanOrEqual(1);
    expect((await targets.web.deployment()).split).toEqual([{ version: webV1.id, percent: 100 }]);
  }, 120_000);

  it('local status lists every component with its URL', async () => {
    const json = await runCli(['local', 'status', '--json'], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    const records = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.map((r) => [r.component, r.running, r.url])).toEqual([
      ['api', true, readDaemonInfo(statePaths(dir, null, 'api'))?.url],
      ['web', true, readDaemonInfo(statePaths(dir, null, 'web'))?.url],
    ]);
    const text = await runCli(['local', 'status'], { cwd: dir });
    expect(text.stdout).toMatch(/shipshape local \(api\): running/);
    expect(text.stdout).toMatch(/shipshape local \(web\): running/);
  });

  it('answers 503 naming the component while api is stopped, and reaches api again once it runs', async () => {
    await stopDaemon(dir, null, 'api');
    const down = await web('/answer');
    expect(down.status).toBe(503);
    expect(down.headers.get('x-shipshape-error')).toBe('LOCAL_COMPONENT_NOT_RUNNING');
    const reason = await down.text();
    expect(reason).toMatch(/component "api"/);
    expect(reason.trim().split('\n')).toHaveLength(1);
    // A new api target starts its daemon again (new ports): web's binding reads them at call time.
    await targets.api.close();
    targets.api = await createTarget(forComponent(config, findComponent(config.components, 'api')), {
      env: process.env,
    });
    expect(((await (await web('/answer')).json()) as { answer: string }).answer).toBe('api v2');
  }, 120_000);

  it('local stop stops every component', async () => {
    const stop = await runCli(['local', 'stop'], { cwd: dir });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/Stopped the local platform for api \(pid \d+\)/);
    expect(stop.stdout).toMatch(/Stopped the local platform for web \(pid \d+\)/);
    expect(readDaemonInfo(statePaths(dir, null, 'api'))).toBeNull();
    expect(readDaemonInfo(statePaths(dir, null, 'web'))).toBeNull();
  }, 60_000);
});

describe('a project without components', () => {
  let single: string;
  afterAll(async () => {
    await stopDaemon(single);
    rmSync(single, { recursive: true, force: true });
  });

  it('keeps its one world in .shipshape/local and its local output unchanged', async () => {
    single = project({
      'shipshape.config.json': JSON.stringify({ local: { port: 0, controlPort: 0 } }),
      'wrangler.jsonc': wrangler('solo'),
      'src/index.js': API_WORKER('solo'),
    });
    const solo = await loadConfig({ cwd: single, env: null });
    expect(solo.component.implicit).toBe(true);
    const target = await createTarget(solo, { env: process.env });
    const info = readDaemonInfo(statePaths(single));
    expect(info?.url).toBe(await target.url());
    expect(info).not.toHaveProperty('component');
    expect(existsSync(join(single, '.shipshape', 'components'))).toBe(false);
    const status = await runCli(['local', 'status', '--json'], { cwd: single });
    const record = JSON.parse(status.stdout);
    expect(record).toMatchObject({ type: 'local-status', running: true, env: null, url: info?.url });
    expect(record).not.toHaveProperty('component');
    expect((await runCli(['local', 'status'], { cwd: single })).stdout).toMatch(/^shipshape local: running/);
    const stop = await runCli(['local', 'stop'], { cwd: single });
    expect(stop.stdout).toBe(`Stopped the local platform (pid ${info?.pid}).\n`);
  }, 60_000);
});
