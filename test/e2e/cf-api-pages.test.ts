import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Cloudflare from 'cloudflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';

// `wrangler pages deploy <dir> --project-name X` against the local Cloudflare API: the files go up through the
// upload token and /pages/assets, the deployment is built into a version of the project's own local platform and
// served at the project's production address and at the deployment's own; the official SDK creates the project,
// lists the deployments and rolls back.
let w: CfApiWorld;
let cf: Cloudflare;
const PROJECT = 'cf-api-site';
const ok = async (...args: string[]) => {
  const r = await w.wrangler(...args);
  if (r.code !== 0) throw new Error(`wrangler ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};
/** The project's production address: the stand-in lists it as the project's domain (pages-sites.ts). */
const production = async () =>
  `http://${(await w.api(`/accounts/${w.accountId}/pages/projects/${PROJECT}`)).body.result.domains[0]}`;
const get = async (path: string, base?: string) => {
  const r = await fetch(new URL(path, base ?? (await production())));
  return { status: r.status, text: await r.text(), headers: r.headers };
};

function writeSite(home: string): void {
  const site = join(w.dir, 'site');
  mkdirSync(site, { recursive: true });
  writeFileSync(join(site, 'index.html'), `<h1>${home}</h1>`);
  writeFileSync(join(site, 'about.html'), '<h1>about</h1>');
  writeFileSync(join(site, '_headers'), '/about\n  x-site: about\n');
  mkdirSync(join(w.dir, 'functions', 'api'), { recursive: true });
  writeFileSync(
    join(w.dir, 'functions', 'api', 'hello.js'),
    `export const onRequest = () => new Response('hello from functions ${home}');\n`,
  );
}

beforeAll(async () => {
  w = await startCfApiWorld();
  cf = new Cloudflare({ apiToken: w.token, baseURL: w.base, maxRetries: 0 });
}, 60_000);
afterAll(async () => {
  await w?.close();
});

describe('Pages through the local Cloudflare API', () => {
  it('the SDK creates a direct-upload project', async () => {
    const project = await cf.pages.projects.create({
      account_id: w.accountId,
      name: PROJECT,
      production_branch: 'main',
    });
    expect(project.name).toBe(PROJECT);
    expect(project.source).toBeUndefined();
    const listed = [];
    for await (const p of cf.pages.projects.list({ account_id: w.accountId })) listed.push(p.name);
    expect(listed).toEqual([PROJECT]);
  });

  it('wrangler pages deploy uploads the files and Functions; the router serves the site', async () => {
    writeSite('home one');
    const r = await ok('pages', 'deploy', 'site', '--project-name', PROJECT, '--branch', 'main');
    expect(r.stdout).toContain('Deployment complete');
    expect((await get('/')).text).toBe('<h1>home one</h1>');
    const about = await get('/about');
    expect(about.text).toBe('<h1>about</h1>');
    expect(about.headers.get('x-site')).toBe('about');
    expect((await get('/api/hello')).text).toBe('hello from functions home one');
  }, 120_000);

  it('a second deploy uploads only what changed and serves the new site', async () => {
    writeSite('home two');
    const r = await ok('pages', 'deploy', 'site', '--project-name', PROJECT, '--branch', 'main');
    expect(r.stdout).toMatch(/Uploaded 1 files \(1 already uploaded\)/);
    expect((await get('/')).text).toBe('<h1>home two</h1>');
    expect((await get('/api/hello')).text).toBe('hello from functions home two');
  }, 120_000);

  it('the SDK lists both deployments, newest first, and rolls back to the first', async () => {
    const list = [];
    for await (const d of cf.pages.projects.deployments.list(PROJECT, { account_id: w.accountId }))
      list.push(d);
    expect(list).toHaveLength(2);
    expect(list.every((d) => d.environment === 'production' && d.latest_stage.status === 'success')).toBe(
      true,
    );
    const [second, first] = list;
    expect(Date.parse(second.created_on)).toBeGreaterThanOrEqual(Date.parse(first.created_on));
    const back = await cf.pages.projects.deployments.rollback(first.id, {
      account_id: w.accountId,
      project_name: PROJECT,
    });
    expect(back.id).toBe(first.id);
    expect((await get('/')).text).toBe('<h1>home one</h1>');
    expect((await get('/api/hello')).text).toBe('hello from functions home one');
    const project = await cf.pages.projects.get(PROJECT, { account_id: w.accountId });
    expect(project.canonical_deployment?.id).toBe(first.id);
    expect(project.latest_deployment?.id).toBe(second.id);
  }, 60_000);

  it('a preview branch deploys without taking production traffic', async () => {
    writeSite('home preview');
    await ok('pages', 'deploy', 'site', '--project-name', PROJECT, '--branch', 'feature');
    expect((await get('/')).text).toBe('<h1>home one</h1>');
    const newest = (await w.api(`/accounts/${w.accountId}/pages/projects/${PROJECT}/deployments`)).body
      .result[0];
    expect(newest.environment).toBe('preview');
    const pinned = await fetch(new URL('/', await production()), {
      headers: { 'Cloudflare-Workers-Version-Overrides': `${PROJECT}="${newest.local_version_id}"` },
    });
    // Production follows the canonical deployment only: as on Cloudflare, a pin to the preview is ignored.
    expect(await pinned.text()).toBe('<h1>home one</h1>');
    // The preview answers at its own address, and so does the production deployment at its own.
    expect(newest.url).not.toBe(await production());
    expect((await get('/', newest.url)).text).toBe('<h1>home preview</h1>');
    expect((await get('/api/hello', newest.url)).text).toBe('hello from functions home preview');
    const canonical = (await w.api(`/accounts/${w.accountId}/pages/projects/${PROJECT}`)).body.result
      .canonical_deployment;
    expect((await get('/', canonical.url)).text).toBe('<h1>home one</h1>');
    // The account's Worker address never served the site.
    expect((await fetch(w.daemon.info.url)).status).toBe(503);
  }, 120_000);

  it('refusals: rolling back to a preview (10001), a manifest naming a file never uploaded (10001)', async () => {
    const deployments = `/accounts/${w.accountId}/pages/projects/${PROJECT}/deployments`;
    const preview = (await w.api(deployments)).body.result[0];
    const r = await w.api(`${deployments}/${preview.id}/rollback`, { method: 'POST' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].code).toBe(10001);
    const form = new FormData();
    form.set('manifest', JSON.stringify({ '/ghost.html': 'ab'.repeat(16) }));
    const ghost = await w.api(deployments, { method: 'POST', body: form });
    expect(ghost.status).toBe(400);
    expect(ghost.body).toMatchObject({ success: false, result: null });
    expect(ghost.body.errors[0]).toMatchObject({
      code: 10001,
      message: expect.stringContaining('never uploaded'),
    });
    expect((await get('/')).text).toBe('<h1>home one</h1>');
  });
});
