/**
 * The platform's guard: kill -9 a deploy while its canary bakes at 50% and time, with no command run, how long
 * until the last promoted version is back at 100% (the daemon notices the lapsed lease and recovers the release).
 * Default bound (rollback.guard 30 s) unless --guard says otherwise. Reports median and max.
 * Run: npx tsx bench/guard/run.ts [--runs 5] [--guard 30s]   (after npm run build: the CLI runs from dist/)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyExample, PACKAGE_ROOT } from '../../src/demo/copy-example.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('--runs', '5'));
const GUARD = arg('--guard', '30s');
const BIN = join(PACKAGE_ROOT, 'bin', 'shipshape.js');

const CONFIG = {
  local: { port: 0, controlPort: 0 },
  gates: { window: { deniedDays: [] } },
  e2e: { endpoints: [{ name: 'items', path: '/api/items' }], samples: 5 },
  rollout: {
    steps: [50, 100],
    bake: '120s',
    interval: '1s',
    maxExtension: '10s',
    traffic: { enabled: true, rps: 50, paths: [{ path: '/api/items' }] },
  },
  analysis: { minSamples: 20 },
  monitor: { duration: '2s', interval: '1s', sustained: 2 },
  rollback: { guard: GUARD },
};

const app = copyExample({ git: true, config: CONFIG });
const releases = join(app.dir, '.shipshape', 'releases');
const split = () =>
  JSON.parse(readFileSync(join(app.dir, '.shipshape', 'local', 'deployment.json'), 'utf8')).split as Array<{
    version: string;
    percent: number;
  }>;
const journal = (id: string) =>
  readFileSync(join(releases, `${id}.ndjson`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  const first = spawnSync(process.execPath, [BIN, 'deploy', '--cwd', app.dir, '--json'], {
    env: { ...process.env, CI: 'true' },
    encoding: 'utf8',
  });
  if (first.status !== 0) throw new Error(`the first release failed:\n${first.stdout.slice(-2000)}`);
  const v1 = split()[0].version;
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const before = new Set(existsSync(releases) ? readdirSync(releases) : []);
    const child = spawn(process.execPath, [BIN, 'deploy', '--cwd', app.dir, '--json'], {
      env: { ...process.env, CI: 'true' },
      stdio: 'ignore',
    });
    let id: string | undefined;
    for (;;) {
      id = readdirSync(releases)
        .find((f) => !before.has(f))
        ?.replace(/\.ndjson$/, '');
      if (
        id &&
        journal(id).some(
          (l) => l.type === 'traffic.changed' && JSON.stringify(l.split).includes('"percent":50'),
        )
      )
        break;
      await sleep(50);
    }
    child.kill('SIGKILL');
    const killed = Date.now();
    while (!(split().length === 1 && split()[0].version === v1)) await sleep(50);
    const ms = Date.now() - killed;
    times.push(ms);
    process.stdout.write(`run ${run + 1}: split restored ${(ms / 1000).toFixed(1)} s after the kill\n`);
    // The recovery closes the release and gives the lease back before the next run's deploy takes the lock.
    while (!journal(id as string).some((l) => l.type === 'release.finished')) await sleep(100);
    await sleep(1500);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  process.stdout.write(
    `guard ${GUARD}: ${RUNS} runs, death -> split restored median ${(median / 1000).toFixed(1)} s, max ${((sorted.at(-1) as number) / 1000).toFixed(1)} s\n`,
  );
} finally {
  spawnSync(process.execPath, [BIN, 'local', 'stop', '--cwd', app.dir], { stdio: 'ignore' });
  app.cleanup();
}
