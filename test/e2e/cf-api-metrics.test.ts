import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipshapeError } from '../../src/errors/shipshape-error.ts';
import {
  assertAnalyticsAvailable,
  type MetricsDeps,
  readMetrics,
} from '../../src/targets/cloudflare/metrics.ts';
import { type CfApiWorld, startCfApiWorld } from '../support/cf-api.ts';

// The cloudflare target's metrics read from the local Cloudflare API's GraphQL Analytics stand-in over real
// HTTP: two versions get traffic through the router, and each version's window equals what the router counted.
let w: CfApiWorld;
let v1: string;
let v2: string;

const WORKER = `export default { async fetch(req, env) {
  const path = new URL(req.url).pathname;
  if (path === '/boom') throw new Error('boom');
  if (path === '/slow') await new Promise((r) => setTimeout(r, 20));
  if (path === '/unavailable') return new Response('down', { status: 503 });
  return new Response('ok', { headers: { 'x-version-id': env.V.id } });
} }`;

function form(): FormData {
  const f = new FormData();
  const metadata = {
    main_module: 'index.js',
    compatibility_date: '2025-09-01',
    bindings: [{ type: 'version_metadata', name: 'V' }],
  };
  f.set('metadata', new Blob([JSON.stringify(metadata)], { type: 'application/json' }));
  f.set('index.js', new Blob([WORKER], { type: 'application/javascript+module' }), 'index.js');
  return f;
}
const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** What the Cloudflare target hands readMetrics: a POST of {query, variables} answering the parsed body. */
function deps(over: Partial<MetricsDeps> = {}): MetricsDeps {
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
    ...over,
  };
}
const setImperfections = (body: Record<string, unknown>) => w.api('/_local/imperfections', json('PUT', body));

/** `count` requests to `path` pinned to `version`, 20 at a time. */
async function send(version: string, path: string, count: number): Promise<void> {
  for (let done = 0; done < count; done += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, count - done) }, async () => {
        await (await w.request(path, version)).text();
      }),
    );
  }
}
const second = (ms = Date.now()) => new Date(Math.floor(ms / 1000) * 1000);
/** Waits until the clock is past the end of the current second (plus a margin for the router's bookkeeping). */
const nextSecond = () => new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (err) {
    return (err as ShipshapeError).code ?? String(err);
  }
}

beforeAll(async () => {
  w = await startCfApiWorld();
  const scripts = `/accounts/${w.accountId}/workers/scripts`;
  const put = await w.api(`${scripts}/cf-api-app`, { method: 'PUT', body: form() });
  v1 = put.body.result.deployment_id ?? put.body.result.id;
  const up = await w.api(`${scripts}/cf-api-app/versions`, { method: 'POST', body: form() });
  v2 = up.body.result.id;
  const deployed = await w.api(
    `${scripts}/cf-api-app/deployments`,
    json('POST', {
      strategy: 'percentage',
      versions: [
        { version_id: v1, percentage: 90 },
        { version_id: v2, percentage: 10 },
      ],
    }),
  );
  expect(deployed.body.success).toBe(true);
}, 60_000);
afterAll(async () => {
  await w?.close();
});

describe('readMetrics against the GraphQL Analytics stand-in', () => {
  it('introspects the dataset and checks the token at start; another account is ANALYTICS_NOT_AUTHORIZED', async () => {
    expect(await assertAnalyticsAvailable(deps())).toEqual({ sampleInterval: true, wallTimeP95: false });
    const other = deps({ accountId: '0123456789abcdef0123456789abcdef' });
    expect(await codeOf(assertAnalyticsAvailable(other))).toBe('ANALYTICS_NOT_AUTHORIZED');
    const badToken = deps();
    badToken.graphql = async (query, variables) =>
      (
        await fetch(`${w.base}/graphql`, {
          method: 'POST',
          headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
        })
      ).json();
    expect(await codeOf(assertAnalyticsAvailable(badToken))).toBe('ANALYTICS_NOT_AUTHORIZED');
  });

  it('each version reads what the router counted: requests, thrown errors, wall-time quantiles; no rows is zeros', async () => {
    await nextSecond();
    const since = second();
    await send(v1, '/', 40);
    await send(v1, '/slow', 10);
    await send(v1, '/boom', 6);
    await send(v2, '/', 20);
    await send(v2, '/boom', 2);
    await send(v2, '/unavailable', 3);
    await nextSecond();
    const until = second();
    const d = deps();
    for (const [version, requests, threw] of [
      [v1, 56, 6],
      [v2, 25, 2],
    ] as const) {
      const got = await readMetrics(d, { version, since, until });
      const router = w.daemon.platform.metrics.window(version, since, until);
      expect(got.requests).toBe(requests);
      expect(router.requests).toBe(requests);
      // Cloudflare's `errors` are invocations that threw; a 503 the worker returns is a success there.
      expect(got.errors).toBe(threw);
      expect(got.errorRate).toBeCloseTo(threw / requests);
      expect(got.since).toBe(since.toISOString());
      expect(got.until).toBe(until.toISOString());
      expect(got.p50).toBeCloseTo(router.p50, 0);
      expect(Math.abs(got.p99 - router.p99)).toBeLessThanOrEqual(router.p99 * 0.02 + 0.01);
      expect(got.p95).toBeGreaterThanOrEqual(got.p50);
      expect(got.p95).toBeLessThanOrEqual(got.p99);
      expect(got.latencyBuckets).toEqual([]);
      expect(got.routes).toBeUndefined();
    }
    const v2Router = w.daemon.platform.metrics.window(v2, since, until);
    expect(v2Router.errors).toBe(5);
    expect(await readMetrics(d, { version: 'no-such-version', since, until })).toMatchObject({
      requests: 0,
      errors: 0,
      errorRate: 0,
      p50: 0,
      p95: 0,
      p99: 0,
    });
  });

  it('with a 5 s analytics lag a window ending now is refused as not settled, and the same window is read 6 s later', async () => {
    await setImperfections({ analyticsLagMs: '5s' });
    try {
      await nextSecond();
      const since = second();
      await send(v2, '/', 30);
      await send(v2, '/boom', 3);
      await nextSecond();
      const until = second();
      const d = deps({ lagMs: 5000 });
      const refused = await readMetrics(d, { version: v2, since, until }).catch((e: ShipshapeError) => e);
      expect((refused as ShipshapeError).code).toBe('ANALYTICS_NOT_SETTLED');
      expect((refused as ShipshapeError).details.until).toBe(until.toISOString());
      // What the stand-in answers this early is incomplete: reading without the lag would undercount.
      const early = await readMetrics(deps(), { version: v2, since, until });
      expect(early.requests).toBeLessThan(33);
      await new Promise((r) => setTimeout(r, 6000));
      const settled = await readMetrics(d, { version: v2, since, until });
      expect(settled).toMatchObject({ requests: 33, errors: 3, until: until.toISOString() });
    } finally {
      await setImperfections({ analyticsLagMs: 0 });
    }
  }, 30_000);

  it("with sampling the counts are Cloudflare's estimates, scaled up once by the sample interval", async () => {
    await setImperfections({ sampleRate: 0.25 });
    try {
      await nextSecond();
      const since = second();
      await send(v1, '/', 400);
      await nextSecond();
      const until = second();
      const got = await readMetrics(deps(), { version: v1, since, until });
      expect(w.daemon.platform.metrics.window(v1, since, until).requests).toBe(400);
      // Each kept request stands for 4; sd of the estimate is about 35, so 5 sd either side.
      expect(got.requests % 4).toBe(0);
      expect(Math.abs(got.requests - 400)).toBeLessThan(175);
      expect(got.errors).toBe(0);
    } finally {
      await setImperfections({ sampleRate: 1 });
    }
  }, 30_000);
});
