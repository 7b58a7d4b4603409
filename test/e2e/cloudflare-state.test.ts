import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';
import {
  atPercent,
  type CfApp,
  cfServing,
  cfStateConfig,
  cloneCfApp,
  createCfApp,
  finishedEvent,
  parseEvents,
} from '../support/cf-app.ts';

// State kept with the account (cloudflare.state.d1): runners that share nothing but the repository and the account
// exclude each other with the lease and read each other's history. Real wrangler, the built CLI, and the local
// Cloudflare API stand-in (the only fake).
let w: CfApiWorld;
let a: CfApp;
const clones: CfApp[] = [];

/** The shared test release with the account's state, a 4 s bake, and a 6 s lease so a dead runner lapses soon. */
const config = (url: string) => cfStateConfig(url, { bake: '4s', rps: 40, rollback: { guard: '6s' } });

const version = (events: ShipshapeEvent[]) =>
  (events.find((e) => e.type === 'version.uploaded') as { version: string } | undefined)?.version;
const serving = () => cfServing(w);
/** `history --json` as ids and outcomes, newest first. */
const history = async (app: CfApp) => {
  const r = await app.cli(['history']);
  expect(r.code, r.err).toBe(0);
  return r.out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { id: string; outcome: string | null })
    .map((h) => `${h.id}:${h.outcome}`);
};
const atTen = atPercent(10);
const clone = () => {
  const c = cloneCfApp(w, a);
  clones.push(c);
  return c;
};

beforeAll(async () => {
  w = await startCfApiWorld();
  const created = await w.wrangler('d1', 'create', 'shipshape-state');
  expect(created.code, created.stderr).toBe(0);
  a = createCfApp(w, config(w.daemon.info.url), 'shipshape-cf-state-');
}, 120_000);

afterAll(async () => {
  await w?.close();
  for (const app of [a, ...clones]) app?.remove();
});

describe('release state in the account (cloudflare.state.d1)', () => {
  let first: string | undefined;
  let second: string | undefined;

  it('a release from one clone is in the history a fresh clone reads', async () => {
    const r = await a.cli(['deploy']);
    expect(finishedEvent(r.events)?.outcome, `${r.err}\n${r.out.slice(-3000)}`).toBe('promoted');
    first = version(r.events);
    const fresh = clone();
    expect(await history(fresh)).toEqual(await history(a));
    expect((await history(fresh))[0]).toMatch(/:promoted$/);
  }, 240_000);

  it('two clones deploying at once: the second is refused with exit 5 naming the first; history agrees in both', async () => {
    a.change('second');
    const b = clone();
    const c = clone();
    let refused: Promise<Awaited<ReturnType<CfApp['cli']>>> | null = null;
    let status: Promise<Awaited<ReturnType<CfApp['cli']>>> | null = null;
    const running = a.cli(['deploy'], {}, undefined, {
      onEvent: (e) => {
        // While the first release bakes at 10%, the other runner looks, then tries its own release.
        if (!refused && atTen(e)) {
          status = c.cli(['status']);
          refused = status.then(() => b.cli(['deploy']));
        }
      },
    });
    const r = await running;
    expect(finishedEvent(r.events)?.outcome, `${r.err}\n${r.out.slice(-3000)}`).toBe('promoted');
    second = version(r.events);
    expect(refused).not.toBeNull();
    const other = await (refused as unknown as Promise<Awaited<ReturnType<CfApp['cli']>>>);
    expect(other.code, `${other.err}\n${other.out.slice(-2000)}`).toBe(5);
    const release = r.events[0].release;
    expect(`${other.out}${other.err}`).toMatch(/LOCK_HELD/);
    expect(`${other.out}${other.err}`).toContain(release);
    // Nothing of the refused run reached the account: no upload of its own.
    expect(parseEvents(other.out).some((e) => e.type === 'version.uploaded')).toBe(false);
    const seen = await history(a);
    expect(await history(b)).toEqual(seen);
    expect(seen[0]).toBe(`${release}:promoted`);
    // status on a third clone, during the release, saw it in progress from the account's lease.
    const looked = JSON.parse(
      (await (status as unknown as ReturnType<CfApp['cli']>)).out.trim().split('\n').at(-1) ?? '{}',
    );
    expect(looked.inProgress?.release).toBe(release);
    expect(looked.unfinished).toEqual([]);
  }, 300_000);

  it('abort from another clone reaches the release through the account: the release is aborted back to what served, the journal names who and why', async () => {
    a.change('to abort');
    const c = clone();
    let asked: ReturnType<CfApp['cli']> | null = null;
    const r = await a.cli(['deploy', '--bake', '30s'], {}, undefined, {
      onEvent: (e) => {
        if (!asked && atTen(e))
          asked = c.cli(['abort', '--reason', 'stopped from runner c', '--actor', 'ops']);
      },
    });
    const abort = await (asked as unknown as ReturnType<CfApp['cli']>);
    expect(abort.code, `${abort.err}\n${abort.out}`).toBe(0);
    expect(finishedEvent(r.events)?.outcome, `${r.err}\n${r.out.slice(-3000)}`).toBe('aborted');
    expect(r.events).toContainEqual(
      expect.objectContaining({
        type: 'action',
        action: 'abort',
        actor: 'ops',
        reason: 'stopped from runner c',
      }),
    );
    expect((await serving())[0]).toEqual({ version_id: second, percentage: 100 });
  }, 240_000);

  it('rollback from a fresh clone uses what the other clones did: the last promoted version before the serving one', async () => {
    expect(second).toBeDefined();
    expect((await serving())[0]).toEqual({ version_id: second, percentage: 100 });
    const c = clone();
    const r = await c.cli(['rollback', '--reason', 'the second release misbehaves', '--yes']);
    expect(r.code, `${r.err}\n${r.out.slice(-2000)}`).toBe(0);
    expect(await serving()).toEqual([{ version_id: first, percentage: 100 }]);
    // The first clone sees the rollback another runner made.
    expect((await history(a))[0]).toMatch(/:rolled_back$/);
    expect(await history(a)).toEqual(await history(c));
  }, 240_000);

  it('a runner killed mid-release: its lease holds the others off, then a fresh clone takes it over and restores what served', async () => {
    const before = await serving();
    const b = clone();
    b.change('killed');
    const killed = await b.cli(['deploy'], {}, atTen, { signal: 'SIGKILL' });
    expect(killed.out).toContain('no account guard is installed: if this runner dies');
    const canary = version(killed.events);
    expect(canary, `${killed.err}\n${killed.out.slice(-2000)}`).toBeDefined();
    expect((await serving()).some((v) => v.version_id === canary && v.percentage === 10)).toBe(true);
    const c = clone();
    // Within the lease the dead runner still holds the lock.
    const early = await c.cli(['deploy']);
    expect(early.code, `${early.err}\n${early.out.slice(-2000)}`).toBe(5);
    expect(`${early.out}${early.err}`).toContain(killed.events[0].release);
    const nothing = await c.cli(['recover', '--lapsed']);
    expect(nothing.code).toBe(0);
    expect(nothing.out).toMatch(/no release lease has lapsed/);
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    // The scheduled guard (recover --lapsed) on a fresh runner finishes the dead release.
    const recovered = await c.cli(['recover', '--lapsed']);
    expect(recovered.code, `${recovered.err}\n${recovered.out.slice(-3000)}`).toBe(0);
    expect(recovered.out).toContain(`release ${killed.events[0].release} did not finish`);
    expect(await serving()).toEqual(before);
    const r = await c.cli(['deploy']);
    expect(finishedEvent(r.events)?.outcome, `${r.err}\n${r.out.slice(-3000)}`).toBe('promoted');
    // The killed release is closed in the account's history, as every clone reads it.
    const seen = await history(a);
    expect(seen).toContain(`${killed.events[0].release}:rolled_back`);
    expect(await history(c)).toEqual(seen);
  }, 360_000);

  it("a state store that cannot hold the lock is refused before anything changes: KV, the app's own database, a missing one", async () => {
    const before = await serving();
    const c = clone();
    const withState = (state: unknown) =>
      writeFileSync(
        join(c.dir, 'shipshape.config.json'),
        JSON.stringify({ ...config(w.daemon.info.url), cloudflare: { url: w.daemon.info.url, state } }),
      );
    withState({ kv: 'FLAGS' });
    const kv = await c.cli(['config']);
    expect(kv.code).toBe(2);
    expect(`${kv.out}${kv.err}`).toMatch(/no compare-and-set/);
    withState({ d1: 'cf-api-db' });
    const shared = await c.cli(['deploy']);
    expect(shared.code, shared.out.slice(-1500)).toBe(2);
    expect(`${shared.out}${shared.err}`).toMatch(/STATE_STORE_SHARED/);
    withState({ d1: 'no-such-state' });
    const missing = await c.cli(['history']);
    expect(missing.code).toBe(2);
    expect(`${missing.out}${missing.err}`).toMatch(
      /STATE_STORE_MISSING[\s\S]*wrangler d1 create no-such-state/,
    );
    expect(await serving()).toEqual(before);
  }, 120_000);
});
