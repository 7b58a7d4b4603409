import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDaemon, runDaemon } from '../../src/targets/local/daemon.ts';
import { statePaths } from '../../src/targets/local/paths.ts';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';

// Several Workers in one account of the local Cloudflare API: the app on the account's platform (the data plane),
// a "guard" Worker with a cron trigger deployed beside it by real wrangler, another uploaded through the REST API;
// each runs on its own platform, its scheduled handler fired on demand reports to a receiver on 127.0.0.1.
let w: CfApiWorld;
let receiver: Server;
let restarted: RunningDaemon | null = null;
const received: Array<Record<string, unknown>> = [];
const scripts = () => `/accounts/${w.accountId}/workers/scripts`;
const receiverUrl = () => `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const fire = (script: string, cron?: string) => w.api('/_local/scheduled', json('POST', { script, cron }));
const ok = async (...args: string[]) => {
  const r = await w.wrangler(...args);
  if (r.code !== 0) throw new Error(`wrangler ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};
const serving = async (script: string) =>
  (await w.api(`${scripts()}/${script}/deployments`)).body.result.deployments[0]?.versions;
function expectError(
  r: { status: number; body: { errors: Array<{ code: number; message: string }> } },
  status: number,
  code: number,
) {
  expect(r.status).toBe(status);
  expect(r.body.errors[0].code).toBe(code);
  return r.body.errors[0].message;
}

/** A scheduled handler that posts what it saw to the receiver; the cron "13 13 13 1 *" makes it throw. */
const GUARD = `export default {
  async scheduled(controller, env) {
    console.log('guard fired on', controller.cron);
    if (controller.cron === '13 13 13 1 *') throw new Error('the guard failed on purpose');
    await fetch(env.RECEIVER, {
      method: 'POST',
      body: JSON.stringify({ cron: controller.cron, label: env.LABEL, token: env.TOKEN ?? null, version: env.VERSION.id }),
    });
  },
};
`;

function form(metadata: Record<string, unknown>, code: string): FormData {
  const f = new FormData();
  f.set('metadata', new Blob([JSON.stringify(metadata)], { type: 'application/json' }));
  f.set('index.js', new Blob([code], { type: 'application/javascript+module' }), 'index.js');
  return f;
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  w = await startCfApiWorld();
  mkdirSync(join(w.dir, 'guard'));
  writeFileSync(join(w.dir, 'guard', 'index.js'), GUARD);
  writeFileSync(
    join(w.dir, 'guard', 'wrangler.jsonc'),
    JSON.stringify({
      name: 'guard',
      main: 'index.js',
      compatibility_date: '2025-09-01',
      workers_dev: false,
      preview_urls: false,
      version_metadata: { binding: 'VERSION' },
      vars: { LABEL: 'guard', RECEIVER: receiverUrl() },
      triggers: { crons: ['*/5 * * * *'] },
    }),
  );
}, 60_000);
afterAll(async () => {
  await restarted?.close();
  await w?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('several Workers in one account', () => {
  let app: string;
  let guard: string;

  it('wrangler deploys the app, then a guard Worker with a cron trigger beside it; each serves its own deployment', async () => {
    app = /Current Version ID: ([0-9a-f-]{36})/.exec((await ok('deploy')).stdout)?.[1] as string;
    const r = await ok('deploy', '--config', 'guard/wrangler.jsonc');
    expect(r.stdout).toContain('schedule: */5 * * * *');
    guard = /Current Version ID: ([0-9a-f-]{36})/.exec(r.stdout)?.[1] as string;
    expect(guard).toMatch(/^[0-9a-f-]{36}$/);
    const list = (await w.api(scripts())).body.result.map((s: { id: string }) => s.id);
    expect(list.sort()).toEqual(['cf-api-app', 'guard']);
    expect(await serving('cf-api-app')).toEqual([{ version_id: app, percentage: 100 }]);
    expect(await serving('guard')).toEqual([{ version_id: guard, percentage: 100 }]);
    const versions = async (s: string) =>
      (await w.api(`${scripts()}/${s}/versions`)).body.result.items.map((v: { id: string }) => v.id);
    expect(await versions('guard')).toEqual([guard]);
    expect(await versions('cf-api-app')).toEqual([app]);
    // The data plane keeps serving the app.
    expect(await (await w.request('/')).json()).toMatchObject({ version: app, label: 'one' });
  }, 90_000);

  it("the guard's cron trigger is stored as wrangler sent it, and fires on demand on the guard's version", async () => {
    const schedules = (await w.api(`${scripts()}/guard/schedules`)).body.result.schedules;
    expect(schedules).toEqual([
      { cron: '*/5 * * * *', created_on: expect.any(String), modified_on: expect.any(String) },
    ]);
    const fired = await fire('guard');
    expect(fired.body.result).toEqual({
      script: 'guard',
      version: guard,
      cron: '*/5 * * * *',
      outcome: 'ok',
    });
    expect(received.at(-1)).toEqual({ cron: '*/5 * * * *', label: 'guard', token: null, version: guard });
  }, 30_000);

  it("a secret put on the guard makes a new version of the guard only; the app's deployment does not move", async () => {
    const put = await w.api(
      `${scripts()}/guard/secrets`,
      json('PUT', { name: 'TOKEN', text: 's3cret', type: 'secret_text' }),
    );
    expect(put.status).toBe(200);
    const now = (await serving('guard'))[0].version_id;
    expect(now).not.toBe(guard);
    guard = now;
    expect((await fire('guard', '0 12 * * mon-fri')).body.result).toMatchObject({
      version: guard,
      outcome: 'ok',
    });
    expect(received.at(-1)).toEqual({
      cron: '0 12 * * mon-fri',
      label: 'guard',
      token: 's3cret',
      version: guard,
    });
    expect(await serving('cf-api-app')).toEqual([{ version_id: app, percentage: 100 }]);
    expect(await (await w.request('/')).json()).toMatchObject({ version: app });
  }, 30_000);

  it('a Worker uploaded through the REST API (plain_text and secret_text bindings) runs apart too', async () => {
    const metadata = {
      main_module: 'index.js',
      compatibility_date: '2025-09-01',
      bindings: [
        { type: 'plain_text', name: 'LABEL', text: 'rest' },
        { type: 'plain_text', name: 'RECEIVER', text: receiverUrl() },
        { type: 'secret_text', name: 'TOKEN', text: 'from-the-upload' },
        { type: 'version_metadata', name: 'VERSION' },
      ],
    };
    const put = await w.api(`${scripts()}/guard-api`, { method: 'PUT', body: form(metadata, GUARD) });
    expect(put.status).toBe(200);
    const version = put.body.result.deployment_id;
    expect(await serving('guard-api')).toEqual([{ version_id: version, percentage: 100 }]);
    // No trigger yet: a cron must be named.
    expect(expectError(await fire('guard-api'), 400, 10021)).toMatch(/has no cron trigger/);
    expect((await fire('guard-api', '* * * * *')).body.result).toEqual({
      script: 'guard-api',
      version,
      cron: '* * * * *',
      outcome: 'ok',
    });
    expect(received.at(-1)).toEqual({ cron: '* * * * *', label: 'rest', token: 'from-the-upload', version });
    const secrets = (await w.api(`${scripts()}/guard-api/secrets`)).body.result;
    expect(secrets).toEqual([{ name: 'TOKEN', type: 'secret_text' }]);
    // A new Worker whose first upload fails to start leaves nothing behind.
    const broken = await w.api(`${scripts()}/broken`, {
      method: 'PUT',
      body: form(metadata, 'throw new Error("at load")'),
    });
    expect(expectError(broken, 400, 10021)).toMatch(/at load/);
    const list = (await w.api(scripts())).body.result.map((s: { id: string }) => s.id);
    expect(list.sort()).toEqual(['cf-api-app', 'guard', 'guard-api']);
    expect(existsSync(join(statePaths(w.dir).root, 'cf-scripts', 'broken'))).toBe(false);
    expect(existsSync(join(statePaths(w.dir).root, 'cf-scripts', 'guard-api'))).toBe(true);
  }, 30_000);

  it('schedules round-trip through PUT and GET; an invalid cron string is refused (10100) and nothing changes', async () => {
    const path = `${scripts()}/guard-api/schedules`;
    const body = [{ cron: '* * * * *' }, { cron: '0 18 * * friL' }];
    const put = await w.api(path, json('PUT', body));
    expect(put.body.result.schedules.map((s: { cron: string }) => s.cron)).toEqual([
      '* * * * *',
      '0 18 * * friL',
    ]);
    expect((await w.api(path)).body.result).toEqual(put.body.result);
    // Weekdays are 1-7 on Cloudflare: 0 is refused, as it refuses it.
    const bad = await w.api(path, json('PUT', [{ cron: '*/10 * * * *' }, { cron: '0 22 * * 0' }]));
    expect(expectError(bad, 400, 10100)).toMatch(/"0 22 \* \* 0".*day of week/);
    expectError(await w.api(path, json('PUT', { cron: '* * * * *' })), 400, 10021);
    expect((await w.api(path)).body.result).toEqual(put.body.result);
    expect((await fire('guard-api')).body.result).toMatchObject({ cron: '* * * * *', outcome: 'ok' });
    expectError(await w.api(`${scripts()}/nobody/schedules`, json('PUT', body)), 404, 10007);
  }, 30_000);

  it('a handler that throws is an outcome, not a failure of the API; an unknown Worker is 404', async () => {
    expect((await fire('guard-api', '13 13 13 1 *')).body.result).toMatchObject({ outcome: 'exception' });
    expect((await fire('guard-api', '* * * * *')).body.result).toMatchObject({ outcome: 'ok' });
    expect(expectError(await fire('nobody'), 404, 10007)).toMatch(/does not exist/);
    expectError(await fire('guard-api', '61 * * * *'), 400, 10100);
  }, 30_000);

  it('DELETE removes a Worker beside the app, refuses the app itself; the app keeps serving', async () => {
    const del = await w.api(`${scripts()}/guard-api?force=true`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(del.body.result).toEqual({ id: 'guard-api' });
    expectError(await fire('guard-api', '* * * * *'), 404, 10007);
    expectError(await w.api(`${scripts()}/guard-api/schedules`), 404, 10007);
    expectError(await w.api(`${scripts()}/guard-api`, { method: 'DELETE' }), 404, 10007);
    expect(existsSync(join(statePaths(w.dir).root, 'cf-scripts', 'guard-api'))).toBe(false);
    expect(expectError(await w.api(`${scripts()}/cf-api-app`, { method: 'DELETE' }), 400, 10021)).toMatch(
      /data plane/,
    );
    const list = (await w.api(scripts())).body.result.map((s: { id: string }) => s.id);
    expect(list.sort()).toEqual(['cf-api-app', 'guard']);
    expect(await (await w.request('/')).json()).toMatchObject({ version: app });
  }, 30_000);

  it('after a daemon restart the guard serves its last deployment again: its cron fires, its deployments list', async () => {
    await w.daemon.close();
    let log = '';
    restarted = await runDaemon({
      projectDir: w.dir,
      port: 0,
      controlPort: 0,
      output: (text) => {
        log += text;
      },
    });
    const token = readFileSync(statePaths(w.dir).token, 'utf8').trim();
    const base = `${restarted.info.controlUrl}/client/v4`;
    // biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field in assertions
    const call = async (path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> => {
      const res = await fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
      });
      return { status: res.status, body: await res.json() };
    };
    const fired = await call('/_local/scheduled', json('POST', { script: 'guard' }));
    expect(fired.body.result).toEqual({
      script: 'guard',
      version: guard,
      cron: '*/5 * * * *',
      outcome: 'ok',
    });
    expect(received.at(-1)).toMatchObject({ version: guard, token: 's3cret' });
    // The guard's own output reaches the daemon's log, marked with its name; so does a handler that throws.
    expect(
      (await call('/_local/scheduled', json('POST', { script: 'guard', cron: '13 13 13 1 *' }))).body.result,
    ).toMatchObject({ outcome: 'exception' });
    await expect.poll(() => log).toMatch(/\[guard\] .*guard fired on \*\/5 \* \* \* \*/);
    await expect
      .poll(() => log)
      .toMatch(/\[guard\] cron trigger "13 13 13 1 \*" on version [0-9a-f-]{36}: exception/);
    const deployments = (await call(`${scripts()}/guard/deployments`)).body.result.deployments;
    expect(deployments[0].versions).toEqual([{ version_id: guard, percentage: 100 }]);
    expect(await (await fetch(restarted.info.url)).json()).toMatchObject({ version: app });
    // `DELETE services/{s}`, what `wrangler delete` sends, removes the guard.
    const del = await call(`/accounts/${w.accountId}/workers/services/guard?force=true`, {
      method: 'DELETE',
    });
    expect(del.body.result).toEqual({ id: 'guard' });
    expect((await call('/_local/scheduled', json('POST', { script: 'guard' }))).status).toBe(404);
  }, 60_000);
});
