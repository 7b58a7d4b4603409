import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDaemonInfo } from '../../src/targets/local/daemon-info.ts';
import { statePaths } from '../../src/targets/local/paths.ts';
import { FAST_CONFIG, finished, prepareApp, type TestApp } from '../support/app.ts';

// Production and staging of one project are separate worlds: a daemon, ports, versions, deployment, D1 and KV each.
let app: TestApp;
beforeAll(() => {
  app = prepareApp({ ...FAST_CONFIG, environments: { staging: { rollout: { bake: '2s' } } } });
});
afterAll(async () => {
  await app?.cli(['local', 'stop', '--env', 'staging']);
  app?.cleanup();
});

type Status = {
  type: 'status';
  worker: string;
  env: string | null;
  deployment: { split: Array<{ version: string; percent: number }> };
  versions: Array<{ id: string; worker: string }>;
};

async function status(env: string | null): Promise<Status> {
  const { code, events, stderr } = await app.cli(['status', ...(env ? ['--env', env] : [])]);
  expect(code, stderr).toBe(0);
  return events.find((e) => (e as { type: string }).type === 'status') as unknown as Status;
}

describe('environments on the local platform', () => {
  let production: string;
  let staging: string;

  it('deploys production and staging at the same time: both promoted, each on its own daemon', async () => {
    const [prod, stage] = await Promise.all([app.cli(['deploy']), app.cli(['deploy', '--env', 'staging'])]);
    expect(prod.code, prod.stderr).toBe(0);
    expect(stage.code, stage.stderr).toBe(0);
    expect(finished(prod.events)?.outcome).toBe('promoted');
    expect(finished(stage.events)?.outcome).toBe('promoted');
    production = finished(prod.events)?.version as string;
    staging = finished(stage.events)?.version as string;
    const prodInfo = readDaemonInfo(statePaths(app.dir));
    const stageInfo = readDaemonInfo(statePaths(app.dir, 'staging'));
    expect(prodInfo?.env ?? null).toBeNull();
    expect(stageInfo?.env).toBe('staging');
    expect(stageInfo?.pid).not.toBe(prodInfo?.pid);
    expect(stageInfo?.port).not.toBe(prodInfo?.port);
    expect(existsSync(statePaths(app.dir, 'staging').d1)).toBe(true);
  }, 240_000);

  it("both worlds' state, journals, locks and logs are the owner's only (0600)", () => {
    const loose: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        // Version bundles and assets are the app's code, copied as built.
        if (entry.isDirectory() && entry.name !== 'bundle' && entry.name !== 'assets') walk(path);
        else if (entry.isFile() && (statSync(path).mode & 0o077) !== 0) loose.push(path);
      }
    };
    walk(join(app.dir, '.shipshape'));
    expect(loose).toEqual([]);
    expect(readdirSync(join(app.dir, '.shipshape', 'releases')).length).toBeGreaterThanOrEqual(2);
  });

  it("each environment's status shows only its own versions and deployment", async () => {
    const prod = await status(null);
    const stage = await status('staging');
    expect(prod.deployment.split).toEqual([{ version: production, percent: 100 }]);
    expect(stage.deployment.split).toEqual([{ version: staging, percent: 100 }]);
    expect(prod.versions.map((v) => v.id)).toEqual([production]);
    expect(stage.versions.map((v) => v.id)).toEqual([staging]);
    expect(stage.worker).toBe('hello-d1-staging');
    expect(stage.versions[0].worker).toBe('hello-d1-staging');
  });

  it('each router serves its own version, with its own vars and data', async () => {
    const prodUrl = readDaemonInfo(statePaths(app.dir))?.url as string;
    const stageUrl = readDaemonInfo(statePaths(app.dir, 'staging'))?.url as string;
    const prodRes = await fetch(new URL('/health', prodUrl));
    const stageRes = await fetch(new URL('/health', stageUrl));
    expect(prodRes.headers.get('x-version-id')).toBe(production);
    expect(stageRes.headers.get('x-version-id')).toBe(staging);
    // The environment's own vars (wrangler's env.staging block).
    expect(await (await fetch(new URL('/', prodUrl))).json()).toMatchObject({ app: 'hello-d1' });
    expect(await (await fetch(new URL('/', stageUrl))).json()).toMatchObject({ app: 'hello-d1-staging' });
    // Its own D1: staging's database file lives under its own state folder, not production's.
    const files = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : []);
    expect(files(statePaths(app.dir, 'staging').d1).join()).toMatch(/\.sqlite/);
    expect(files(statePaths(app.dir).root).some((f) => f.includes('local-envs'))).toBe(false);
  });

  it('local status --env staging reports the staging daemon; local stop --env staging leaves production serving', async () => {
    const stageStatus = await app.cli(['local', 'status', '--env', 'staging']);
    const report = stageStatus.events[0] as unknown as {
      running: boolean;
      env: string;
      deployment: { split: Array<{ version: string }> };
    };
    expect(report).toMatchObject({ running: true, env: 'staging' });
    expect(report.deployment.split.map((s) => s.version)).toEqual([staging]);

    const stop = await app.cli(['local', 'stop', '--env', 'staging']);
    expect(stop.code).toBe(0);
    expect(stop.events[0]).toMatchObject({ type: 'local-stop', env: 'staging', stopped: true });
    const after = await app.cli(['local', 'status', '--env', 'staging']);
    expect(after.events[0]).toMatchObject({ running: false, env: 'staging' });
    const prod = await app.cli(['local', 'status']);
    expect(prod.events[0]).toMatchObject({ running: true });
    expect((await status(null)).deployment.split).toEqual([{ version: production, percent: 100 }]);
  });
});
