/**
 * How much Cloudflare's analytics lag delays the judge: the same faulty version (a third of unpinned requests
 * throw) released with `target: "cloudflare"` against the local Cloudflare API, once with analytics that settle
 * at once and once with a 60 s lag (`cloudflare.analyticsLag` set to match). Detection time: from the canary's
 * first traffic to the rollback verdict, from the release's own events. Traffic only to 127.0.0.1.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { startCfApiWorld } from '../../test/support/cf-api.ts';
import { PACKAGE_ROOT } from '../../test/support/example.ts';

const LAGS_S = [0, 60];
const world = await startCfApiWorld();
const app = mkdtempSync(join(tmpdir(), 'shipshape-cf-lag-'));
const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: app,
    stdio: 'ignore',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@b',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@b',
    },
  });

function writeConfig(lagS: number): void {
  const config = {
    target: 'cloudflare',
    // The stand-in settles a second once it has passed; a real account needs its own lag here.
    cloudflare: { url: world.daemon.info.url, analyticsLag: `${lagS + 1}s` },
    gates: { window: { deniedDays: [] }, consoleLog: { enabled: false }, incidents: { enabled: false } },
    health: { checks: [{ name: 'root', path: '/', critical: true }], securityHeaders: [] },
    analysis: { minSamples: 10, compare: { enabled: false } },
    rollout: {
      steps: [{ percent: 10, bake: `${lagS + 90}s` }, 100],
      bake: '3s',
      interval: '1s',
      traffic: { enabled: true, rps: 60, paths: [{ path: '/' }] },
    },
    monitor: { duration: '1s', interval: '1s', sustained: 2 },
  };
  writeFileSync(join(app, 'shipshape.config.json'), JSON.stringify(config, null, 2));
}

function deploy(): Promise<ShipshapeEvent[]> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(PACKAGE_ROOT, 'bin', 'shipshape.js'), 'deploy', '--json', '--cwd', app],
      {
        env: {
          ...process.env,
          CLOUDFLARE_API_BASE_URL: world.base,
          CLOUDFLARE_API_TOKEN: world.token,
          CLOUDFLARE_ACCOUNT_ID: world.accountId,
        },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('close', () =>
      resolve(
        out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as ShipshapeEvent),
      ),
    );
  });
}

async function setLag(lagS: number): Promise<void> {
  await world.api('/_local/imperfections', {
    method: 'PUT',
    body: JSON.stringify({ analyticsLagMs: lagS * 1000 }),
  });
}

const rows: string[][] = [];
try {
  cpSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'cf-api-app'), app, { recursive: true });
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(join(PACKAGE_ROOT, 'node_modules', 'wrangler'), join(app, 'node_modules', 'wrangler'), 'dir');
  writeFileSync(join(app, '.gitignore'), 'node_modules/\n.shipshape/\n.wrangler/\n');
  writeConfig(0);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'app');
  const good = await deploy();
  const first = good.find((e) => e.type === 'release.finished');
  if (first?.type !== 'release.finished' || first.outcome !== 'promoted')
    throw new Error('the first release was not promoted');
  const source = join(app, 'src', 'index.js');
  const healthy = readFileSync(source, 'utf8');
  for (const lagS of LAGS_S) {
    await setLag(lagS);
    writeConfig(lagS);
    writeFileSync(
      source,
      healthy.replace(
        'async fetch(request, env) {',
        `async fetch(request, env) {\n    if (!request.headers.has('cloudflare-workers-version-overrides') && Math.random() < 0.34) throw new Error('faulty ${lagS}');`,
      ),
    );
    git('commit', '-qam', `faulty, lag ${lagS}s`);
    const events = await deploy();
    const firstTraffic = events.find(
      (e) => e.type === 'traffic.changed' && e.split.length === 2 && e.split.every((s) => s.percent > 0),
    );
    const verdict = events.find((e) => e.type === 'verdict' && e.action === 'rollback');
    const end = events.find((e) => e.type === 'release.finished');
    const detected =
      firstTraffic && verdict
        ? ((Date.parse(verdict.ts) - Date.parse(firstTraffic.ts)) / 1000).toFixed(1)
        : '-';
    rows.push([`${lagS} s`, `${detected} s`, end?.type === 'release.finished' ? end.outcome : 'none']);
    writeFileSync(source, healthy);
    git('commit', '-qam', `healthy again, lag ${lagS}s`);
  }
} finally {
  await world.close();
  rmSync(app, { recursive: true, force: true });
}
console.log('| analytics lag | detection (first canary traffic → rollback verdict) | outcome |');
console.log('|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
