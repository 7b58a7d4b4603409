import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { readDaemonInfo, readToken } from '../../src/targets/local/daemon-info.ts';
import { statePaths } from '../../src/targets/local/paths.ts';
import { PACKAGE_ROOT } from '../support/example.ts';
import { runCli } from '../support/run-cli.ts';

const FIXTURE = join(PACKAGE_ROOT, 'test', 'fixtures', 'plain-app');
const apps: string[] = [];

afterEach(async () => {
  for (const dir of apps.splice(0)) {
    await runCli(['local', 'stop'], { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh copy of the plain app as a user has it: shipshape and wrangler installed, one commit on main. */
function plainApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-plain-'));
  apps.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(PACKAGE_ROOT, join(dir, 'node_modules', 'shipshape'), 'dir');
  const wrangler = join(PACKAGE_ROOT, 'node_modules', 'wrangler');
  if (existsSync(wrangler)) symlinkSync(wrangler, join(dir, 'node_modules', 'wrangler'), 'dir');
  git(dir, 'init', '-q', '-b', 'main');
  commit(dir, 'plain app');
  return dir;
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    stdio: 'ignore',
  });
}

function commit(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', message);
}

const events = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as ShipshapeEvent);

/** The deploy window is part of the defaults (no Fridays): on a Friday a user passes --force-window too. */
const windowFlags = () =>
  new Date().getUTCDay() === 5 ? ['--force-window', '--reason', 'test on a Friday'] : [];

/** Free ports, as `local start --port 0` gives any user; the config keeps init's defaults. */
async function startLocal(dir: string): Promise<string> {
  const started = await runCli(['local', 'start', '--port', '0', '--control-port', '0'], { cwd: dir });
  expect(started.code, started.stderr).toBe(0);
  const info = readDaemonInfo(statePaths(dir));
  if (!info) throw new Error('no daemon.json');
  return info.url;
}

describe('a first release on the local target', () => {
  it('init then deploy promotes a plain app (no /health, no security headers) with no config edits', async () => {
    const dir = plainApp();
    // As a user runs it: the built CLI in a process of its own, its whole terminal output captured.
    const run = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'shipshape.js'), 'init'], {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
      encoding: 'utf8',
    });
    const init = { code: run.status, stdout: run.stdout, stderr: run.stderr };
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/GET \/ → 200/);
    expect(init.stdout).toMatch(/GET \/health → 404/);
    const written = readFileSync(join(dir, 'shipshape.config.ts'), 'utf8');
    expect(written).toContain("{ name: 'home page', path: '/', status: 200, critical: true }");
    expect(written).toContain('securityHeaders: []');
    // The health route it lacks is only suggested, commented out.
    expect(written).toMatch(/\/\/ \{ name: 'health endpoint', path: '\/health'/);
    // init leaves nothing running and no local state behind.
    expect(readDaemonInfo(statePaths(dir))).toBeNull();
    expect(existsSync(join(dir, '.shipshape'))).toBe(false);
    // Release state and the local platform's token stay out of git.
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.shipshape\/$/m);
    // The app's own console (its 404 for the probed /health) is not init's output.
    expect(init.stdout + init.stderr).not.toMatch(/^\s+at /m);

    commit(dir, 'shipshape config');
    await startLocal(dir);
    // Bakes and the monitor window are minutes by default; a user shortens them with the same flags.
    const deploy = await runCli(['deploy', '--json', '--bake', '5s', '--monitor', '5s', ...windowFlags()], {
      cwd: dir,
    });
    const evs = events(deploy.stdout);
    const end = evs.find((e) => e.type === 'release.finished');
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
    expect(end).toMatchObject({ outcome: 'promoted' });
    // Staged pinned-only first, then 100% only in the rollout.
    const splits = evs.filter((e) => e.type === 'traffic.changed').map((e) => e.split.map((s) => s.percent));
    expect(splits).toEqual([[0], [100]]);
    const source = evs.find((e) => e.type === 'log' && e.message.startsWith('traffic:'));
    expect(source && 'message' in source ? source.message : '').toMatch(/generated by shipshape/);
  }, 240_000);

  it('a first release failing its health check exits 1 and only pinned requests ever reached it', async () => {
    const dir = plainApp();
    writeFileSync(
      join(dir, 'shipshape.config.json'),
      JSON.stringify({
        local: { port: 0, controlPort: 0 },
        gates: { window: { deniedDays: [] } },
        health: {
          checks: [{ name: 'health', path: '/health', critical: true, retries: 2, retryDelay: '200ms' }],
          securityHeaders: [],
        },
      }),
    );
    commit(dir, 'config with a health check the app fails');
    const url = await startLocal(dir);
    // Users knocking all through the release: none of them may reach the new version.
    const unpinned: number[] = [];
    let knocking = true;
    const knock = (async () => {
      while (knocking) {
        const res = await fetch(new URL('/', url)).catch(() => null);
        if (res) {
          unpinned.push(res.status);
          await res.text();
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const since = new Date(Date.now() - 1000);
    const deploy = await runCli(['deploy', '--json'], { cwd: dir });
    knocking = false;
    await knock;
    const evs = events(deploy.stdout);
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(1);
    const end = evs.find((e) => e.type === 'release.finished');
    expect(end).toMatchObject({ outcome: 'failed' });
    expect(evs.some((e) => e.type === 'rollback.started')).toBe(false);
    const version = end && 'version' in end ? (end.version as string) : '';
    expect(unpinned.length).toBeGreaterThan(5);
    expect(new Set(unpinned)).toEqual(new Set([503]));
    // The platform's own count for the version: exactly the pinned health-check attempts (a skipped check, such
    // as the response comparison of a release with no baseline, sent nothing).
    const pinned = evs
      .filter((e) => e.type === 'check.finished' && e.phase === 'verify' && e.status !== 'skip')
      .reduce((n, e) => n + (e.type === 'check.finished' ? e.attempt : 0), 0);
    expect(pinned).toBe(2);
    const paths = statePaths(dir);
    const q = new URLSearchParams({
      version,
      since: since.toISOString(),
      until: new Date(Date.now() + 2000).toISOString(),
    });
    const res = await fetch(new URL(`/metrics?${q}`, readDaemonInfo(paths)?.controlUrl), {
      headers: { authorization: `Bearer ${readToken(paths)}` },
    });
    const { result: metrics } = (await res.json()) as { result: { requests: number } };
    expect(metrics.requests).toBe(pinned);
    const status = await runCli(['status'], { cwd: dir });
    expect(status.stdout).toMatch(/pinned only/);
    expect(status.stdout).toMatch(/last release: \S+ failed FAILED/);
  }, 180_000);
});
