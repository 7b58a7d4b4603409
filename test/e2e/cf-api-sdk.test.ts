import Cloudflare from 'cloudflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';

// A second real client: Cloudflare's official SDK, pointed at the local platform's API, reads and changes what
// real wrangler uploaded, and the router follows.
let w: CfApiWorld;
let cf: Cloudflare;
const SCRIPT = 'cf-api-app';
const DB = '6d0c6a83-6f4b-4f35-9a0e-2a8f1d1c0b11';

beforeAll(async () => {
  w = await startCfApiWorld();
  for (const label of ['one', 'two']) {
    const r = await w.wrangler('deploy', '--var', `LABEL:${label}`);
    if (r.code !== 0) throw new Error(`wrangler deploy exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  }
  cf = new Cloudflare({ apiToken: w.token, baseURL: w.base, maxRetries: 0 });
}, 90_000);
afterAll(async () => {
  await w?.close();
});

describe('the official cloudflare SDK against the local Cloudflare API', () => {
  it('lists versions and deployments, creates a 30/70 deployment, and the router serves it', async () => {
    const versions = [];
    for await (const v of cf.workers.scripts.versions.list(SCRIPT, {
      account_id: w.accountId,
      deployable: true,
    }))
      versions.push(v);
    expect(versions).toHaveLength(2);
    const [newest, previous] = versions.map((v) => v.id as string);
    const listed = await cf.workers.scripts.deployments.list(SCRIPT, { account_id: w.accountId });
    const deployments = listed.result as unknown as { deployments?: Array<{ versions: unknown[] }> };
    const first = (deployments.deployments ??
      (listed.result as unknown as Array<{ versions: unknown[] }>))[0];
    expect(first.versions).toEqual([{ version_id: newest, percentage: 100 }]);

    const created = await cf.workers.scripts.deployments.create(SCRIPT, {
      account_id: w.accountId,
      strategy: 'percentage',
      versions: [
        { version_id: newest, percentage: 30 },
        { version_id: previous, percentage: 70 },
      ],
      annotations: { 'workers/message': 'from the SDK' },
    });
    expect(created.versions).toHaveLength(2);
    const pinned = (await (await w.request('/', previous)).json()) as Record<string, string>;
    expect(pinned).toMatchObject({ version: previous, label: 'one' });
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++)
      seen.add(((await (await w.request('/')).json()) as { version: string }).version);
    expect([...seen].sort()).toEqual([newest, previous].sort());
  }, 60_000);

  it('runs a D1 query with bound parameters on the database the versions share', async () => {
    const page = await cf.d1.database.query(DB, {
      account_id: w.accountId,
      sql: 'SELECT ? + 1 AS answer',
      params: ['41'],
    });
    const rows = page.result[0]?.results as Array<Record<string, unknown>>;
    expect(rows[0].answer).toBe(42);
  });

  it("answers a wrong token with Cloudflare's 403 and code 10000, which the SDK raises as its own error", async () => {
    const bad = new Cloudflare({ apiToken: 'not-the-token', baseURL: w.base, maxRetries: 0 });
    const error = await bad.workers.scripts.versions.list(SCRIPT, { account_id: w.accountId }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Cloudflare.PermissionDeniedError);
    expect((error as InstanceType<typeof Cloudflare.APIError>).errors).toMatchObject([{ code: 10000 }]);
  });
});
