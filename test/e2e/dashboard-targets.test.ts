import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { finished } from '../support/app.ts';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';
import { type CfApp, cfReleaseConfig, cloneCfApp, createCfApp, finishedEvent } from '../support/cf-app.ts';
import { startDashboard } from '../support/dashboard.ts';
import { copyExample, type ExampleCopy, PACKAGE_ROOT } from '../support/example.ts';

// The dashboard is the same page for every target and every component: what serves comes from the target's own
// deployment (Cloudflare's API, here its local stand-in), the live view from the journals, grouped by component.

// biome-ignore lint/suspicious/noExplicitAny: the state is read as loose JSON in assertions
type State = Record<string, any>;
const CLI = join(PACKAGE_ROOT, 'bin', 'shipshape.js');

let world: CfApiWorld | undefined;
let cfDir: string | undefined;
const cfApps: CfApp[] = [];
let multi: ExampleCopy | undefined;

const cfEnv = (w: CfApiWorld) => ({
  CLOUDFLARE_API_BASE_URL: w.base,
  CLOUDFLARE_API_TOKEN: w.token,
  CLOUDFLARE_ACCOUNT_ID: w.accountId,
});

afterAll(async () => {
  if (cfDir) rmSync(cfDir, { recursive: true, force: true });
  await world?.close();
  for (const app of cfApps) app.remove();
  if (multi) {
    try {
      execFileSync(process.execPath, [CLI, 'local', 'stop', '--cwd', multi.dir], { stdio: 'ignore' });
    } finally {
      multi.cleanup();
    }
  }
});

describe('dashboard on every target and component', () => {
  it('target cloudflare: what serves is the account’s deployment, read through the API', {
    timeout: 180_000,
  }, async () => {
    world = await startCfApiWorld();
    const app = createCfApp(world, cfReleaseConfig(world.daemon.info.url), 'shipshape-cf-dashboard-');
    cfDir = app.dir;
    const done = await app.cli(['deploy']);
    const end = finishedEvent(done.events);
    expect(end?.outcome, done.err).toBe('promoted');
    const dashboard = await startDashboard(app.dir, cfEnv(world));
    try {
      const state = (await (await dashboard.get('/api/state')).json()) as State;
      expect(state).toMatchObject({ target: 'cloudflare', worker: 'cf-api-app' });
      const api = await world.api(`/accounts/${world.accountId}/workers/scripts/cf-api-app/deployments`);
      const latest = api.body.result.deployments[0].versions as Array<{
        version_id: string;
        percentage: number;
      }>;
      expect(state.serving).toEqual([
        expect.objectContaining({
          component: null,
          split: latest.map((v) => ({ version: v.version_id, percent: v.percentage })),
        }),
      ]);
      expect(state.serving[0].split).toEqual([{ version: end?.version, percent: 100 }]);
      expect(state.release).toMatchObject({ id: end?.release, running: false, outcome: 'promoted' });
      expect(state.history[0]).toMatchObject({ id: end?.release, outcome: 'promoted' });
      // The token never reaches what is served.
      expect(JSON.stringify(state)).not.toContain(world.token);
    } finally {
      expect(await dashboard.stop()).toBe(0);
    }
  });

  it("state kept in the account: a fresh clone's dashboard follows a release another runner is running", {
    timeout: 180_000,
  }, async () => {
    const w = world as CfApiWorld;
    const created = await w.wrangler('d1', 'create', 'shipshape-state');
    expect(created.code, created.stderr).toBe(0);
    const base = cfReleaseConfig(w.daemon.info.url);
    const config = {
      ...base,
      cloudflare: { ...base.cloudflare, state: { d1: 'shipshape-state' } },
      rollout: { ...base.rollout, bake: '12s', maxExtension: '12s' },
    };
    const runner = createCfApp(w, config, 'shipshape-cf-dash-runner-');
    cfApps.push(runner);
    const elsewhere = cloneCfApp(w, runner, 'shipshape-cf-dash-clone-');
    cfApps.push(elsewhere);
    let release = '';
    const deploy = runner.cli(['deploy'], {}, undefined, {
      onEvent: (e) => {
        release ||= e.release ?? '';
      },
    });
    await expect.poll(() => release, { timeout: 60_000 }).not.toBe('');
    const dashboard = await startDashboard(elsewhere.dir, cfEnv(w));
    try {
      const state = async () => (await (await dashboard.get('/api/state')).json()) as State;
      await expect
        .poll(async () => (await state()).release, { timeout: 60_000, interval: 500 })
        .toMatchObject({ id: release, running: true });
      const done = await deploy;
      expect(finishedEvent(done.events)?.outcome, done.err).toBe('promoted');
      await expect
        .poll(async () => (await state()).release, { timeout: 30_000, interval: 500 })
        .toMatchObject({ id: release, running: false, outcome: 'promoted' });
    } finally {
      expect(await dashboard.stop()).toBe(0);
    }
  });

  it('a release of three components: a split, a judge and charts per component; what serves, per component', {
    timeout: 300_000,
  }, async () => {
    multi = copyExample({ name: 'multi-component', git: true });
    const file = join(multi.dir, 'shipshape.config.ts');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /local: \{ port: \d+, controlPort: \d+ \}/,
        'local: { port: 0, controlPort: 0 }',
      ),
    );
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'free ports'],
      {
        cwd: multi.dir,
      },
    );
    const out = execFileSync(process.execPath, [CLI, 'deploy', '--json', '--cwd', multi.dir], {
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 240_000,
    });
    const events = out
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ShipshapeEvent);
    const end = finished(events);
    expect(end?.outcome).toBe('promoted');
    const dashboard = await startDashboard(multi.dir);
    try {
      const state = (await (await dashboard.get('/api/state')).json()) as State;
      expect(state.components).toEqual(['api', 'web', 'site']);
      expect(state.serving.map((s: State) => [s.component, s.split])).toEqual(
        end?.components?.map((c) => [c.name, [{ version: c.version, percent: 100 }]]),
      );
      const views = state.release.components as State[];
      expect(views.map((c) => c.component).sort()).toEqual(['api', 'site', 'web']);
      for (const c of views.filter((v) => v.component !== 'site')) {
        expect(c.split, c.component).toEqual([expect.objectContaining({ percent: 100 })]);
        expect(c.judge?.sentence, c.component).toBeTruthy();
      }
      const titles = (state.release.charts as State[]).map((c) => c.title);
      expect(titles).toEqual(expect.arrayContaining(['api: error rate', 'web: error rate']));
    } finally {
      expect(await dashboard.stop()).toBe(0);
    }
  });
});
