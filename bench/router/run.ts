// Router overhead: autocannon against the router and directly against one version's workerd socket, in one
// run, plus the daemon's RSS with two live versions. Run: npm run bench:router
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import { loadConfig } from '../../src/config/load.ts';
import { copyExample } from '../../src/demo/copy-example.ts';
import { createTarget } from '../../src/targets/create-target.ts';
import { connect, stopDaemon } from '../../src/targets/local/launcher.ts';
import type { StatusReport } from '../../src/targets/local/status.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function cannon(url: string, headers: Record<string, string>, duration = DURATION): Promise<Figures> {
  const r: AutocannonResult = await autocannon({ url, connections: CONNECTIONS, duration, headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** RSS (MB) of a process and every descendant (the daemon and its workerd). */
function treeRss(pid: number): number {
  let kb = 0;
  const statusOf = (p: number) => readFileSync(`/proc/${p}/status`, 'utf8');
  const walk = (p: number) => {
    kb += Number(/VmRSS:\s+(\d+)/.exec(statusOf(p))?.[1] ?? 0);
    for (const task of readdirSync(`/proc/${p}/task`)) {
      const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/) : []) walk(Number(child));
    }
  };
  walk(pid);
  return kb / 1024;
}

const app = copyExample({ git: false });
try {
  writeFileSync(
    join(app.dir, 'shipshape.config.json'),
    JSON.stringify({ local: { port: 0, controlPort: 0 } }),
  );
  const config = await loadConfig({ cwd: app.dir, env: null });
  const target = await createTarget(config, { env: { ...process.env, FAULT: '' } });
  const artifact = await target.build();
  const a = await target.upload(artifact, { message: 'a' });
  const b = await target.upload(artifact, { message: 'b' });
  await target.setTraffic([
    { version: b.id, percent: 50 },
    { version: a.id, percent: 50 },
  ]);
  const connection = await connect(app.dir);
  if (!connection) throw new Error('daemon not running');
  const status = await connection.client.call<StatusReport>('GET', '/status');
  const routerUrl = new URL('/', connection.info.url).href;
  const directUrl = status.runtimeUrl as string;
  const pinRouter = { 'Cloudflare-Workers-Version-Overrides': `${config.worker.name}="${a.id}"` };
  const pinDirect = { 'MF-Route-Override': `v-${a.id}` };

  await cannon(directUrl, pinDirect, 2);
  await cannon(routerUrl, pinRouter, 2);
  const direct = await cannon(directUrl, pinDirect);
  const routed = await cannon(routerUrl, pinRouter);
  const split = await cannon(routerUrl, {});
  const rss = treeRss(connection.info.pid);

  const row = (name: string, f: Figures) =>
    `| ${name.padEnd(22)} | ${f.rps.toFixed(0).padStart(7)} | ${f.p50.toFixed(2).padStart(7)} | ${f.p99.toFixed(2).padStart(7)} | ${String(f.errors).padStart(6)} |`;
  const ratio = routed.rps / direct.rps;
  const addedP99 = routed.p99 - direct.p99;
  console.log(`\nrouter bench: ${CONNECTIONS} connections, ${DURATION}s each, GET / of the example worker\n`);
  console.log('| path                   |   req/s | p50 ms  | p99 ms  | errors |');
  console.log('|------------------------|---------|---------|---------|--------|');
  console.log(row('direct (workerd entry)', direct));
  console.log(row('router, pinned', routed));
  console.log(row('router, 50/50 split', split));
  console.log('');
  console.log(
    `router / direct throughput: ${(ratio * 100).toFixed(1)}%  (target >= 85%)  ${ratio >= 0.85 ? 'ok' : 'MISSED'}`,
  );
  console.log(`added p99: ${addedP99.toFixed(2)} ms  (target <= 2 ms)  ${addedP99 <= 2 ? 'ok' : 'MISSED'}`);
  console.log(
    `daemon RSS with two live versions (node + workerd): ${rss.toFixed(0)} MB  (target <= 250 MB)  ${rss <= 250 ? 'ok' : 'MISSED'}`,
  );
} finally {
  await stopDaemon(app.dir);
  app.cleanup();
}
