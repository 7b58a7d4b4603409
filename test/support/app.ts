import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { copyExample, type ExampleCopy, PACKAGE_ROOT } from './example.ts';

/** Test-sized release settings: seconds-long bakes, free ports, the window open every day. */
export const FAST_CONFIG = {
  local: { port: 0, controlPort: 0 },
  gates: { window: { deniedDays: [] } },
  release: { retries: { attempts: 3, backoff: ['0s', '1s'] } },
  health: {
    checks: [
      {
        name: 'health endpoint',
        path: '/health',
        json: { status: 'healthy' },
        critical: true,
        retries: 2,
        retryDelay: '300ms',
      },
    ],
  },
  e2e: { endpoints: [{ name: 'items', path: '/api/items' }], samples: 5 },
  rollout: {
    steps: [50, 100],
    bake: '3s',
    interval: '1s',
    maxExtension: '4s',
    traffic: { enabled: true, rps: 80, paths: [{ path: '/api/items' }] },
  },
  analysis: { minSamples: 20 },
  monitor: { duration: '2s', interval: '1s', sustained: 2 },
};

export interface TestApp extends ExampleCopy {
  /** Runs the real CLI as a subprocess with --json; returns the exit code and the parsed NDJSON records. */
  cli(
    args: string[],
    env?: Record<string, string>,
  ): Promise<{ code: number; events: ShipshapeEvent[]; stderr: string }>;
  /** Starts the CLI without waiting (for kill -9 and concurrency tests). */
  spawnCli(args: string[], env?: Record<string, string>): ReturnType<typeof spawn>;
}

/** A git-committed copy of the example app with `config` as its shipshape.config.json. */
export function prepareApp(config: Record<string, unknown> = FAST_CONFIG): TestApp {
  const app = copyExample({ git: true, config });
  const spawnCli = (args: string[], env: Record<string, string> = {}) =>
    spawn(
      process.execPath,
      [join(PACKAGE_ROOT, 'bin', 'shipshape.js'), ...args, '--cwd', app.dir, '--json'],
      {
        env: { ...process.env, CI: 'true', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  return {
    ...app,
    spawnCli,
    cli: (args, env) =>
      new Promise((resolve, reject) => {
        const child = spawnCli(args, env);
        let out = '';
        let err = '';
        child.stdout?.on('data', (c) => (out += c));
        child.stderr?.on('data', (c) => (err += c));
        child.on('error', reject);
        child.on('close', (code) => {
          const events = out
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l) as ShipshapeEvent);
          resolve({ code: code ?? -1, events, stderr: err });
        });
      }),
    cleanup: () => {
      try {
        execFileSync(
          process.execPath,
          [join(PACKAGE_ROOT, 'bin', 'shipshape.js'), 'local', 'stop', '--cwd', app.dir],
          { stdio: 'ignore' },
        );
      } catch {
        // Not running: nothing to stop.
      }
      app.cleanup();
    },
  };
}

export function finished(events: ShipshapeEvent[]) {
  return events.find((e) => e.type === 'release.finished') as
    | Extract<ShipshapeEvent, { type: 'release.finished' }>
    | undefined;
}
