/**
 * How fast the installed command starts, against wrangler's own start, and what the package costs on disk in an
 * app that already has wrangler. Everything runs from an app made here: the packed tarball installed beside
 * wrangler, as a user installs it.
 *
 *   npm run bench:startup             # 10 paired rounds
 *   BENCH_ROUNDS=20 npm run bench:startup
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const work = mkdtempSync(join(tmpdir(), 'shipshape-bench-startup-'));
const sh = (file: string, args: string[], cwd: string) =>
  execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function duBytes(dir: string): number {
  return Number(sh('du', ['-sb', dir], work).split('\t')[0]);
}

try {
  sh('npm', ['pack', '--silent', '--pack-destination', work], PACKAGE_ROOT);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz')) as string;
  const wrangler = JSON.parse(sh('npm', ['pkg', 'get', 'devDependencies.wrangler'], PACKAGE_ROOT)) as string;
  const app = join(work, 'app');
  sh('mkdir', ['-p', app], work);
  const install = (deps: Record<string, string>) => {
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, devDependencies: deps }),
    );
    sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
    return duBytes(join(app, 'node_modules'));
  };
  const before = install({ wrangler });
  const after = install({ wrangler, shipshape: `file:../${tarball}` });

  const cases: Array<[string, string[]]> = [
    ['wrangler --version', ['node_modules/wrangler/bin/wrangler.js', '--version']],
    ['shipshape --version', ['node_modules/shipshape/bin/shipshape.js', '--version']],
    ['shipshape --help', ['node_modules/shipshape/bin/shipshape.js', '--help']],
    ['shipshape status', ['node_modules/shipshape/bin/shipshape.js', 'status']],
  ];
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  // Paired: every round runs each command once, in turn, so load on the machine falls on all of them alike.
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (const [name, args] of cases) {
      const started = process.hrtime.bigint();
      spawnSync(process.execPath, args, {
        cwd: app,
        stdio: 'ignore',
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (round > 0) times.get(name)?.push(ms); // round 0 warms the file cache
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(times.get('wrangler --version') as number[]);
  console.log(`Node ${process.versions.node}, wrangler ${wrangler}, ${ROUNDS} paired rounds\n`);
  console.log('| command               | median ms | × wrangler --version |');
  console.log('|-----------------------|-----------|----------------------|');
  for (const [name] of cases) {
    const m = median(times.get(name) as number[]);
    console.log(
      `| ${name.padEnd(21)} | ${m.toFixed(0).padStart(9)} | ${(m / base).toFixed(2).padStart(20)} |`,
    );
  }
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  console.log('\n| size                                         |      MB |');
  console.log('|----------------------------------------------|---------|');
  console.log(`| node_modules of an app with wrangler         | ${mb(before).padStart(7)} |`);
  console.log(`| the same after adding shipshape             | ${mb(after).padStart(7)} |`);
  console.log(`| added by shipshape (target <= 30 MB)         | ${mb(after - before).padStart(7)} |`);
  console.log(
    `| packed tarball                               | ${mb(statSync(join(work, tarball)).size).padStart(7)} |`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
