/**
 * End-to-end rollback on the local platform: a good release, then a faulty build (8% errors) under
 * generated traffic. Reports the time from the canary's first traffic to the baseline back at 100%, and
 * the share of failed user requests in the release window. Targets: <= 30 s and <= 1%.
 * Run: npm run bench:rollback-e2e [-- --runs 3]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { copyExample, PACKAGE_ROOT } from '../../src/demo/copy-example.ts';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { createTarget } from '../../src/targets/create-target.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

/** The example with demo-sized bakes and the traffic generator on, as a rehearsal would run it. */
const CONFIG = {
  local: { port: 0, controlPort: 0 },
  gates: { window: { deniedDays: [] } },
  rollout: {
    steps: [10, 50, 100],
    bake: '30s',
    interval: '1s',
    maxExtension: '30s',
    traffic: { enabled: true, rps: 200, paths: [{ path: '/api/items', weight: 3 }, { path: '/health' }] },
  },
  monitor: { duration: '10s', interval: '2s', sustained: 3 },
};

function deploy(dir: string, env: Record<string, string>): ShipshapeEvent[] {
  const r = spawnSync(
    process.execPath,
    [join(PACKAGE_ROOT, 'bin', 'shipshape.js'), 'deploy', '--cwd', dir, '--json'],
    {
      env: { ...process.env, CI: 'true', ...env },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return r.stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as ShipshapeEvent);
}

/** The control API may drop an idle keep-alive connection between deploys: a retry reconnects. */
async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

const at = (e: ShipshapeEvent | undefined) => (e ? Date.parse(e.ts) : Number.NaN);
const rows: Array<{
  outcome: string;
  detectS: number;
  backS: number;
  failedShare: number;
  requests: number;
}> = [];
const app = copyExample({ git: true, config: CONFIG });
try {
  const first = deploy(app.dir, { FAULT: '' });
  const good = first.find(
    (e): e is Extract<ShipshapeEvent, { type: 'release.finished' }> => e.type === 'release.finished',
  );
  if (good?.outcome !== 'promoted')
    throw new Error(`the good release did not promote: ${JSON.stringify(good)}`);
  const config = await loadConfig({ cwd: app.dir, env: null });
  const target = await createTarget(config, { env: process.env });
  for (let run = 0; run < RUNS; run++) {
    const events = deploy(app.dir, { FAULT: 'errors:0.08' });
    const end = events.find((e) => e.type === 'release.finished');
    const split = events.find(
      (e) => e.type === 'traffic.changed' && e.split.some((s) => s.version !== good.version && s.percent > 0),
    );
    const verdict = events.find((e) => e.type === 'verdict' && e.action === 'rollback');
    const back = events.find((e) => e.type === 'rollback.finished');
    const canary = end && end.type === 'release.finished' ? end.version : null;
    const since = new Date(Math.floor(at(split) / 1000) * 1000);
    const until = new Date(Math.ceil(at(back) / 1000) * 1000 + 1000);
    let requests = 0;
    let errors = 0;
    for (const version of [canary, good.version]) {
      if (!version || Number.isNaN(since.getTime()) || Number.isNaN(until.getTime())) continue;
      const w = await withRetry(() => target.metrics({ version, since, until }));
      requests += w.requests;
      errors += w.errors;
    }
    rows.push({
      outcome: end && end.type === 'release.finished' ? end.outcome : 'none',
      detectS: (at(verdict) - at(split)) / 1000,
      backS: (at(back) - at(split)) / 1000,
      failedShare: requests ? errors / requests : Number.NaN,
      requests,
    });
  }
  await target.close();
} finally {
  spawnSync(
    process.execPath,
    [join(PACKAGE_ROOT, 'bin', 'shipshape.js'), 'local', 'stop', '--cwd', app.dir],
    { stdio: 'ignore' },
  );
  app.cleanup();
}

console.log(
  `rollback-e2e: FAULT=errors:0.08, ${CONFIG.rollout.traffic.rps} rps generated, steps 10/50/100, ${RUNS} runs\n`,
);
console.log(
  '| run | outcome     | verdict after | baseline back at 100% after | failed requests | requests |',
);
console.log(
  '|-----|-------------|---------------|-----------------------------|-----------------|----------|',
);
rows.forEach((r, i) => {
  console.log(
    `| ${i + 1}   | ${r.outcome.padEnd(11)} | ${`${r.detectS.toFixed(1)} s`.padEnd(13)} | ${`${r.backS.toFixed(1)} s`.padEnd(27)} | ${`${(r.failedShare * 100).toFixed(2)}%`.padEnd(15)} | ${String(r.requests).padEnd(8)} |`,
  );
});
const worstBack = Math.max(...rows.map((r) => r.backS));
const worstShare = Math.max(...rows.map((r) => r.failedShare));
console.log(
  `\n${worstBack <= 30 ? 'met    ' : 'NOT met'}  first canary request to 100% back on the baseline <= 30 s (worst ${worstBack.toFixed(1)} s)`,
);
console.log(
  `${worstShare <= 0.01 ? 'met    ' : 'NOT met'}  failed user requests in the release window <= 1% (worst ${(worstShare * 100).toFixed(2)}%)`,
);
console.log(
  `${rows.every((r) => r.outcome === 'rolled_back') ? 'met    ' : 'NOT met'}  every faulty release rolled back by the judge`,
);
