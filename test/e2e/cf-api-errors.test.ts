import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';

// Every refusal of the local Cloudflare API answers Cloudflare's envelope with its code; analytics come from the
// router's real counts; production's imperfections can be switched on.
let w: CfApiWorld;
const scripts = () => `/accounts/${w.accountId}/workers/scripts`;
const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const WORKER = `export default { fetch(req, env) { return new Response(env.LABEL ?? 'none', { headers: { 'x-version-id': env.V.id } }) } }`;
function form(metadata: Record<string, unknown>, code = WORKER): FormData {
  const f = new FormData();
  f.set('metadata', new Blob([JSON.stringify(metadata)], { type: 'application/json' }));
  f.set('index.js', new Blob([code], { type: 'application/javascript+module' }), 'index.js');
  return f;
}
const meta = (label: string, extra: Record<string, unknown> = {}) => ({
  main_module: 'index.js',
  compatibility_date: '2025-09-01',
  bindings: [
    { type: 'plain_text', name: 'LABEL', text: label },
    { type: 'version_metadata', name: 'V' },
  ],
  ...extra,
});
const upload = (path: string, method: string, metadata: Record<string, unknown>, code?: string) =>
  w.api(path, { method, body: form(metadata, code) });
function expectError(r: { status: number; body: Record<string, unknown> }, status: number, code: number) {
  expect(r.status).toBe(status);
  expect(r.body).toMatchObject({ success: false, messages: [], result: null });
  expect((r.body.errors as Array<{ code: number; message: string }>)[0].code).toBe(code);
  expect(typeof (r.body.errors as Array<{ message: string }>)[0].message).toBe('string');
}

beforeAll(async () => {
  w = await startCfApiWorld();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

describe('authentication and routing', () => {
  it('no header is 400 9106, a malformed header 400 6003 caused by 6111, a wrong token 403 10000', async () => {
    const raw = (headers: Record<string, string>) =>
      fetch(`${w.base}/accounts`, { headers }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, unknown>,
      }));
    expectError(await raw({}), 400, 9106);
    const malformed = await raw({ authorization: 'Token abc' });
    expectError(malformed, 400, 6003);
    expect((malformed.body.errors as Array<{ error_chain: unknown }>)[0].error_chain).toEqual([
      { code: 6111, message: 'Invalid format for Authorization header' },
    ]);
    expectError(await raw({ authorization: 'Bearer wrong' }), 403, 10000);
  });

  it('another account is 403 10000; unknown routes 7003, wrong methods 7001', async () => {
    expectError(await w.api('/accounts/0123456789abcdef0123456789abcdef/workers/scripts'), 403, 10000);
    expectError(await w.api(`/accounts/${w.accountId}/no/such/thing`), 404, 7003);
    expectError(await w.api(`${scripts()}/x/versions`, { method: 'DELETE' }), 405, 7001);
  });
});

describe('Workers scripts, versions and deployments', () => {
  it('an unknown Worker is 10090 on services, 10007 on scripts; its first version only through PUT scripts/{s}', async () => {
    expectError(await w.api(`/accounts/${w.accountId}/workers/services/cf-api-app`), 404, 10090);
    expectError(await w.api(`${scripts()}/cf-api-app/versions`), 404, 10007);
    expectError(await upload(`${scripts()}/cf-api-app/versions`, 'POST', meta('a')), 404, 10007);
    const put = await upload(`${scripts()}/cf-api-app`, 'PUT', meta('a'));
    expect(put.body.success).toBe(true);
    expect(await (await w.request('/')).text()).toBe('a');
    expect((await w.request('/')).headers.get('x-version-id')).toBe(put.body.result.deployment_id);
  });

  it('a version upload with a Durable Object migration is 10211; bad uploads are 10021', async () => {
    const path = `${scripts()}/cf-api-app/versions`;
    expectError(
      await upload(path, 'POST', meta('b', { migrations: { new_tag: 'v1', new_classes: ['C'] } })),
      400,
      10211,
    );
    expectError(await upload(path, 'POST', meta('b', { main_module: 'missing.js' })), 400, 10021);
    expectError(await upload(path, 'POST', { main_module: 'index.js' }), 400, 10021);
    const refused = async (bindings: unknown[]) => {
      const r = await upload(path, 'POST', meta('b', { bindings }));
      expectError(r, 400, 10021);
      return r.body.errors[0].message as string;
    };
    expect(await refused([{ type: 'ai', name: 'AI' }])).toContain('not run by the local platform');
    expect(
      await refused([{ type: 'durable_object_namespace', name: 'D', class_name: 'C', script_name: 'other' }]),
    ).toContain('names Worker "other"');
    expect(await refused([{ type: 'service', name: 'S', service: 'other' }])).toContain(
      'names Worker "other"',
    );
    expect(await refused([{ type: 'r2_bucket', name: 'B' }])).toContain('"bucket_name"');
    expect(await refused([{ type: 'assets', name: 'ASSETS' }])).toContain('metadata.assets.jwt');
    expectError(await upload(path, 'POST', meta('b'), 'throw new Error("at load")'), 400, 10021);
    expectError(await w.api(path, json('POST', {})), 400, 10021);
  });

  it('an uploaded version inherits bindings and runs when pinned after a 0% deployment', async () => {
    const path = `${scripts()}/cf-api-app/versions?bindings_inherit=strict`;
    const inherited = await upload(path, 'POST', {
      ...meta('ignored'),
      bindings: [
        { type: 'inherit', name: 'LABEL' },
        { type: 'version_metadata', name: 'V' },
      ],
    });
    expect(inherited.body.success).toBe(true);
    const id = inherited.body.result.id as string;
    const current = (await w.api(`${scripts()}/cf-api-app/deployments`)).body.result.deployments[0]
      .versions[0].version_id;
    const deployed = await w.api(
      `${scripts()}/cf-api-app/deployments`,
      json('POST', {
        strategy: 'percentage',
        versions: [
          { version_id: current, percentage: 100 },
          { version_id: id, percentage: 0 },
        ],
      }),
    );
    expect(deployed.body.success).toBe(true);
    const pinned = await w.request('/', id);
    expect(pinned.headers.get('x-version-id')).toBe(id);
    expect(await pinned.text()).toBe('a');
    expectError(
      await upload(path, 'POST', { ...meta('x'), bindings: [{ type: 'inherit', name: 'NOPE' }] }),
      400,
      10021,
    );
  });

  it('a Durable Object migration whose old_tag is not the current tag is refused (10021)', async () => {
    const r = await upload(
      `${scripts()}/cf-api-app`,
      'PUT',
      meta('m', { migrations: { old_tag: 'v9', new_tag: 'v10', steps: [{ new_sqlite_classes: ['C'] }] } }),
    );
    expectError(r, 400, 10021);
    expect(r.body.errors[0].message).toContain('Migration precondition failed');
  });

  it('assets uploads: bad manifests 10001, tokens that are missing, wrong or unfinished 401 8000013', async () => {
    const session = (body: unknown) =>
      w.api(`${scripts()}/cf-api-app/assets-upload-session`, json('POST', body));
    expectError(await session({ manifest: [] }), 400, 10001);
    expectError(await session({ manifest: { '/a.txt': { size: 1 } } }), 400, 10001);
    const open = await session({ manifest: { '/a.txt': { hash: 'ab'.repeat(16), size: 1 } } });
    expect(open.body.result.buckets).toEqual([['ab'.repeat(16)]]);
    const post = (token: string | null, hash = 'ab'.repeat(16)) => {
      const f = new FormData();
      f.set(hash, new Blob([Buffer.from('a').toString('base64')]), hash);
      return fetch(`${w.base}/accounts/${w.accountId}/workers/assets/upload?base64=true`, {
        method: 'POST',
        body: f,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    };
    expectError(await post(null), 401, 8000013);
    expectError(await post(w.token), 401, 8000013);
    expectError(await post(open.body.result.jwt, 'not-a-hash'), 400, 10001);
    // An upload token is not a completion token: the version upload refuses it.
    const early = await upload(`${scripts()}/cf-api-app/versions`, 'POST', {
      ...meta('x'),
      assets: { jwt: open.body.result.jwt },
    });
    expectError(early, 401, 8000013);
    const done = await post(open.body.result.jwt);
    expect(done.status).toBe(201);
    expect(typeof (done.body.result as { jwt: string }).jwt).toBe('string');
  });

  it('deployments: at most two versions, summing to 100, known versions, strategy percentage', async () => {
    const ids = (await w.api(`${scripts()}/cf-api-app/versions`)).body.result.items.map(
      (v: { id: string }) => v.id,
    );
    const deploy = (body: unknown) => w.api(`${scripts()}/cf-api-app/deployments`, json('POST', body));
    const v = (id: string, percentage: number) => ({ version_id: id, percentage });
    expectError(
      await deploy({ strategy: 'percentage', versions: [v(ids[0], 50), v(ids[1], 25), v(ids[0], 25)] }),
      400,
      10021,
    );
    expectError(
      await deploy({ strategy: 'percentage', versions: [v(ids[0], 50), v(ids[1], 40)] }),
      400,
      10021,
    );
    expectError(
      await deploy({ strategy: 'percentage', versions: [v('00000000-0000-0000-0000-000000000000', 100)] }),
      404,
      10217,
    );
    expectError(await deploy({ strategy: 'immediate', versions: [v(ids[0], 100)] }), 400, 10021);
    const bad = await w.api(`${scripts()}/cf-api-app/deployments`, json('POST', '{not json'));
    expectError(bad, 400, 6007);
    expect(bad.body.errors[0].message).toBe('Malformed JSON in request body');
    expectError(
      await w.api(`${scripts()}/cf-api-app/versions/00000000-0000-0000-0000-000000000000`),
      404,
      10217,
    );
  });

  it('secrets: 10215 while the newest version is not fully deployed, 10056 for an unknown one, 10220 guard', async () => {
    const secrets = `${scripts()}/cf-api-app/secrets`;
    expectError(await w.api(secrets, json('PUT', { name: 'K', text: 'v', type: 'secret_text' })), 400, 10215);
    const missing = await w.api(`${secrets}/NOPE`, { method: 'DELETE' });
    expectError(missing, 404, 10056);
    expect(missing.body.errors[0].message).toBe("Binding 'NOPE' not found.");
    expectError(await w.api(`${secrets}/NOPE`), 404, 10056);
    const newest = (await w.api(`${scripts()}/cf-api-app/versions`)).body.result.items[0].id;
    const before = (await w.api(`${scripts()}/cf-api-app/deployments`)).body.result.deployments[0].versions;
    const old = before.find((x: { percentage: number }) => x.percentage === 100).version_id;
    await w.api(
      `${scripts()}/cf-api-app/deployments`,
      json('POST', { strategy: 'percentage', versions: [{ version_id: newest, percentage: 100 }] }),
    );
    expect(
      (await w.api(secrets, json('PUT', { name: 'K', text: 'v', type: 'secret_text' }))).body.success,
    ).toBe(true);
    expect((await w.api(secrets)).body.result).toEqual([{ name: 'K', type: 'secret_text' }]);
    const back = { strategy: 'percentage', versions: [{ version_id: old, percentage: 100 }] };
    expectError(await w.api(`${scripts()}/cf-api-app/deployments`, json('POST', back)), 400, 10220);
    expect(
      (await w.api(`${scripts()}/cf-api-app/deployments?force=true`, json('POST', back))).body.success,
    ).toBe(true);
    expect((await w.request('/')).headers.get('x-version-id')).toBe(old);
  });
});

describe('D1 and KV', () => {
  const db = () => `/accounts/${w.accountId}/d1/database`;
  const DB = '6d0c6a83-6f4b-4f35-9a0e-2a8f1d1c0b11';
  const ns = () => `/accounts/${w.accountId}/storage/kv/namespaces/4f1e2d3c4b5a69788796a5b4c3d2e1f0`;

  it('lists the project database by name; query and raw run with params and batches; errors are 7404/7500', async () => {
    expect((await w.api(`${db()}?name=cf-api-db`)).body.result).toMatchObject([
      { uuid: DB, name: 'cf-api-db' },
    ]);
    const q = await w.api(
      `${db()}/${DB}/query`,
      json('POST', { sql: "CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x');" }),
    );
    expect(q.body.result).toHaveLength(2);
    const p = await w.api(
      `${db()}/${DB}/query`,
      json('POST', { sql: 'SELECT b FROM t WHERE a = ?', params: [1] }),
    );
    expect(p.body.result[0].results).toEqual([{ b: 'x' }]);
    const raw = await w.api(
      `${db()}/cf-api-db/raw`,
      json('POST', { batch: [{ sql: 'SELECT a, b FROM t' }] }),
    );
    expect(raw.body.result[0].results).toEqual({ columns: ['a', 'b'], rows: [[1, 'x']] });
    expectError(await w.api(`${db()}/nope/query`, json('POST', { sql: 'SELECT 1' })), 404, 7404);
    expectError(
      await w.api(`${db()}/${DB}/query`, json('POST', { sql: 'SELECT * FROM missing' })),
      400,
      7500,
    );
    expectError(
      await w.api(`${db()}/${DB}/time_travel/restore?bookmark=00000000-bad`, { method: 'POST' }),
      400,
      7500,
    );
    const q7400 = (body: unknown) => w.api(`${db()}/${DB}/query`, json('POST', body));
    for (const body of [{ sql: 1 }, { sql: 'SELECT ?', params: 'x' }, { batch: [{ params: [] }] }]) {
      const r = await q7400(body);
      expectError(r, 400, 7400);
      expect(r.body.errors[0].message).toMatch(/^The request is malformed: /);
    }
    expectError(await q7400({ sql: '  ' }), 400, 7500);
    expectError(await q7400({ sql: 'SELECT ?; SELECT ?', params: [1] }), 400, 7500);
    expectError(await w.api(`${db()}/${DB}/time_travel/bookmark?timestamp=yesterday`), 400, 7400);
    expectError(await w.api(`${db()}/${DB}/time_travel/bookmark?timestamp=2001-01-01T00:00:00Z`), 400, 7500);
    expectError(await w.api(`${db()}/${DB}/time_travel/restore`, { method: 'POST' }), 400, 7400);
  });

  it('KV values and keys with a cursor; unknown namespace 10013, missing key 10009', async () => {
    for (let i = 0; i < 15; i++)
      await w.api(`${ns()}/values/k${String(i).padStart(2, '0')}`, { method: 'PUT', body: `v${i}` });
    expect((await w.api(`${ns()}/values/k03`)).body).toBe('v3');
    const first = await w.api(`${ns()}/keys?limit=10&prefix=k`);
    expect(first.body.result).toHaveLength(10);
    const second = await w.api(`${ns()}/keys?limit=10&prefix=k&cursor=${first.body.result_info.cursor}`);
    expect(second.body.result.map((k: { name: string }) => k.name)).toEqual([
      'k10',
      'k11',
      'k12',
      'k13',
      'k14',
    ]);
    expect(second.body.result_info.cursor).toBe('');
    await w.api(`${ns()}/values/k03`, { method: 'DELETE' });
    expectError(await w.api(`${ns()}/values/k03`), 404, 10009);
    const nons = await w.api(`/accounts/${w.accountId}/storage/kv/namespaces/nope/values/a`);
    expectError(nons, 404, 10013);
    expect(nons.body.errors[0].message).toBe("get: 'namespace not found'");
    expectError(await w.api(`/accounts/${w.accountId}/storage/kv/namespaces/nope`), 404, 10013);
    expectError(await w.api(`/accounts/${w.accountId}/storage/kv/namespaces/nope/keys`), 404, 10013);
    expectError(await w.api(`${ns()}/keys?limit=5`), 400, 10001);
    expectError(await w.api(`${ns()}/keys?cursor=bm9wZQ`), 400, 10001);
    const form = new FormData();
    form.set('metadata', '{}');
    expectError(await w.api(`${ns()}/values/x`, { method: 'PUT', body: form }), 400, 10001);
  });
});

describe('R2 buckets', () => {
  it('an unknown bucket is 404 10006; a bad name 10001; a created bucket is listed', async () => {
    const buckets = `/accounts/${w.accountId}/r2/buckets`;
    const missing = await w.api(`${buckets}/no-such-bucket`);
    expectError(missing, 404, 10006);
    expect(missing.body.errors[0].message).toBe('The specified bucket does not exist.');
    expectError(await w.api(buckets, json('POST', { name: 'Bad_Name' })), 400, 10001);
    expect((await w.api(buckets, json('POST', { name: 'made-here' }))).body.result.name).toBe('made-here');
    expect((await w.api(`${buckets}/made-here`)).body.success).toBe(true);
    expect((await w.api(buckets)).body.result.buckets.map((b: { name: string }) => b.name)).toContain(
      'made-here',
    );
  });
});

describe('Pages', () => {
  const projects = () => `/accounts/${w.accountId}/pages/projects`;
  const assets = (path: string, token: string | null, body: string) =>
    fetch(`${w.base}/pages/assets/${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it('projects: unknown 8000007, bad or taken names 10001', async () => {
    const missing = await w.api(`${projects()}/nope`);
    expectError(missing, 404, 8000007);
    expect(missing.body.errors[0].message).toMatch(/^Project not found/);
    expectError(await w.api(`${projects()}/nope/upload-token`), 404, 8000007);
    expectError(await w.api(`${projects()}/nope/deployments`), 404, 8000007);
    expectError(await w.api(projects(), json('POST', { name: 'Not Valid' })), 400, 10001);
    expect((await w.api(projects(), json('POST', { name: 'errs-site' }))).body.success).toBe(true);
    expectError(await w.api(projects(), json('POST', { name: 'errs-site' })), 409, 10001);
    expectError(await w.api(projects(), json('POST', { name: 'cf-api-app' })), 409, 10001);
  });

  it('uploads need the project upload token (8000013); bodies are checked (10001, 6007)', async () => {
    const jwt = (await w.api(`${projects()}/errs-site/upload-token`)).body.result.jwt as string;
    expectError(await assets('check-missing', null, '{"hashes":[]}'), 401, 8000013);
    expectError(await assets('check-missing', w.token, '{"hashes":[]}'), 401, 8000013);
    expectError(await assets('check-missing', `${jwt}x`, '{"hashes":[]}'), 401, 8000013);
    expectError(await assets('check-missing', jwt, '{"hashes":"x"}'), 400, 10001);
    expectError(await assets('upload', jwt, '[{'), 400, 6007);
    expectError(await assets('upload', jwt, '[{"key":1}]'), 400, 10001);
    expectError(await assets('upload', jwt, '[{"key":"not a hash","value":""}]'), 400, 10001);
    expectError(await assets('upsert-hashes', jwt, '{}'), 400, 10001);
  });

  it('deployments: no manifest 10001; a site beside the Worker leaves it serving; unknown ids 8000000', async () => {
    const deploy = (fields: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      return w.api(`${projects()}/errs-site/deployments`, { method: 'POST', body: f });
    };
    expectError(await deploy({ branch: 'main' }), 400, 10001);
    // A site runs apart from the account's Worker, as <project>.pages.dev is apart from workers.dev.
    const serving = (await w.request('/')).headers.get('x-version-id');
    expect(serving).toBeTruthy();
    expect((await deploy({ manifest: '{}' })).status).toBe(200);
    expect((await w.request('/')).headers.get('x-version-id')).toBe(serving);
    expectError(await w.api(`${projects()}/errs-site/deployments/nope`), 404, 8000000);
    expectError(
      await w.api(`${projects()}/errs-site/deployments/nope/rollback`, { method: 'POST' }),
      404,
      8000000,
    );
  });
});

describe('GraphQL analytics and imperfections', () => {
  const gql = (query: string, variables: Record<string, unknown> = {}) =>
    w.api('/graphql', json('POST', { query, variables }));
  const QUERY = `query Q($account: string!, $since: Time!) { viewer { accounts(filter: {accountTag: $account}) {
    workersInvocationsAdaptive(limit: 100, filter: {scriptName: "cf-api-app", datetime_geq: $since}, orderBy: [sum_requests_DESC]) {
      sum { requests errors subrequests } quantiles { cpuTimeP50 cpuTimeP99 } dimensions { scriptVersion status } } } } }`;

  it('groups the router real counts by version and status', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const id = (await w.request('/')).headers.get('x-version-id') as string;
    const row = async () => {
      const r = await gql(QUERY, { account: w.accountId, since });
      expect(r.body.errors).toBeNull();
      const rows = r.body.data.viewer.accounts[0].workersInvocationsAdaptive;
      return rows.find((x: { dimensions: { scriptVersion: string } }) => x.dimensions.scriptVersion === id);
    };
    const before = (await row()).sum.requests as number;
    for (let i = 0; i < 20; i++) await (await w.request('/')).text();
    const after = await row();
    expect(after.sum).toEqual({ requests: before + 20, errors: 0, subrequests: 0 });
    expect(after.dimensions.status).toBe('success');
    expect(after.quantiles.cpuTimeP50).toBeGreaterThan(0);
  });

  it('answers errors in GraphQL form: syntax, unknown field, other account; introspects its types', async () => {
    expect((await gql('{ viewer { ')).body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await gql('{ viewer { nope } }')).body.errors[0].message).toContain('nope');
    const other = await gql(
      '{ viewer { accounts(filter: {accountTag: "x"}) { workersInvocationsAdaptive(limit: 1) { sum { requests } } } } }',
    );
    expect(other.body.errors[0].message).toContain('not authorized');
    const t = await gql(
      '{ __type(name: "AccountWorkersInvocationsAdaptiveDimensions") { name fields { name } } }',
    );
    expect(t.body.data.__type.fields.map((f: { name: string }) => f.name)).toContain('scriptVersion');
  });

  it('analytics lag hides recent data; 429 with Retry-After, 5xx and slow answers on demand', async () => {
    const set = (body: unknown) => w.api('/_local/imperfections', json('PUT', body));
    const since = new Date(Date.now() - 60_000).toISOString();
    await set({ analyticsLagMs: '5m' });
    const lagged = await gql(QUERY, { account: w.accountId, since });
    expect(lagged.body.data.viewer.accounts[0].workersInvocationsAdaptive).toEqual([]);
    await set({ analyticsLagMs: 0, rateLimitRate: 1, retryAfterSeconds: 7 });
    const limited = await w.api(`${scripts()}/cf-api-app/deployments`);
    expectError(limited, 429, 971);
    expect(limited.headers.get('retry-after')).toBe('7');
    await set({ rateLimitRate: 0, serverErrorRate: 1, serverErrorStatus: 503 });
    expectError(await w.api(`${scripts()}/cf-api-app/deployments`), 503, 10013);
    await set({ serverErrorRate: 0, slowRate: 1, slowMs: '300ms' });
    const started = Date.now();
    expect((await w.api(`${scripts()}/cf-api-app/deployments`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expectError(await set({ sampleRate: 2 }), 400, 10021);
    await set({ slowRate: 0 });
  });
});
