import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf, ShipshapeEvent } from '../../src/events/types.ts';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';
import { type CfApp, cfReleaseConfig, createCfApp, finishedEvent } from '../support/cf-app.ts';

// A project of two components on target "cloudflare", against the local Cloudflare API stand-in with real
// wrangler: a Pages site (released first) and the stand-in's fixture Worker (`after` the site). Pages has no traffic
// split: the site's new deployment is a preview, checked at its own address while production serves the old one,
// then made production at once; a rollback returns it through Pages' own rollback. Tests build on each other.
let w: CfApiWorld;
let app: CfApp;
const PROJECT = 'cf-site';
const project = () => `/accounts/${w.accountId}/pages/projects/${PROJECT}`;

interface Deployment {
  id: string;
  url: string;
  environment: string;
  deployment_trigger: { metadata: { commit_message: string } };
}

const config = (url: string) => ({
  ...cfReleaseConfig(url),
  // Through the front door (the last component released): both answer /health.
  e2e: { endpoints: [{ name: 'health', path: '/health' }], samples: 3 },
  components: [
    {
      name: 'site',
      dir: 'site',
      health: {
        checks: [{ name: 'site health', path: '/health', critical: true, retries: 1, retryDelay: '300ms' }],
        securityHeaders: [],
      },
    },
    { name: 'api', dir: '.', after: ['site'] },
  ],
});

/** The site's files: its home page says `home`, its Function answers /health with `status`. */
function writeSite(home: string, status = 200): void {
  const site = join(app.dir, 'site');
  mkdirSync(join(site, 'public'), { recursive: true });
  mkdirSync(join(site, 'functions'), { recursive: true });
  writeFileSync(
    join(site, 'wrangler.jsonc'),
    JSON.stringify({ name: PROJECT, pages_build_output_dir: './public', compatibility_date: '2025-09-01' }),
  );
  writeFileSync(join(site, 'public', 'index.html'), `<h1>${home}</h1>`);
  writeFileSync(
    join(site, 'functions', 'health.js'),
    `export const onRequest = () => new Response('site ok', { status: ${status} });\n`,
  );
}

function commit(message: string): void {
  app.git('add', '-A');
  app.git('commit', '-qm', message);
}

const siteProject = async () => (await w.api(project())).body.result;
const production = async () => `http://${(await siteProject()).domains[0]}`;
const home = async () => (await fetch(await production())).text();
const siteDeployments = async () => (await w.api(`${project()}/deployments`)).body.result as Deployment[];
const ofComponent = (events: ShipshapeEvent[], component: string) =>
  events.filter((e) => 'component' in e && e.component === component);
const uploaded = (events: ShipshapeEvent[], component: string) =>
  (
    ofComponent(events, component).find((e) => e.type === 'version.uploaded') as
      | EventOf<'version.uploaded'>
      | undefined
  )?.version;

/** Every home page production served while the site's verify checks ran (fetched as each check finished). */
function watchProduction(base: string) {
  const seen: Array<Promise<string>> = [];
  return {
    onEvent(e: ShipshapeEvent) {
      if (e.type === 'check.finished' && e.phase === 'verify' && e.component === 'site')
        seen.push(fetch(base).then((r) => r.text()));
    },
    seen: () => Promise.all(seen),
  };
}

beforeAll(async () => {
  w = await startCfApiWorld();
  app = createCfApp(w, config(w.daemon.info.url), 'shipshape-cf-pages-');
  writeSite('site one');
  commit('site');
}, 60_000);

afterAll(async () => {
  await w?.close();
  app?.remove();
});

describe('a Pages component on target "cloudflare"', () => {
  let siteV1: string;
  let siteV2: string;

  it('deploy --dry-run --json plans the site with strategy preview and the worker with split', async () => {
    const r = await app.cli(['deploy', '--dry-run']);
    expect(r.code, `${r.err}\n${r.out.slice(-2000)}`).toBe(0);
    const plan = r.events.find((e) => e.type === 'plan') as EventOf<'plan'>;
    expect(plan.components?.map((c) => [c.name, c.kind, c.strategy, c.change])).toEqual([
      ['site', 'pages', 'preview', 'new'],
      ['api', 'worker', 'split', 'new'],
    ]);
    // Nothing was created: the project does not exist yet.
    expect((await w.api(project())).status).toBe(404);
  }, 120_000);

  it('a first release creates the project, checks the preview at its own address, then makes it production', async () => {
    const r = await app.cli(['deploy']);
    expect(finishedEvent(r.events)?.outcome, `${r.err}\n${r.out.slice(-3000)}`).toBe('promoted');
    siteV1 = uploaded(r.events, 'site') as string;
    const [prod, preview] = await siteDeployments();
    expect([prod.environment, preview.environment]).toEqual(['production', 'preview']);
    expect(preview.id).toBe(siteV1);
    // The site's checks went to the preview's own address, pinned to its version.
    const checked = ofComponent(r.events, 'site').filter(
      (e): e is EventOf<'check.finished'> => e.type === 'check.finished' && e.phase === 'verify',
    );
    expect(checked.map((c) => [c.name, c.status])).toContainEqual(['site health', 'pass']);
    expect(String(checked[0].evidence?.url)).toContain(new URL(preview.url).host);
    // Made production by deploying the same output to the production branch, named for the preview.
    expect(prod.deployment_trigger.metadata.commit_message).toContain(`[of ${siteV1}]`);
    expect((await siteProject()).canonical_deployment.id).toBe(prod.id);
    expect(await home()).toBe('<h1>site one</h1>');
    // No traffic steps for the site: one switch to 100%.
    const moves = ofComponent(r.events, 'site').filter((e) => e.type === 'traffic.changed');
    expect(moves.map((e) => (e as EventOf<'traffic.changed'>).split)).toEqual([
      [{ version: siteV1, percent: 0 }],
      [{ version: siteV1, percent: 100 }],
    ]);
  }, 300_000);

  it('a second release: production keeps serving the old site while the new preview is verified', async () => {
    writeSite('site two');
    commit('site two');
    app.change('api two');
    const before = await production();
    const watch = watchProduction(before);
    const r = await app.cli(['deploy'], {}, undefined, { onEvent: watch.onEvent });
    expect(finishedEvent(r.events)?.outcome, `${r.err}\n${r.out.slice(-3000)}`).toBe('promoted');
    siteV2 = uploaded(r.events, 'site') as string;
    const served = await watch.seen();
    expect(served.length).toBeGreaterThan(0);
    expect(new Set(served)).toEqual(new Set(['<h1>site one</h1>']));
    expect(await home()).toBe('<h1>site two</h1>');
    const plan = r.events.find((e) => e.type === 'plan') as EventOf<'plan'>;
    expect(plan.components?.find((c) => c.name === 'site')?.serving?.version).toBe(siteV1);
  }, 300_000);

  it('a failing check on the new site: verify stops the release and production never changes', async () => {
    const canonical = (await siteProject()).canonical_deployment.id;
    writeSite('site broken', 500);
    commit('broken site');
    const r = await app.cli(['deploy']);
    expect(r.code, `${r.err}\n${r.out.slice(-3000)}`).toBe(1);
    const failed = ofComponent(r.events, 'site').find(
      (e) => e.type === 'check.finished' && e.phase === 'verify' && e.status === 'fail',
    );
    expect(failed).toBeDefined();
    // Only the site changed; its preview never became production.
    expect(ofComponent(r.events, 'api').some((e) => e.type === 'version.uploaded')).toBe(false);
    expect((await siteProject()).canonical_deployment.id).toBe(canonical);
    expect(await home()).toBe('<h1>site two</h1>');
    expect((await siteDeployments())[0]).toMatchObject({ environment: 'preview' });
  }, 300_000);

  it("a rollback decided by the worker's judgement returns the site to its previous production deployment", async () => {
    const previous = (await siteProject()).canonical_deployment as Deployment;
    writeSite('site three');
    const source = join(app.dir, 'src', 'index.js');
    writeFileSync(
      source,
      readFileSync(source, 'utf8').replace(
        'async fetch(request, env) {',
        // Only unpinned requests fail: the pinned checks pass, so the judge is the one that catches it.
        "async fetch(request, env) {\n    if (!request.headers.has('cloudflare-workers-version-overrides') && Math.random() < 0.34) throw new Error('faulty build');",
      ),
    );
    commit('site three, faulty api');
    const r = await app.cli(['deploy']);
    expect(r.code, `${r.err}\n${r.out.slice(-3000)}`).toBe(1);
    const end = finishedEvent(r.events);
    expect(end?.outcome).toBe('rolled_back');
    expect(end?.decidedBy).toBe('api');
    // The site was production before the worker's rollout began, and is rolled back after the worker (reverse order).
    const site3 = uploaded(r.events, 'site') as string;
    const promoted = r.events.findIndex(
      (e) =>
        e.type === 'traffic.changed' &&
        e.component === 'site' &&
        e.split.some((s) => s.version === site3 && s.percent === 100),
    );
    const steps = r.events.flatMap((e) => (e.type === 'rollback.step' ? [e.step] : []));
    expect(promoted).toBeGreaterThan(-1);
    expect(steps.indexOf('traffic:api')).toBeLessThan(steps.indexOf('traffic:site'));
    // Pages' own rollback: the earlier production deployment is canonical again, not a new deployment.
    const now = await siteProject();
    expect(now.canonical_deployment.id).toBe(previous.id);
    expect(now.latest_deployment.deployment_trigger.metadata.commit_message).toContain(`[of ${site3}]`);
    expect(await home()).toBe('<h1>site two</h1>');
    expect(siteV2).toBeDefined();
  }, 300_000);

  it('deploy --only site: the preview is checked (verify and e2e at its address), then production at once, no monitor', async () => {
    writeSite('site four');
    commit('site four');
    const r = await app.cli(['deploy', '--only', 'site']);
    expect(finishedEvent(r.events)?.outcome, `${r.err}\n${r.out.slice(-3000)}`).toBe('promoted');
    const site4 = uploaded(r.events, 'site') as string;
    const preview = (await siteDeployments()).find((d) => d.id === site4) as Deployment;
    const e2e = r.events.filter(
      (e): e is EventOf<'check.finished'> => e.type === 'check.finished' && e.phase === 'e2e',
    );
    const endpoint = e2e.find((c) => c.name === 'health');
    expect(endpoint?.status).toBe('pass');
    expect(String(endpoint?.evidence?.url)).toContain(new URL(preview.url).host);
    expect(r.events.some((e) => e.type === 'wait.started' && e.label === 'monitor')).toBe(false);
    expect(await home()).toBe('<h1>site four</h1>');
  }, 300_000);
});
