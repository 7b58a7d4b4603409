import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { PACKAGE_ROOT } from './example.ts';

/** Release settings for the binding fixtures: second-long bakes, free ports, health on /health, no header checks. */
export const FIXTURE_CONFIG = {
  local: { port: 0, controlPort: 0 },
  gates: { window: { deniedDays: [] }, consoleLog: { enabled: false } },
  release: { retries: { attempts: 1, backoff: ['0s'] } },
  health: {
    checks: [
      {
        name: 'health',
        path: '/health',
        json: { status: 'healthy' },
        critical: true,
        retries: 2,
        retryDelay: '300ms',
      },
    ],
    securityHeaders: [],
  },
  e2e: { samples: 3 },
  rollout: {
    steps: [50, 100],
    bake: '2s',
    interval: '1s',
    maxExtension: '3s',
    minBake: '1s',
    traffic: { enabled: true, rps: 60, paths: [{ path: '/health' }] },
  },
  analysis: { minSamples: 10 },
  monitor: { duration: '1s', interval: '1s', sustained: 2 },
};

export interface FixtureApp {
  dir: string;
  cli(args: string[]): Promise<{ code: number; events: ShipshapeEvent[]; stdout: string; stderr: string }>;
  /** Commits every change (the gate wants a clean tree). */
  commit(message: string): void;
  /** The data plane's URL (the router), once the daemon runs. */
  url(): string;
  cleanup(): void;
}

const BIN = join(PACKAGE_ROOT, 'bin', 'shipshape.js');

/** A git repository holding a copy of `test/fixtures/apps/<name>`, with `node_modules/shipshape` linked as npm would. */
export function fixtureApp(name: string): FixtureApp {
  const dir = mkdtempSync(join(tmpdir(), `shipshape-fixture-${name}-`));
  cpSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'apps', name), dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(PACKAGE_ROOT, join(dir, 'node_modules', 'shipshape'), 'dir');
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n.shipshape/\n.wrangler/\n.dev.vars\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', message);
  };
  commit('fixture');
  const cli: FixtureApp['cli'] = (args) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args, '--cwd', dir], {
        env: { ...process.env, CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      child.on('error', reject);
      child.on('close', (code) => {
        const events = out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .flatMap((l) => {
            try {
              return [JSON.parse(l) as ShipshapeEvent];
            } catch {
              return []; // text output (e.g. a pretty-printed config), not an NDJSON record
            }
          });
        resolve({ code: code ?? -1, events, stdout: out, stderr: err });
      });
    });
  return {
    dir,
    cli,
    commit,
    url: () => {
      const info = execFileSync(process.execPath, [
        BIN,
        'local',
        'status',
        '--json',
        '--cwd',
        dir,
      ]).toString();
      return (JSON.parse(info) as { url: string }).url;
    },
    cleanup: () => {
      try {
        execFileSync(process.execPath, [BIN, 'local', 'stop', '--cwd', dir], { stdio: 'ignore' });
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `shipshape init`, then the fixture release settings in place of the written config; committed. */
export async function initFixture(app: FixtureApp): Promise<{ code: number; stdout: string }> {
  const init = await app.cli(['init']);
  rmSync(join(app.dir, 'shipshape.config.ts'), { force: true });
  writeFileSync(join(app.dir, 'shipshape.config.json'), JSON.stringify(FIXTURE_CONFIG, null, 2));
  app.commit('shipshape config');
  return { code: init.code, stdout: init.stdout };
}

/** `init`, then `deploy`: returns the deploy's exit code, outcome and stderr (for the assertion message). */
export async function initAndDeploy(
  app: FixtureApp,
): Promise<{ code: number; outcome?: string; stderr: string }> {
  const init = await initFixture(app);
  if (init.code !== 0) return { code: init.code, stderr: init.stdout };
  const { code, events, stderr, stdout } = await app.cli(['deploy', '--json']);
  const end = events.find((e) => e.type === 'release.finished') as { outcome?: string } | undefined;
  return { code, outcome: end?.outcome, stderr: `${stderr}\n${stdout.slice(-4000)}` };
}

/** Polls `read` until it returns a truthy value, or fails after `ms`. */
export async function eventually<T>(read: () => Promise<T | null | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > until) throw new Error(`not true after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
