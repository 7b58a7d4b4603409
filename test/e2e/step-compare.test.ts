import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { finished } from '../support/app.ts';
import { checksNamed } from '../support/check-events.ts';
import { FIXTURE_CONFIG, type FixtureApp, fixtureApp, initFixture } from '../support/fixture-app.ts';

// The new version's price goes wrong only once its cache is warm (after 8 answers): verify's comparison asks it 3
// times, cold, and finds nothing; at the 50% step, once generated requests have warmed it (however few a loaded
// machine sends before the step ends), the comparison finds the changed field.
let app: FixtureApp;
beforeAll(() => {
  app = fixtureApp('step-compare');
});
afterAll(() => app?.cleanup());

const comparisons = (events: ShipshapeEvent[]) => checksNamed(events, 'response comparison');

describe('analysis.compare during each step, on the local target', () => {
  it('finds a field that changes only under traffic, at the step, naming the path; rolls back', async () => {
    expect((await initFixture(app)).code).toBe(0);
    const config = {
      ...FIXTURE_CONFIG,
      analysis: { ...FIXTURE_CONFIG.analysis, compare: { onDifference: 'rollback' } },
      rollout: {
        ...FIXTURE_CONFIG.rollout,
        traffic: { enabled: true, rps: 60, paths: [{ path: '/api/thing' }, { path: '/health' }] },
      },
    };
    writeFileSync(join(app.dir, 'shipshape.config.json'), JSON.stringify(config, null, 2));
    app.commit('shipshape config');
    expect((await app.cli(['deploy', '--json'])).code).toBe(0);

    const wrangler = join(app.dir, 'wrangler.jsonc');
    writeFileSync(
      wrangler,
      readFileSync(wrangler, 'utf8').replace('"CACHE_AFTER": ""', '"CACHE_AFTER": "8"'),
    );
    app.commit('cache the thing');
    const { events, stderr } = await app.cli(['deploy', '--json']);
    const [verify, step] = comparisons(events);
    expect(verify?.phase, stderr).toBe('verify');
    expect(verify?.status).toBe('pass');
    expect(step?.phase).toBe('rollout');
    expect(step?.status).toBe('fail');
    expect(step?.critical).toBe(true);
    expect(step?.message).toContain('step 50%: GET /api/thing: $.price differs');
    expect(step?.evidence).toMatchObject({
      percent: 50,
      path: '/api/thing',
      jsonPath: '$.price',
      baseline: '10',
      canary: '12',
    });
    // The timestamp and the request id differ on every call: noise, never reported.
    const findings = (step?.evidence.findings ?? []) as Array<{ jsonPath: string | null }>;
    expect(findings.map((f) => f.jsonPath)).toEqual(['$.price']);
    expect(finished(events)?.outcome).toBe('rolled_back');
  }, 180_000);
});
