import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import type { CfApiWorld } from './cf-api.ts';
import { PACKAGE_ROOT } from './example.ts';

const BIN = join(PACKAGE_ROOT, 'bin', 'shipshape.js');

export interface CliRun {
  code: number;
  events: ShipshapeEvent[];
  out: string;
  err: string;
}

/** A copy of the API stand-in's fixture app in a git repository of its own, deployed with the built CLI. */
export interface CfApp {
  dir: string;
  /** Removes the app's own temp folder (and nothing around it). */
  remove(): void;
  git(...args: string[]): void;
  /** Commits a change to the worker's source (a new bundle). */
  change(line: string): void;
  /**
   * The built CLI with --json against the stand-in; `stopAt`: interrupt it once an event matches (SIGINT, as
   * Ctrl-C, which rolls the release back; `signal: 'SIGKILL'` for a runner that dies).
   */
  cli(
    args: string[],
    env?: Record<string, string>,
    stopAt?: (e: ShipshapeEvent) => boolean,
    opts?: {
      onEvent?: (e: ShipshapeEvent) => void;
      signal?: NodeJS.Signals;
      /** The CLI's process, as soon as it runs (to pause and resume it). */
      onSpawn?: (child: ChildProcess) => void;
    },
  ): Promise<CliRun>;
}

/**
 * A release of the fixture Worker to target cloudflare, sized for tests: the stand-in's router as the Worker's URL,
 * no deploy-window, console or incident gates, a 10% step of 3 s judged every second on generated traffic.
 */
export const cfReleaseConfig = (url: string) => ({
  target: 'cloudflare',
  cloudflare: { url, analyticsLag: '1s' },
  // The rehearsal's twin on the local target runs its own platform on free ports.
  local: { port: 0, controlPort: 0 },
  gates: {
    window: { deniedDays: [] },
    consoleLog: { enabled: false },
    incidents: { enabled: false },
  },
  release: { retries: { attempts: 2, backoff: ['1s'] } },
  health: {
    checks: [{ name: 'root', path: '/', critical: true, retries: 2, retryDelay: '300ms' }],
    securityHeaders: [],
  },
  e2e: { endpoints: [{ name: 'items', path: '/items' }], samples: 3 },
  rollout: {
    steps: [10, 100],
    bake: '3s',
    interval: '1s',
    maxExtension: '6s',
    minBake: '1s',
    traffic: { enabled: true, rps: 60, paths: [{ path: '/' }] },
  },
  analysis: { minSamples: 10 },
  monitor: { duration: '1s', interval: '1s', sustained: 2 },
});

/**
 * `cfReleaseConfig` with the release state in the account (`cloudflare.state.d1` "shipshape-state", which the test
 * creates), no clean-tree gate (clones commit as they go), and the test's own bake, traffic rate and rollback.
 */
export const cfStateConfig = (
  url: string,
  o: { bake: string; rps: number; rollback: Record<string, unknown> },
) => {
  const base = cfReleaseConfig(url);
  return {
    ...base,
    cloudflare: { ...base.cloudflare, state: { d1: 'shipshape-state' } },
    gates: { ...base.gates, cleanTree: false },
    rollout: { ...base.rollout, bake: o.bake, traffic: { ...base.rollout.traffic, rps: o.rps } },
    rollback: o.rollback,
  };
};

/** The fixture Worker's live deployment as the API answers it. */
export async function cfServing(w: CfApiWorld): Promise<Array<{ version_id: string; percentage: number }>> {
  const answer = await w.api(`/accounts/${w.accountId}/workers/scripts/cf-api-app/deployments`);
  return answer.body.result.deployments[0].versions;
}

export function createCfApp(w: CfApiWorld, config: unknown, prefix = 'shipshape-cf-app-'): CfApp {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'cf-api-app'), dir, { recursive: true });
  writeFileSync(join(dir, 'shipshape.config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n.shipshape/\n.wrangler/\n');
  const app = openCfApp(w, dir, dir);
  app.git('init', '-q', '-b', 'main');
  app.git('add', '-A');
  app.git('commit', '-qm', 'app');
  linkWrangler(dir);
  return app;
}

/** Another clone of an app's repository: a runner that starts with nothing but the code. */
export function cloneCfApp(w: CfApiWorld, from: CfApp, prefix = 'shipshape-cf-clone-'): CfApp {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dir = join(root, 'app');
  execFileSync('git', ['clone', '-q', from.dir, dir], { stdio: 'ignore' });
  linkWrangler(dir);
  return openCfApp(w, dir, root);
}

function linkWrangler(dir: string): void {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(join(PACKAGE_ROOT, 'node_modules', 'wrangler'), join(dir, 'node_modules', 'wrangler'), 'dir');
}

function openCfApp(w: CfApiWorld, dir: string, root: string): CfApp {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  return {
    dir,
    remove: () => rmSync(root, { recursive: true, force: true }),
    git,
    change(line) {
      appendFileSync(join(dir, 'src', 'index.js'), `\n// ${line}\n`);
      git('commit', '-qam', line);
    },
    cli(args, env = {}, stopAt, opts = {}) {
      return new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args, '--cwd', dir, '--json'], {
          env: {
            ...process.env,
            CI: 'true',
            CLOUDFLARE_API_BASE_URL: w.base,
            CLOUDFLARE_API_TOKEN: w.token,
            CLOUDFLARE_ACCOUNT_ID: w.accountId,
            ...env,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        opts.onSpawn?.(child);
        let out = '';
        let err = '';
        let stopped = false;
        let seen = 0;
        child.stdout.on('data', (c) => {
          out += c;
          const events = parseEvents(out);
          for (const e of events.slice(seen)) opts.onEvent?.(e);
          seen = events.length;
          if (stopAt && !stopped && events.some(stopAt)) {
            stopped = true;
            child.kill(opts.signal ?? 'SIGINT');
          }
        });
        child.stderr.on('data', (c) => (err += c));
        child.on('close', (code) => resolve({ code: code ?? -1, events: parseEvents(out), out, err }));
      });
    },
  };
}

/** A `stopAt` for `cli`: the traffic change that gives some version `percent`. */
export const atPercent = (percent: number) => (e: ShipshapeEvent) =>
  e.type === 'traffic.changed' && e.split.some((s) => s.percent === percent);

/** The NDJSON events of a run's stdout (a partial last line is not one yet). */
export function parseEvents(out: string): ShipshapeEvent[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{') && l.endsWith('}'))
    .map((l) => JSON.parse(l) as ShipshapeEvent);
}

export function finishedEvent(events: ShipshapeEvent[]) {
  return events.find((e) => e.type === 'release.finished') as
    | Extract<ShipshapeEvent, { type: 'release.finished' }>
    | undefined;
}
