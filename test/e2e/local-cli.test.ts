import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { statePaths } from '../../src/targets/local/paths.ts';
import { copyExample, type ExampleCopy, PACKAGE_ROOT } from '../support/example.ts';

let app: ExampleCopy;

/** Runs the CLI as a user does: a subprocess of bin/shipshape.js. */
function shipshape(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(PACKAGE_ROOT, 'bin', 'shipshape.js'), ...args, '--cwd', app.dir],
      { env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  app = copyExample({ git: false });
});

afterAll(async () => {
  await shipshape('local', 'stop');
  app.cleanup();
});

it('starts detached, reports status, and stops, as a user runs it', async () => {
  const start = await shipshape(
    'local',
    'start',
    '--port',
    '0',
    '--control-port',
    '0',
    '--analytics-lag',
    '60s',
  );
  expect(start.stderr).toBe('');
  expect(start.code).toBe(0);
  expect(start.stdout).toMatch(/data plane\s+http:\/\/127\.0\.0\.1:\d+/);
  expect(start.stdout).toMatch(
    /Cloudflare API\s+http:\/\/127\.0\.0\.1:\d+\/client\/v4 \(account [0-9a-f]{32}\)/,
  );

  const again = await shipshape('local', 'start', '--json');
  expect(JSON.parse(again.stdout)).toMatchObject({ type: 'local-start', alreadyRunning: true });

  const status = await shipshape('local', 'status', '--json');
  expect(status.code).toBe(0);
  const report = JSON.parse(status.stdout);
  expect(report).toMatchObject({
    type: 'local-status',
    running: true,
    versions: [],
    deployment: { split: [] },
  });
  const health = await fetch(report.url);
  expect(health.status).toBe(503);
  // The flag reached the API stand-in the daemon serves, and the token the user is shown opens it.
  const token = readFileSync(join(app.dir, '.shipshape', 'local', 'token'), 'utf8').trim();
  const lag = await fetch(`${report.cloudflareApi.baseUrl}/_local/imperfections`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(((await lag.json()) as { result: { analyticsLagMs: number } }).result.analyticsLagMs).toBe(60_000);

  const text = await shipshape('local', 'status');
  expect(text.stdout).toMatch(/running \(pid \d+, up/);

  const stop = await shipshape('local', 'stop');
  expect(stop.code).toBe(0);
  expect(stop.stdout).toMatch(/Stopped the local platform/);
  const after = await shipshape('local', 'status', '--json');
  expect(JSON.parse(after.stdout)).toMatchObject({ running: false });
}, 120_000);

it('names the port in use and how to choose another', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    const res = await shipshape('local', 'start', '--port', String(port), '--control-port', '0');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`Port ${port} (data plane) is already in use`);
    expect(res.stderr).toContain('--port');
  } finally {
    blocker.close();
  }
}, 60_000);

it('refuses a corrupt state file with its path and a hint, and does not reset it', async () => {
  const paths = statePaths(app.dir);
  writeFileSync(paths.deployment, '{"split": [oops');
  const res = await shipshape('local', 'start', '--port', '0', '--control-port', '0');
  expect(res.code).toBe(2);
  expect(res.stderr).toContain(paths.deployment);
  expect(res.stderr).toMatch(/delete \.shipshape\/local\/ yourself/);
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(paths.deployment, 'utf8')).toBe('{"split": [oops');
}, 60_000);
