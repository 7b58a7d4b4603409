import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { finished } from '../support/app.ts';
import { browserUsers } from '../support/browser-users.ts';
import { checksNamed } from '../support/check-events.ts';
import { FIXTURE_CONFIG, type FixtureApp, fixtureApp, initFixture } from '../support/fixture-app.ts';

// People load the page in Chromium; its script calls /api/items. The new version's page does not: the pages
// still load (no error anywhere) but users' requests halve. The release's own generated traffic (/health, 60 rps)
// keeps flowing and must not hide the drop.
let app: FixtureApp;
beforeAll(() => {
  app = fixtureApp('traffic-volume');
});
afterAll(() => app?.cleanup());

const volumeChecks = (events: ShipshapeEvent[]) => checksNamed(events, 'traffic volume');

describe('analysis.volume on the local target', () => {
  it('finds the drop in the monitor window when the page stops calling its API: a warning on the release', async () => {
    expect((await initFixture(app)).code).toBe(0);
    const config = {
      ...FIXTURE_CONFIG,
      analysis: { ...FIXTURE_CONFIG.analysis, volume: { onChange: 'warn' } },
      monitor: { ...FIXTURE_CONFIG.monitor, duration: '6s' },
    };
    writeFileSync(join(app.dir, 'shipshape.config.json'), JSON.stringify(config, null, 2));
    app.commit('shipshape config');
    const first = await app.cli(['deploy', '--json']);
    expect(first.code, first.stderr).toBe(0);
    // Nobody used the worker before its first release: nothing to compare with, said so.
    const nobody = volumeChecks(first.events).at(-1);
    expect(nobody?.status).toBe('skip');
    expect(nobody?.message).toContain('before the release');

    const users = await browserUsers(app.url(), 10);
    try {
      await new Promise((r) => setTimeout(r, 8000));
      const wrangler = join(app.dir, 'wrangler.jsonc');
      writeFileSync(wrangler, readFileSync(wrangler, 'utf8').replace('"CALLS_API": "1"', '"CALLS_API": "0"'));
      app.commit('the page no longer calls its API');
      const { events, stderr } = await app.cli(['deploy', '--json']);
      const checks = volumeChecks(events);
      // At 50% the canary still gets half of users' requests (its page loads, half of the old page's calls).
      expect(checks.find((c) => c.evidence.percent === 50)?.status, stderr).toBe('pass');
      // The 100% step's bake is a second or two (too short to tell, or already a drop); the monitor's six seconds
      // are plenty.
      const monitor = checks.find((c) => c.evidence.percent === null) as (typeof checks)[number];
      expect(monitor?.status).toBe('warn');
      expect(monitor.phase).toBe('rollout');
      expect(monitor.message).toMatch(/^monitor: users' requests .* a drop beyond expected 100% ±20%/);
      expect(monitor.evidence.observed).toBeLessThan(0.8);
      // Promoted, but not clean: each drop is a warning on the release.
      const end = finished(events);
      expect(end?.outcome).toBe('promoted');
      expect(end?.warnings).toEqual(expect.arrayContaining([monitor.message]));
    } finally {
      expect(await users.stop()).toBeGreaterThan(50);
    }
  }, 180_000);
});
