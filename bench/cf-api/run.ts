/**
 * The local Cloudflare API under load: requests/s of the analytics query and of deployment changes, and a
 * traffic switch made through the API while a steady load runs (no request may fail).
 * Run: npx tsx bench/cf-api/run.ts
 */
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import { startCfApiWorld } from '../../test/support/cf-api.ts';
import { steadyLoad } from '../../test/support/steady-load.ts';

const w = await startCfApiWorld();
const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
try {
  for (const label of ['one', 'two']) {
    const r = await w.wrangler('deploy', '--var', `LABEL:${label}`);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  const script = `/accounts/${w.accountId}/workers/scripts/cf-api-app`;
  const [b, a] = (await w.api(`${script}/versions`)).body.result.items.map((v: { id: string }) => v.id);

  // Traffic for the analytics to count, then the query itself under 10 connections.
  await autocannon({ url: w.daemon.info.url, connections: 10, duration: 3 });
  const query = `query($a: string!, $s: Time!) { viewer { accounts(filter: {accountTag: $a}) {
    workersInvocationsAdaptive(limit: 10000, filter: {scriptName: "cf-api-app", datetime_geq: $s}) {
      sum { requests errors } quantiles { cpuTimeP50 cpuTimeP99 } dimensions { scriptVersion status datetimeMinute } } } } }`;
  const analytics = await autocannon({
    url: `${w.base}/graphql`,
    method: 'POST',
    connections: 10,
    duration: 5,
    headers: { authorization: `Bearer ${w.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      query,
      variables: { a: w.accountId, s: new Date(Date.now() - 600_000).toISOString() },
    }),
  });

  // Deployment changes between the same two versions (weights only: the runtime is not restarted).
  const changes = 100;
  const started = performance.now();
  for (let i = 0; i < changes; i++) {
    const p = i % 2 === 0 ? 10 : 90;
    const r = await w.api(
      `${script}/deployments`,
      json('POST', {
        strategy: 'percentage',
        versions: [
          { version_id: a, percentage: p },
          { version_id: b, percentage: 100 - p },
        ],
      }),
    );
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  }
  const deployRate = changes / ((performance.now() - started) / 1000);

  // Zero downtime: switches through the API (100% a → 100% b → split) while 16 clients send requests.
  const load = steadyLoad(w.daemon.info.url, 16, ['/', '/flag']);
  let switches = 0;
  for (const versions of [
    [{ version_id: b, percentage: 100 }],
    [{ version_id: a, percentage: 100 }],
    [
      { version_id: a, percentage: 50 },
      { version_id: b, percentage: 50 },
    ],
  ]) {
    await new Promise((r) => setTimeout(r, 500));
    const r = await w.api(
      `${script}/deployments?force=true`,
      json('POST', { strategy: 'percentage', versions }),
    );
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    switches++;
  }
  await new Promise((r) => setTimeout(r, 500));
  const result = await load.stop();
  const report = {
    analyticsQueryPerSecond: Math.round(analytics.requests.average),
    analyticsP99Ms: analytics.latency.p99,
    analyticsNon2xx: analytics.non2xx,
    deploymentChangesPerSecond: Math.round(deployRate),
    zeroDowntime: {
      switches,
      ok: result.ok,
      failures: result.failures.length,
      versionsSeen: result.versions.size,
    },
  };
  console.log(JSON.stringify(report, null, 2));
  if (result.failures.length > 0) {
    console.error(result.failures.slice(0, 10).join('\n'));
    process.exitCode = 1;
  }
} finally {
  await w.close();
}
