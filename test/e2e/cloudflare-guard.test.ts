import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';
import {
  atPercent,
  type CfApp,
  type CliRun,
  cfReleaseConfig,
  cfServing,
  cfStateConfig,
  cloneCfApp,
  createCfApp,
  finishedEvent,
  parseEvents,
} from '../support/cf-app.ts';

// The account's guard (`shipshape guard install`): a cron Worker in the account that restores a release whose
// runner stopped renewing its lease. Real wrangler, the built CLI, the guard running in workerd on the local
// Cloudflare API stand-in (the only fake), fired as its cron would fire it.
let w: CfApiWorld;
let a: CfApp;
let marks: string;
const clones: CfApp[] = [];

// The hook leaves a mark: it runs where the release is completed, after the guard put the traffic back. The
// rollback flag is the guard's to set.
const config = (url: string) => ({
  ...cfStateConfig(url, {
    bake: '20s',
    rps: 30,
    rollback: {
      guard: '5s',
      hooks: [{ command: `touch ${join(marks, 'rollback-hook-ran')}` }],
      flags: { NEW_CHECKOUT: false },
    },
  }),
  flags: { definitions: { NEW_CHECKOUT: { type: 'boolean', default: true } } },
});
const FLAGS_NS = '4f1e2d3c4b5a69788796a5b4c3d2e1f0';
const kvValue = async (key: string) => {
  const r = await w.api(`/accounts/${w.accountId}/storage/kv/namespaces/${FLAGS_NS}/values/${key}`);
  return r.status === 404 ? null : r.body;
};

const serving = () => cfServing(w);
const fireGuard = async () => {
  const r = await w.api('/_local/scheduled', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ script: 'shipshape-guard' }),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.result as { outcome: string };
};
const guardStatus = async (app: CfApp) => {
  const r = await app.cli(['guard', 'status']);
  const line = r.out.split('\n').find((l) => l.includes('"type":"guard"'));
  return { code: r.code, info: JSON.parse(line ?? '{}'), r };
};
const atTen = atPercent(10);
const clone = () => {
  const c = cloneCfApp(w, a);
  clones.push(c);
  return c;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  marks = mkdtempSync(join(tmpdir(), 'shipshape-guard-marks-'));
  w = await startCfApiWorld();
  const created = await w.wrangler('d1', 'create', 'shipshape-state');
  expect(created.code, created.stderr).toBe(0);
  a = createCfApp(w, config(w.daemon.info.url), 'shipshape-cf-guard-');
}, 120_000);

afterAll(async () => {
  await w?.close();
  for (const app of [a, ...clones]) app?.remove();
  if (marks) rmSync(marks, { recursive: true, force: true });
});

describe("the account's guard", () => {
  it('is refused with a coded error where it cannot work, and installs, reports and runs where it can, before the app is first deployed', async () => {
    const plain = createCfApp(w, cfReleaseConfig(w.daemon.info.url), 'shipshape-cf-guard-plain-');
    clones.push(plain);
    const noState = await plain.cli(['guard', 'install']);
    expect(noState.code).toBe(2);
    expect(noState.out + noState.err).toContain('GUARD_NEEDS_STATE');
    const noToken = await a.cli(['guard', 'install', '--token-env', 'SHIPSHAPE_TEST_NO_SUCH_TOKEN']);
    expect(noToken.code).toBe(2);
    expect(noToken.out + noToken.err).toContain('GUARD_TOKEN_MISSING');

    expect((await guardStatus(a)).code).toBe(1);
    const installed = await a.cli(['guard', 'install']);
    expect(installed.code, `${installed.err}\n${installed.out}`).toBe(0);
    // The token is the Worker's secret: never printed.
    expect(installed.out + installed.err).not.toContain(w.token);
    const status = await guardStatus(a);
    expect(status.code, status.r.out).toBe(0);
    expect(status.info).toMatchObject({ installed: true, schedule: '* * * * *', lastRun: null });
    // Nothing lapsed: a run restores nothing, and says it ran.
    expect((await fireGuard()).outcome).toBe('ok');
    const ran = await guardStatus(a);
    expect(ran.info.lastResult).toMatchObject({ restored: [], failed: [] });
    // Installed before the app's first deploy: the app is still the Worker users reach.
    const first = await a.cli(['deploy', '--bake', '3s']);
    expect(finishedEvent(first.events)?.outcome, `${first.err}\n${first.out.slice(-2000)}`).toBe('promoted');
    // A new Worker's first version serves at once on Cloudflare: the release says so rather than "pinned only".
    const staged = first.events.find((e) => e.type === 'traffic.changed');
    expect(staged).toMatchObject({ split: [{ percent: 100 }] });
    expect(first.out).toContain("deploy (a new Worker's first version: the platform serves it at once)");
  }, 180_000);

  it('restores what served when a runner stops renewing its lease, fences the runner when it wakes, and the next command completes the rollback', async () => {
    const before = await serving();
    const b = clone();
    b.change('paused');
    let child: ChildProcess | undefined;
    let release: string | undefined;
    let paused!: () => void;
    const pausedAtTen = new Promise<void>((resolve) => {
      paused = resolve;
    });
    const run: Promise<CliRun> = b.cli(['deploy'], {}, atTen, {
      signal: 'SIGSTOP',
      onSpawn: (c) => {
        child = c;
      },
      onEvent: (e) => {
        release ??= e.release ?? undefined;
        if (atTen(e)) paused();
      },
    });
    await pausedAtTen;
    const split = await serving();
    expect(split.some((v) => v.percentage === 10)).toBe(true);
    const canary = split.find((v) => v.percentage === 10)?.version_id;

    // Within the lease the guard leaves the release alone.
    expect((await fireGuard()).outcome).toBe('ok');
    expect(await serving()).toEqual(split);

    await sleep(6_500);
    // This run restores it (or the stand-in's own minute clock fired the guard just before: the same code).
    expect((await fireGuard()).outcome).toBe('ok');
    expect(await serving()).toEqual(before);
    // ... and sets the rollback flag, audited as the guard's.
    expect(await kvValue('feature_flags')).toEqual({ NEW_CHECKOUT: false });
    expect(await kvValue('feature_flags:audit')).toEqual([
      expect.objectContaining({
        actor: 'the account guard',
        action: 'rollback',
        flag: 'NEW_CHECKOUT',
        release,
      }),
    ]);

    // Any runner's status reads what the guard did, and that the release is left to complete.
    const c = clone();
    const seen = await c.cli(['status']);
    const line = JSON.parse(seen.out.split('\n').find((l) => l.includes('"type":"status"')) ?? '{}');
    expect(line.unfinished, seen.out).toContain(release);
    expect(line.lease).toMatchObject({
      release,
      restoredBy: { workers: { 'cf-api-app': before[0].version_id } },
    });

    // The runner wakes: its lease was taken over, so it stops and changes nothing.
    child?.kill('SIGCONT');
    const woke = await run;
    expect(woke.code, `${woke.err}\n${woke.out.slice(-3000)}`).toBe(5);
    expect(woke.out + woke.err).toContain('LEASE_STALE');
    // It had said, before its canary took traffic, what protects it.
    expect(woke.out).toContain("if this runner dies, the account's guard (shipshape-guard, last run");
    expect(await serving()).toEqual(before);
    expect(existsSync(join(marks, 'rollback-hook-ran'))).toBe(false);

    // A fresh runner's scheduled recover completes what a Worker cannot do: the hook, the journal.
    const recovered = await c.cli(['recover', '--lapsed']);
    expect(recovered.code, `${recovered.err}\n${recovered.out.slice(-3000)}`).toBe(0);
    expect(existsSync(join(marks, 'rollback-hook-ran'))).toBe(true);
    expect(await serving()).toEqual(before);
    const journal = parseEvents(
      readFileSync(join(c.dir, '.shipshape', 'releases', `${release}.ndjson`), 'utf8'),
    );
    const started = journal.find((e) => e.type === 'rollback.started');
    expect(started).toMatchObject({ from: canary, to: before[0].version_id });
    expect((started as { reason: string }).reason).toContain("account's guard restored");
    const steps = journal.filter((e) => e.type === 'rollback.step').map((e) => (e as { step: string }).step);
    expect(steps.slice(0, 2)).toEqual(['traffic', 'flags']);
    expect(steps).toContain('hook:0');
    // The flag was set once, by the guard: the recovery did not write it again.
    expect(await kvValue('feature_flags:audit')).toHaveLength(1);
    expect(finishedEvent(journal)?.outcome).toBe('rolled_back');
    // The traffic step is journaled once: the recovery did not switch again.
    expect(journal.filter((e) => e.type === 'traffic.changed' && e.split.length === 1)).toHaveLength(1);

    const next = await c.cli(['deploy', '--bake', '3s']);
    expect(finishedEvent(next.events)?.outcome, `${next.err}\n${next.out.slice(-3000)}`).toBe('promoted');
    // A promoted release leaves no plan behind: the guard finds nothing to do.
    expect((await fireGuard()).outcome).toBe('ok');
    expect((await serving())[0]).toMatchObject({ percentage: 100 });
    expect((await guardStatus(a)).info.lastResult.restored).toEqual([]);
  }, 300_000);

  it('is removed with its Worker; status then says it is not installed', async () => {
    const removed = await a.cli(['guard', 'remove']);
    expect(removed.code, removed.err).toBe(0);
    expect(removed.out).toContain('"removed":true');
    const scripts = (await w.api(`/accounts/${w.accountId}/workers/scripts`)).body.result as Array<{
      id: string;
    }>;
    expect(scripts.map((s) => s.id)).not.toContain('shipshape-guard');
    expect((await guardStatus(a)).code).toBe(1);
  }, 60_000);
});
