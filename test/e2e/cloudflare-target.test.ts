import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';
import { atPercent, type CfApp, cfReleaseConfig, createCfApp, finishedEvent } from '../support/cf-app.ts';

// `target: "cloudflare"` end to end: the built CLI deploys an app with real wrangler against the local Cloudflare
// API stand-in (the only fake), whose router is the Worker's URL (cloudflare.url).
let w: CfApiWorld;
let app: string;
let cli: CfApp['cli'];
let change: CfApp['change'];
let git: CfApp['git'];
const script = () => `/accounts/${w.accountId}/workers/scripts/cf-api-app`;

const split = atPercent;
const passed = (events: ShipshapeEvent[], phase: string) =>
  events.some((e) => e.type === 'phase.finished' && e.phase === phase && e.status === 'pass');
const finished = finishedEvent;
const deployments = async () =>
  (await w.api(`${script()}/deployments`)).body.result.deployments as Array<{
    source: string;
    versions: Array<{ version_id: string; percentage: number }>;
    annotations: Record<string, string>;
  }>;
const rows = async (sql: string) =>
  (
    await w.api(`/accounts/${w.accountId}/d1/database/6d0c6a83-6f4b-4f35-9a0e-2a8f1d1c0b11/query`, {
      method: 'POST',
      body: JSON.stringify({ sql }),
    })
  ).body.result[0].results as Array<Record<string, unknown>>;

beforeAll(async () => {
  w = await startCfApiWorld();
  const created = createCfApp(w, cfReleaseConfig(w.daemon.info.url), 'shipshape-cf-target-');
  app = created.dir;
  ({ cli, change, git } = created);
}, 60_000);

afterAll(async () => {
  if (app) await cli(['local', 'stop', '--target', 'local']);
  await w?.close();
  if (app) rmSync(app, { recursive: true, force: true });
});

describe('target "cloudflare" against the local Cloudflare API', () => {
  let first: string;

  it('a new Worker: wrangler deploy, its migration applied remotely, verified pinned, then rolled out by percentage', async () => {
    // The first 100% is the deploy itself (a new Worker serves at once, and the release says so); the second is
    // the rollout's.
    let firstAt100: string | undefined;
    const rolledOutTo100 = (e: ShipshapeEvent) => {
      if (!split(100)(e)) return false;
      firstAt100 ??= e.ts;
      return firstAt100 !== e.ts;
    };
    const r = await cli(['deploy'], {}, rolledOutTo100);
    const uploaded = r.events.find((e) => e.type === 'version.uploaded');
    expect(uploaded, `${r.err}\n${r.out.slice(-3000)}`).toBeTruthy();
    first = (uploaded as { version: string }).version;
    for (const phase of ['gate', 'release', 'verify', 'e2e']) expect(passed(r.events, phase)).toBe(true);
    const list = await deployments();
    // The first version's only deployment is wrangler's non-versioned upload, at 100%.
    expect(list.at(-1)).toMatchObject({
      source: 'wrangler',
      versions: [{ version_id: first, percentage: 100 }],
    });
    expect(list[0].versions).toEqual([{ version_id: first, percentage: 100 }]);
    expect(await rows('SELECT name FROM d1_migrations')).toEqual([{ name: '0001_items.sql' }]);
    expect(await rows('SELECT name FROM items')).toEqual([{ name: 'first' }]);
    // Interrupted at 100%: a first release cannot be withdrawn to nothing on Cloudflare, and says so.
    const rollback = r.events.find((e) => e.type === 'rollback.finished') as { ok: boolean } | undefined;
    expect(rollback?.ok).not.toBe(true);
    expect(r.out).toMatch(/ROLLBACK_FAILED.*a Worker on Cloudflare always serves a version/);
  }, 240_000);

  it('a second release: versions upload, staged at 0%, pinned checks, a 10% split through the REST API', async () => {
    change('second');
    const r = await cli(['deploy'], {}, split(10));
    const uploaded = r.events.find((e) => e.type === 'version.uploaded') as { version: string } | undefined;
    expect(uploaded, `${r.err}\n${r.out.slice(-3000)}`).toBeTruthy();
    const second = uploaded?.version as string;
    expect(second).not.toBe(first);
    for (const phase of ['verify', 'e2e']) expect(passed(r.events, phase)).toBe(true);
    const list = await deployments();
    const mine = list.filter((d) => d.source === 'api');
    const at = (p: number) =>
      mine.find((d) => d.versions.some((v) => v.version_id === second && v.percentage === p));
    expect(at(0)?.versions).toContainEqual({ version_id: first, percentage: 100 });
    expect(at(10)?.versions).toContainEqual({ version_id: first, percentage: 90 });
    expect(at(10)?.annotations['workers/message']).toMatch(
      /^r-\d{8}-\d{6}-[0-9a-f]{4}: shipshape rollout: 10%/,
    );
    // No wrangler deployment of the second version: it came through versions upload.
    expect(list.some((d) => d.source === 'wrangler' && d.versions.some((v) => v.version_id === second))).toBe(
      false,
    );
    // Interrupted during the bake: rolled back to the first version through the deployments API.
    expect(list[0].versions).toEqual([{ version_id: first, percentage: 100 }]);
    expect(finished(r.events)?.outcome).toBe('rolled_back');
  }, 240_000);

  it('429 and 5xx bursts from the API are retried: uploaded, staged and split all the same', async () => {
    await imperfections({ rateLimitRate: 0.15, retryAfterSeconds: 1, serverErrorRate: 0.1 });
    try {
      change('third');
      const r = await cli(['deploy'], {}, split(10));
      const uploaded = r.events.find((e) => e.type === 'version.uploaded') as { version: string } | undefined;
      expect(uploaded, `${r.err}\n${r.out.slice(-3000)}`).toBeTruthy();
      await imperfections({ rateLimitRate: 0, serverErrorRate: 0 });
      const list = await deployments();
      expect(
        list.some((d) => d.versions.some((v) => v.version_id === uploaded?.version && v.percentage === 10)),
      ).toBe(true);
      expect(list[0].versions).toEqual([{ version_id: first, percentage: 100 }]);
    } finally {
      await imperfections({ rateLimitRate: 0, serverErrorRate: 0 });
    }
  }, 300_000);

  it('a release judged on the analytics API is promoted; a version failing a third of unpinned requests is rolled back by the judge', async () => {
    change('judged');
    const good = await cli(['deploy']);
    expect(finished(good.events)?.outcome, `${good.err}\n${good.out.slice(-3000)}`).toBe('promoted');
    const promoted = (good.events.find((e) => e.type === 'version.uploaded') as { version: string }).version;
    expect(good.events.some((e) => e.type === 'metrics.sampled')).toBe(true);
    expect((await deployments())[0].versions).toEqual([{ version_id: promoted, percentage: 100 }]);

    const source = join(app, 'src', 'index.js');
    const code = readFileSync(source, 'utf8').replace(
      'async fetch(request, env) {',
      // Only unpinned requests fail: the pinned checks pass, so the judge is the one that catches it.
      "async fetch(request, env) {\n    if (!request.headers.has('cloudflare-workers-version-overrides') && Math.random() < 0.34) throw new Error('faulty build');",
    );
    writeFileSync(source, code);
    git('commit', '-qam', 'faulty');
    const bad = await cli(['deploy']);
    expect(bad.code, `${bad.err}\n${bad.out.slice(-3000)}`).toBe(1);
    expect(finished(bad.events)?.outcome).toBe('rolled_back');
    expect(bad.events.some((e) => e.type === 'verdict' && e.action === 'rollback')).toBe(true);
    expect((await deployments())[0].versions).toEqual([{ version_id: promoted, percentage: 100 }]);
    // The next releases start from the good code again.
    writeFileSync(
      source,
      code
        .split('\n')
        .filter((line) => !line.includes('faulty build'))
        .join('\n'),
    );
    git('commit', '-qam', 'fixed');
  }, 300_000);

  it('rehearsal parity: the same release on the local target and with --target cloudflare runs the same phases, checks and verdicts', async () => {
    change('parity');
    const shape = (events: ShipshapeEvent[]) => ({
      phases: events.flatMap((e) => (e.type === 'phase.finished' ? [`${e.phase}:${e.status}`] : [])),
      checks: events.flatMap((e) =>
        e.type === 'check.finished' && e.phase !== 'gate' ? [`${e.phase}:${e.name}:${e.status}`] : [],
      ),
      verdicts: [...new Set(events.flatMap((e) => (e.type === 'verdict' ? [e.action] : [])))].sort(),
      outcome: finished(events)?.outcome,
    });
    // The local target gets a first release of its own, so both sides release against a baseline.
    const before = await cli(['deploy', '--target', 'local']);
    expect(shape(before.events).outcome, before.err).toBe('promoted');
    change('parity, second');
    const local = await cli(['deploy', '--target', 'local']);
    const cloudflare = await cli(['deploy', '--target', 'cloudflare']);
    expect(shape(local.events).outcome, local.err).toBe('promoted');
    const { checks: localChecks, ...localRest } = shape(local.events);
    const { checks: cloudChecks, ...cloudRest } = shape(cloudflare.events);
    expect(cloudRest).toEqual(localRest);
    // The release phase's steps differ by design (wrangler versions upload vs the local upload); every other
    // phase's checks are the same checks with the same results.
    const notRelease = (c: string) => !c.startsWith('release:');
    expect(cloudChecks.filter(notRelease)).toEqual(localChecks.filter(notRelease));
  }, 300_000);

  it('a wrong token: exit 2 naming the permission, nothing changed', async () => {
    const before = await deployments();
    const versions = (await w.api(`${script()}/versions?deployable=true`)).body.result.items.length;
    change('fourth');
    const r = await cli(['deploy'], { CLOUDFLARE_API_TOKEN: 'not-the-token' });
    expect(r.code, r.out.slice(-2000)).toBe(2);
    expect(`${r.out}${r.err}`).toMatch(/CLOUDFLARE_AUTH/);
    expect(`${r.out}${r.err}`).toMatch(/Workers Scripts (Read|Edit)/);
    expect(`${r.out}${r.err}`).not.toContain(w.token);
    expect(await deployments()).toEqual(before);
    expect((await w.api(`${script()}/versions?deployable=true`)).body.result.items.length).toBe(versions);
  }, 120_000);

  it('a migration applied remotely is undone from its Time Travel bookmark', async () => {
    writeFileSync(join(app, 'migrations', '0002_more.sql'), "INSERT INTO items (name) VALUES ('second');\n");
    git('add', '-A');
    git('commit', '-qm', 'more items');
    const r = await cli(['migrations', 'apply']);
    expect(r.code, `${r.err}\n${r.out.slice(-2000)}`).toBe(0);
    expect(await rows('SELECT name FROM items ORDER BY id')).toEqual([{ name: 'first' }, { name: 'second' }]);
    const back = await cli(['migrations', 'rollback', '--use-backup', '--yes']);
    expect(back.code, `${back.err}\n${back.out.slice(-2000)}`).toBe(0);
    expect(await rows('SELECT name FROM items ORDER BY id')).toEqual([{ name: 'first' }]);
    expect(await rows('SELECT name FROM d1_migrations')).toEqual([{ name: '0001_items.sql' }]);
  }, 120_000);
});

async function imperfections(settings: Record<string, number>): Promise<void> {
  await w.api('/_local/imperfections', { method: 'PUT', body: JSON.stringify(settings) });
}
