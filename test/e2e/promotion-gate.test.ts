import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StatusPageStandIn,
  startStatusPage,
  statusIncident,
} from '../../src/checks/gate/status-page-test-support.ts';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { readJournal } from '../../src/state/journal.ts';
import { FAST_CONFIG, finished, prepareApp, type TestApp } from '../support/app.ts';

// Production waits for staging: the same build (bundle hash) must have been promoted there first. The platform
// incidents gate asks a status page stand-in on 127.0.0.1, never the real one.
let app: TestApp;
let page: StatusPageStandIn;
beforeAll(async () => {
  page = await startStatusPage();
  app = prepareApp({
    ...FAST_CONFIG,
    gates: {
      ...FAST_CONFIG.gates,
      promotedIn: 'staging',
      incidents: { enabled: true, url: page.url, timeout: '2s' },
    },
    environments: { staging: {} },
  });
});
afterAll(async () => {
  await app?.cli(['local', 'stop', '--env', 'staging']);
  app?.cleanup();
  await page?.close();
});

type Check = Extract<ShipshapeEvent, { type: 'check.finished' }>;
const check = (events: ShipshapeEvent[], name: string) =>
  events.find((e): e is Check => e.type === 'check.finished' && e.name === name);

describe('gates.promotedIn: staging before production, on the local target', () => {
  let stagingRelease: string;

  it('blocks production (exit 3) while staging never promoted this build', async () => {
    const { code, events, stderr } = await app.cli(['deploy']);
    expect(code, stderr).toBe(3);
    const promotion = check(events, 'promotion');
    expect(promotion?.status).toBe('fail');
    expect(promotion?.message).toContain('nothing was ever promoted in staging');
    expect(promotion?.hint).toContain('shipshape deploy --env staging');
    expect(finished(events)?.outcome).toBe('blocked');
    expect(check(events, 'platform incidents')?.status).toBe('pass');
  }, 120_000);

  it('promotes the build in staging (where the check does not apply)', async () => {
    const { code, events, stderr } = await app.cli(['deploy', '--env', 'staging']);
    expect(code, stderr).toBe(0);
    expect(finished(events)?.outcome).toBe('promoted');
    expect(check(events, 'promotion')).toBeUndefined();
    stagingRelease = finished(events)?.release as string;
  }, 240_000);

  it('then lets production release the same build, naming the staging release and its score', async () => {
    const { code, events, stderr } = await app.cli(['deploy']);
    expect(code, stderr).toBe(0);
    const promotion = check(events, 'promotion');
    expect(promotion?.status).toBe('pass');
    expect(promotion?.evidence.release).toBe(stagingRelease);
    expect(promotion?.evidence.score).toEqual(expect.any(Number));
    expect(promotion?.message).toContain(stagingRelease);
    const plan = events.find((e) => e.type === 'version.uploaded') as Extract<
      ShipshapeEvent,
      { type: 'version.uploaded' }
    >;
    expect(promotion?.evidence.hash).toBe(plan.hash);
    expect(finished(events)?.outcome).toBe('promoted');
  }, 240_000);

  it('a changed build is blocked again; --skip-promotion-check --reason releases it, the reason journaled', async () => {
    // The example's build writes FAULT into the bundle: a 1 ms latency is another build of the same tree.
    const changed = { FAULT: 'latency:1ms' };
    const blocked = await app.cli(['deploy', '--dry-run'], changed);
    expect(blocked.code, blocked.stderr).toBe(3);
    expect(check(blocked.events, 'promotion')?.message).toContain('was not promoted in staging');
    const forced = await app.cli(['deploy', '--skip-promotion-check', '--reason', 'hotfix INC-42'], changed);
    expect(forced.code, forced.stderr).toBe(0);
    const promotion = check(forced.events, 'promotion');
    expect(promotion?.status).toBe('warn');
    const journaled = readJournal(app.dir, finished(forced.events)?.release as string);
    expect(check(journaled, 'promotion')?.evidence.forced).toBe('hotfix INC-42');
  }, 240_000);
});

describe('platform incidents gate against a status page stand-in', () => {
  it('an incident on Workers blocks with its title; a page that is down only warns', async () => {
    page.answer({ incidents: [statusIncident('Workers deployments failing', ['Workers'])] });
    const blocked = await app.cli(['check']);
    expect(blocked.code).toBe(3);
    const incident = check(blocked.events, 'platform incidents');
    expect(incident?.status).toBe('fail');
    expect(incident?.message).toContain('"Workers deployments failing"');
    // `check` builds nothing: the promotion check says what staging last promoted.
    expect(check(blocked.events, 'promotion')?.status).toBe('skip');
    page.answer({ status: 503 });
    const down = await app.cli(['check']);
    expect(check(down.events, 'platform incidents')?.status).toBe('warn');
    expect(down.code, JSON.stringify(down.events.filter((e) => e.type === 'check.finished'))).toBe(0);
  }, 120_000);
});
