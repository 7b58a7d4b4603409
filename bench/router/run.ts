// Router overhead: autocannon against the router and directly against one version's workerd socket, in one
// run, plus the daemon's RSS with two live versions. Run: npm run bench:router
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import { loadConfig } from '../../src/config/load.ts';
import { copyExample } from '../../src/demo/copy-example.ts';
import { createTarget } from '../../src/targets/create-target.ts';
import { connect, stopDaemon } from '../../src/targets/local/launcher.ts';
import type { StatusReport } from '../../src/targets/local/status.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Per-figure median over rounds. */
function median(runs: Figures[]): Figures {
  const mid = (key: keyof Figures) =>
    [...runs].map((r) => r[key]).sort((x, y) => x - y)[Math.floor(runs.length / 2)];
  return {
    rps: mid('rps'),
    p50: mid('p50'),
    p99: mid('p99'),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}

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
function treeRss(pid: number): { total: number; parts: string[] } {
  let kb = 0;
  const parts: string[] = [];
  const statusOf = (p: number) => readFileSync(`/proc/${p}/status`, 'utf8');
  const walk = (p: number) => {
    const status = statusOf(p);
    const own = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    kb += own;
    parts.push(`${/Name:\s+(\S+)/.exec(status)?.[1]} ${(own / 1024).toFixed(0)} MB`);
    for (const task of readdirSync(`/proc/${p}/task`)) {
      const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/) : []) walk(Number(child));
    }
  };
  walk(pid);
  return { total: kb / 1024, parts };
}

/**
 * The floor for any Node HTTP hop: a bare keep-alive proxy (no routing, no metrics) in its own process, in
 * front of the same version socket. The router cannot be cheaper than this.
 */
const BARE_PROXY = `
const http = require('node:http');
const target = new URL(process.argv[1]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
http.createServer((req, res) => {
  const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.rawHeaders, agent }, (r) => {
    res.writeHead(r.statusCode, r.rawHeaders);
    r.pipe(res);
  });
  req.pipe(up);
}).listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port) + '\\n'); });
`;

async function startBareProxy(target: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', BARE_PROXY, target], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}/`, child };
}

const app = copyExample({ git: false });
let bare: ChildProcess | null = null;
let built: string | null = null;
try {
  const config = {
    ...(await loadConfig({ cwd: app.dir, env: null })),
    local: { port: 0, controlPort: 0 },
  };
  const target = await createTarget(config, { env: { ...process.env, FAULT: '' } });
  const artifact = await target.build();
  built = artifact.dir;
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
  const directUrl = status.sockets[a.id];
  const pinRouter = { 'Cloudflare-Workers-Version-Overrides': `${config.worker.name}="${a.id}"` };
  const pinDirect = {};

  const rssIdle = treeRss(connection.info.pid);
  await cannon(directUrl, pinDirect, 2);
  await cannon(routerUrl, pinRouter, 2);
  // Interleaved rounds, median of each: the machine is shared, so load drifts during a run.
  const proxy = await startBareProxy(directUrl);
  bare = proxy.child;
  const directRuns: Figures[] = [];
  const routedRuns: Figures[] = [];
  const bareRuns: Figures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    directRuns.push(await cannon(directUrl, pinDirect));
    routedRuns.push(await cannon(routerUrl, pinRouter));
    bareRuns.push(await cannon(proxy.url, pinDirect));
  }
  bare.kill();
  const direct = median(directRuns);
  const routed = median(routedRuns);
  const bareFigures = median(bareRuns);
  const split = await cannon(routerUrl, {});
  const rss = treeRss(connection.info.pid);

  const row = (name: string, f: Figures) =>
    `| ${name.padEnd(23)} | ${f.rps.toFixed(0).padStart(7)} | ${f.p50.toFixed(2).padStart(7)} | ${f.p99.toFixed(2).padStart(7)} | ${String(f.errors).padStart(6)} |`;
  const ratio = routed.rps / direct.rps;
  const addedP99 = routed.p99 - direct.p99;
  console.log(
    `\nrouter bench: ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION}s (medians), GET / of the example worker\n`,
  );
  console.log('| path                    |   req/s | p50 ms  | p99 ms  | errors |');
  console.log('|-------------------------|---------|---------|---------|--------|');
  console.log(row('direct (version socket)', direct));
  console.log(row('router, pinned', routed));
  console.log(row('router, 50/50 split', split));
  console.log(row('bare Node proxy (floor)', bareFigures));
  console.log('');
  console.log(
    `router / direct throughput: ${(ratio * 100).toFixed(1)}%  (target >= 85%)  ${ratio >= 0.85 ? 'ok' : 'MISSED'}`,
  );
  console.log(
    `router / bare Node proxy: ${((routed.rps / bareFigures.rps) * 100).toFixed(1)}%  (what any Node HTTP hop costs: ${((bareFigures.rps / direct.rps) * 100).toFixed(1)}% of direct)`,
  );
  console.log(`added p99: ${addedP99.toFixed(2)} ms  (target <= 2 ms)  ${addedP99 <= 2 ? 'ok' : 'MISSED'}`);
  console.log(
    `daemon RSS with two live versions, after the load: ${rss.total.toFixed(0)} MB (${rss.parts.join(', ')})  (target <= 250 MB)  ${rss.total <= 250 ? 'ok' : 'MISSED'}`,
  );
  console.log(
    `daemon RSS with two live versions, before the load: ${rssIdle.total.toFixed(0)} MB (${rssIdle.parts.join(', ')})`,
  );
} finally {
  bare?.kill();
  await stopDaemon(app.dir);
  // Normally gone already: the target removes a build folder once uploaded.
  if (built) rmSync(dirname(built), { recursive: true, force: true });
  app.cleanup();
}
