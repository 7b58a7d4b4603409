import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { finished } from '../support/app.ts';
import { checksNamed } from '../support/check-events.ts';
import { FIXTURE_CONFIG, type FixtureApp, fixtureApp, initFixture } from '../support/fixture-app.ts';
import { pacedUsers } from '../support/paced-users.ts';

// 1.5 million events indexed by user: one user's count is an index lookup until the second release's migration
// drops the index, then every count scans the table (about 60 ms here, against a 25 ms budget; the first
// release's lookups take a few, tens on a loaded machine).
let app: FixtureApp;
beforeAll(() => {
  app = fixtureApp('query-time');
});
afterAll(() => app?.cleanup());

const queryChecks = (events: ShipshapeEvent[]) => checksNamed(events, 'query time');

describe('analysis.queryTime on the local target', () => {
  it('passes with the index; rolls back the migration that drops it, naming the database', async () => {
    expect((await initFixture(app)).code).toBe(0);
    const config = {
      ...FIXTURE_CONFIG,
      analysis: { ...FIXTURE_CONFIG.analysis, queryTime: { p95: '25ms', onSlow: 'rollback' } },
      rollout: {
        ...FIXTURE_CONFIG.rollout,
        traffic: { enabled: true, rps: 10, paths: [{ path: '/api/count' }] },
      },
    };
    writeFileSync(join(app.dir, 'shipshape.config.json'), JSON.stringify(config, null, 2));
    app.commit('shipshape config');
    const first = await app.cli(['deploy', '--json']);
    expect(first.code, first.stderr).toBe(0);
    // With the index nothing is held against the release. A first release has no queries before it to compare
    // with, so a loaded machine's lookups over the budget can only warn (never roll back), and say why.
    const fast = queryChecks(first.events);
    expect(fast.length).toBeGreaterThan(0);
    for (const c of fast) {
      expect(['pass', 'skip', 'warn'], JSON.stringify(c)).toContain(c.status);
      if (c.status === 'warn') expect(c.evidence.beforeP95, JSON.stringify(c)).toBeNull();
    }
    expect(finished(first.events)?.outcome).toBe('promoted');

    const users = pacedUsers(app.url(), '/api/count', 5);
    try {
      await new Promise((r) => setTimeout(r, 3000));
      writeFileSync(join(app.dir, 'migrations', '0002_drop_user_index.sql'), 'DROP INDEX idx_events_user;\n');
      app.commit('drop the user index');
      const { events, stderr } = await app.cli(['deploy', '--json']);
      const slow = queryChecks(events).find((c) => c.status === 'fail');
      expect(slow?.phase, stderr).toBe('rollout');
      expect(slow?.critical).toBe(true);
      expect(slow?.message).toContain('D1 database query-time (DB)');
      expect(slow?.evidence).toMatchObject({ database: 'query-time', budgetMs: 25 });
      // Over the budget, and worse than the same lookups before the release by more than latencyRatio (1.5).
      expect(slow?.evidence.p95).toBeGreaterThan(25);
      expect(slow?.evidence.p95).toBeGreaterThan(1.5 * Number(slow?.evidence.beforeP95));
      expect(finished(events)?.outcome).toBe('rolled_back');
    } finally {
      await users.stop();
    }
  }, 180_000);
});
