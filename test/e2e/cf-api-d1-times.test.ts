import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readQueryTimes } from '../../src/targets/cloudflare/d1-query-times.ts';
import type { MetricsDeps } from '../../src/targets/cloudflare/metrics.ts';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';

// The cloudflare target's D1 query times from the stand-in's d1AnalyticsAdaptiveGroups over real HTTP: the
// fixture deployed and migrated by real wrangler, its /items queries timed in the runtime; the analytics are by
// the minute, so the test reads the minute its queries ran in once that minute is over.
let w: CfApiWorld;
const MINUTE = 60_000;
const DB = { binding: 'DB', databaseName: 'cf-api-db', databaseId: '6d0c6a83-6f4b-4f35-9a0e-2a8f1d1c0b11' };

function deps(): MetricsDeps {
  return {
    graphql: async (query, variables) => {
      const res = await fetch(`${w.base}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${w.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return res.json();
    },
    accountId: w.accountId,
    script: 'cf-api-app',
    lagMs: 0,
    now: () => new Date(),
  };
}

beforeAll(async () => {
  w = await startCfApiWorld();
  for (const args of [['deploy'], ['d1', 'migrations', 'apply', 'DB', '--remote']]) {
    const r = await w.wrangler(...args);
    if (r.code !== 0) throw new Error(`wrangler ${args.join(' ')}: ${r.stderr}`);
  }
}, 90_000);
afterAll(async () => {
  await w?.close();
});

describe('readQueryTimes against the GraphQL Analytics stand-in', () => {
  it('counts the minute of queries the runtime timed, with their quantiles; an unsettled minute is none', async () => {
    // Far enough from a minute's end that the queries all fall in one minute.
    if (Date.now() % MINUTE > 45_000) await new Promise((r) => setTimeout(r, MINUTE - (Date.now() % MINUTE)));
    const minute = Math.floor(Date.now() / MINUTE) * MINUTE;
    for (let i = 0; i < 30; i++) expect((await w.request('/items')).status).toBe(200);
    const span = { since: new Date(minute), until: new Date(minute + MINUTE) };
    const unsettled = await readQueryTimes(deps(), [DB], span);
    expect(unsettled).toEqual([{ ...DB, queries: 0, p50: 0, p95: 0 }]);

    await new Promise((r) => setTimeout(r, minute + MINUTE + 1500 - Date.now()));
    const [read] = await readQueryTimes(deps(), [DB], span);
    const timed = w.daemon.platform.d1Times.window(DB.databaseId, span.since, span.until);
    expect(read.queries).toBe(timed.requests);
    expect(read.queries).toBeGreaterThanOrEqual(30);
    expect(read.p50).toBeGreaterThan(0);
    expect(read.p95).toBeGreaterThanOrEqual(read.p50);
    expect(read.p95).toBeLessThanOrEqual(timed.p99 + 0.5);
  }, 150_000);
});
