import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { finished } from '../support/app.ts';
import { FIXTURE_CONFIG, type FixtureApp, fixtureApp, initFixture } from '../support/fixture-app.ts';

// The new version answers /api/thing with the same status and one changed JSON field; `at` (Date.now()) and
// `requestId` differ on every call, so the baseline's own two answers mark them as noise.
let app: FixtureApp;
beforeAll(() => {
  app = fixtureApp('response-compare');
});
afterAll(() => app?.cleanup());

type Check = Extract<ShipshapeEvent, { type: 'check.finished' }>;
const comparison = (events: ShipshapeEvent[]) =>
  events.find((e): e is Check => e.type === 'check.finished' && e.name === 'response comparison');

describe('analysis.compare during verify, on the local target', () => {
  it('skips the comparison on a first release, saying why', async () => {
    expect((await initFixture(app)).code).toBe(0);
    const config = {
      ...FIXTURE_CONFIG,
      analysis: { ...FIXTURE_CONFIG.analysis, compare: { onDifference: 'rollback' } },
    };
    config.rollout = {
      ...config.rollout,
      traffic: { ...config.rollout.traffic, paths: [{ path: '/api/thing' }] },
    };
    writeFileSync(join(app.dir, 'shipshape.config.json'), JSON.stringify(config, null, 2));
    app.commit('shipshape config');
    const { code, events, stderr } = await app.cli(['deploy', '--json']);
    expect(code, stderr).toBe(0);
    expect(finished(events)?.outcome).toBe('promoted');
    const skipped = comparison(events);
    expect(skipped?.phase).toBe('verify');
    expect(skipped?.status).toBe('skip');
    expect(skipped?.message).toContain('first release');
  }, 90_000);

  it('finds the changed field, naming the path and JSON path; the per-call fields are not reported', async () => {
    const wrangler = join(app.dir, 'wrangler.jsonc');
    writeFileSync(wrangler, readFileSync(wrangler, 'utf8').replace('"PRICE": "10"', '"PRICE": "12"'));
    app.commit('price 12');
    const { events, stderr } = await app.cli(['deploy', '--json']);
    const found = comparison(events);
    expect(found?.phase, stderr).toBe('verify');
    expect(found?.status).toBe('fail');
    expect(found?.critical).toBe(true);
    expect(found?.message).toContain('GET /api/thing: $.price differs');
    expect(found?.evidence).toMatchObject({
      path: '/api/thing',
      jsonPath: '$.price',
      baseline: '10',
      canary: '12',
    });
    const findings = (found?.evidence.findings ?? []) as Array<{ jsonPath: string | null }>;
    const reported = findings.map((f) => f.jsonPath);
    expect(reported).toEqual(['$.price']);
    expect(finished(events)?.outcome).toBe('rolled_back');
  }, 90_000);
});
