import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';

// Real wrangler (the project's, as a subprocess) against the local platform's Cloudflare API: after each
// command, the router serves what the API says, and a pinned request reaches the uploaded code.
let w: CfApiWorld;
const script = () => `/accounts/${w.accountId}/workers/scripts/cf-api-app`;
const ok = async (...args: string[]) => {
  const r = await w.wrangler(...args);
  if (r.code !== 0) throw new Error(`wrangler ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};
const serving = async () => (await w.api(`${script()}/deployments`)).body.result.deployments[0].versions;
const versionIds = async (): Promise<string[]> =>
  (await w.api(`${script()}/versions?deployable=true`)).body.result.items.map((v: { id: string }) => v.id);
const answer = async (version?: string) =>
  (await w.request('/', version)).json() as Promise<Record<string, string>>;

beforeAll(async () => {
  w = await startCfApiWorld();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

describe('wrangler against the local Cloudflare API', () => {
  it('deploy creates the Worker (non-versioned upload) and the router serves it', async () => {
    const r = await ok('deploy');
    const id = /Current Version ID: ([0-9a-f-]{36})/.exec(r.stdout)?.[1];
    expect(id).toBeTruthy();
    expect(await serving()).toEqual([{ version_id: id, percentage: 100 }]);
    expect(await answer()).toMatchObject({ version: id, label: 'one' });
  }, 60_000);

  it('deploy of an existing Worker goes through versions + deployments and moves the router', async () => {
    const r = await ok('deploy', '--var', 'LABEL:two');
    const id = /Current Version ID: ([0-9a-f-]{36})/.exec(r.stdout)?.[1];
    expect(await serving()).toEqual([{ version_id: id, percentage: 100 }]);
    expect(await answer()).toMatchObject({ version: id, label: 'two' });
  }, 60_000);

  it('versions upload adds a version at 0% that a pinned request reaches once it is deployed', async () => {
    const before = await serving();
    const r = await ok('versions', 'upload', '--var', 'LABEL:three', '--message', 'third');
    const id = /Worker Version ID: ([0-9a-f-]{36})/.exec(r.stdout)?.[1] as string;
    expect((await versionIds())[0]).toBe(id);
    expect(await serving()).toEqual(before);
    const version = (await w.api(`${script()}/versions/${id}`)).body.result;
    expect(version.annotations['workers/message']).toBe('third');
    expect(version.resources.bindings.map((b: { name: string }) => b.name).sort()).toEqual([
      'DB',
      'FLAGS',
      'LABEL',
      'VERSION',
    ]);
  }, 60_000);

  it('versions deploy A@10% B@90% --yes splits the router, and pins reach each version', async () => {
    const [newest, previous] = await versionIds();
    await ok('versions', 'deploy', `${newest}@10%`, `${previous}@90%`, '--yes', '--message', 'split');
    expect(await serving()).toEqual([
      { version_id: newest, percentage: 10 },
      { version_id: previous, percentage: 90 },
    ]);
    expect(await answer(newest)).toMatchObject({ version: newest, label: 'three' });
    expect(await answer(previous)).toMatchObject({ version: previous, label: 'two' });
    const seen = new Set<string>();
    for (let i = 0; i < 80; i++) seen.add((await answer()).version);
    expect(seen).toEqual(new Set([newest, previous]));
    const status = JSON.parse((await ok('deployments', 'status', '--json')).stdout);
    expect(status.versions).toEqual(await serving());
    expect(status.annotations['workers/message']).toBe('split');
  }, 60_000);

  it('rollback returns the router to the version named', async () => {
    const ids = await versionIds();
    const first = ids[ids.length - 1];
    await ok('rollback', first, '-m', 'back to the first');
    expect(await serving()).toEqual([{ version_id: first, percentage: 100 }]);
    expect(await answer()).toMatchObject({ version: first, label: 'one' });
  }, 60_000);

  it('secret put makes a new version that has it; secret list shows it; rollback across it needs force', async () => {
    await ok('deploy', '--var', 'LABEL:four');
    const put = await w.api(`${script()}/secrets`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'API_KEY', text: 's3cret', type: 'secret_text' }),
    });
    expect(put.body).toMatchObject({ success: true, result: { name: 'API_KEY', type: 'secret_text' } });
    const list = JSON.parse((await ok('secret', 'list', '--format', 'json')).stdout);
    expect(list).toEqual([{ name: 'API_KEY', type: 'secret_text' }]);
    const [withSecret, withoutSecret] = await versionIds();
    expect(await serving()).toEqual([{ version_id: withSecret, percentage: 100 }]);
    expect(await answer()).toMatchObject({ version: withSecret, label: 'four', secret: 'set' });
    // The API refuses the rollback across the secret change (10220); wrangler, not interactive, forces it.
    const refused = await w.api(`${script()}/deployments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        strategy: 'percentage',
        versions: [{ version_id: withoutSecret, percentage: 100 }],
      }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].code).toBe(10220);
    await ok('rollback', withoutSecret, '-m', 'forced');
    expect(await answer()).toMatchObject({ version: withoutSecret, secret: 'unset' });
  }, 90_000);

  it('d1 migrations apply --remote runs in the real D1 the versions read', async () => {
    const r = await ok('d1', 'migrations', 'apply', 'DB', '--remote');
    expect(r.stdout).toContain('0001_items.sql');
    expect(await (await w.request('/items')).json()).toEqual([{ name: 'first' }]);
    const again = await ok('d1', 'migrations', 'apply', 'DB', '--remote');
    expect(again.stdout).toMatch(/No migrations to apply/);
  }, 60_000);

  it('d1 time-travel info gives a bookmark and restore returns the data to it', async () => {
    const info = JSON.parse((await ok('d1', 'time-travel', 'info', 'DB', '--json')).stdout);
    expect(info.bookmark).toMatch(/^[0-9a-f]{8}-/);
    await ok('d1', 'execute', 'DB', '--remote', '--command', "INSERT INTO items (name) VALUES ('second')");
    expect(await (await w.request('/items')).json()).toEqual([{ name: 'first' }, { name: 'second' }]);
    const restored = JSON.parse(
      (await ok('d1', 'time-travel', 'restore', 'DB', '--bookmark', info.bookmark, '--json')).stdout,
    );
    expect(restored.bookmark).toBe(info.bookmark);
    expect(restored.previous_bookmark).toMatch(/^[0-9a-f]{8}-/);
    expect(await (await w.request('/items')).json()).toEqual([{ name: 'first' }]);
  }, 60_000);

  it('kv key put/get --remote write the namespace the worker reads', async () => {
    await ok('kv', 'key', 'put', '--remote', '--binding', 'FLAGS', 'greeting', 'hello');
    expect((await ok('kv', 'key', 'get', '--remote', '--binding', 'FLAGS', 'greeting')).stdout.trim()).toBe(
      'hello',
    );
    expect(await (await w.request('/flag')).text()).toBe('hello');
  }, 60_000);
});
