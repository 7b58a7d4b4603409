import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDaemonInfo } from '../../src/targets/local/daemon-info.ts';
import { stopDaemon } from '../../src/targets/local/launcher.ts';
import { statePaths } from '../../src/targets/local/paths.ts';
import { reapRuntimes } from '../../src/targets/local/runtime-processes.ts';
import { copyExample, type ExampleCopy } from '../support/example.ts';
import { descendants, running } from '../support/listening-ports.ts';
import { runCli } from '../support/run-cli.ts';

// The Workers runtime dies with its daemon, and a daemon that starts ends what a dead predecessor left.
let app: ExampleCopy;
const strays: number[] = [];

beforeAll(() => {
  app = copyExample({ git: false, config: { local: { port: 0, controlPort: 0 } } });
});
afterAll(async () => {
  await stopDaemon(app.dir);
  for (const pid of strays) if (running(pid)) process.kill(pid, 'SIGKILL');
  app.cleanup();
});

async function start(): Promise<{ daemon: number; runtimes: number[] }> {
  const { code, stderr } = await runCli(['local', 'start'], { cwd: app.dir });
  expect(code, stderr).toBe(0);
  const daemon = readDaemonInfo(statePaths(app.dir))?.pid as number;
  return { daemon, runtimes: descendants(daemon) };
}

async function until(test: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!test() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return test();
}

/** A process that looks like a runtime the daemon of `daemonPid` started for this project (its marker). */
function fakeRuntime(daemonPid: number, root = statePaths(app.dir).root): number {
  const child = spawn('sleep', ['600'], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, SHIPSHAPE_RUNTIME_OF: `${daemonPid}:${root}` },
  });
  child.unref();
  strays.push(child.pid as number);
  return child.pid as number;
}

/** A pid that was alive once and is not any more (a daemon that died). */
function deadPid(): number {
  return spawnSync('true').pid as number;
}

describe('no orphan runtimes', () => {
  it('kill -9 of the daemon takes its workerd down with it', async () => {
    const { daemon, runtimes } = await start();
    expect(runtimes.length).toBeGreaterThan(0);
    process.kill(daemon, 'SIGKILL');
    expect(await until(() => runtimes.every((pid) => !running(pid)), 5000)).toBe(true);
  });

  it('a starting daemon ends the runtimes a dead predecessor left, by recorded pid and marker only', async () => {
    const paths = statePaths(app.dir);
    mkdirSync(paths.root, { recursive: true });
    const left = fakeRuntime(deadPid());
    // Recorded but not ours (no marker): a pid reused by another process stays untouched.
    const unrelated = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
    unrelated.unref();
    strays.push(unrelated.pid as number);
    // Ours by marker but not recorded: never looked up by name or environment alone.
    const unrecorded = fakeRuntime(deadPid());
    appendFileSync(paths.runtimePids, `${left}\n${unrelated.pid}\n`);

    const { daemon } = await start();
    expect(await until(() => !running(left), 5000)).toBe(true);
    expect(running(unrelated.pid as number)).toBe(true);
    expect(running(unrecorded)).toBe(true);
    expect(running(daemon)).toBe(true);
  });

  it('local stop after a kill -9 ends the runtimes a daemon left and the next start serves', async () => {
    const daemon = readDaemonInfo(statePaths(app.dir))?.pid as number;
    const live = fakeRuntime(daemon);
    appendFileSync(statePaths(app.dir).runtimePids, `${live}\n`);
    // While its daemon lives, a runtime is not a leftover: nobody but its daemon ends it.
    expect(reapRuntimes(statePaths(app.dir))).toEqual([]);
    expect(running(live)).toBe(true);
    process.kill(daemon, 'SIGKILL');
    await until(() => !running(daemon), 5000);
    const { code, stdout } = await runCli(['local', 'stop'], { cwd: app.dir });
    expect(code).toBe(0);
    expect(stdout).toContain('was not running');
    expect(await until(() => !running(live), 5000)).toBe(true);
    const again = await start();
    expect(again.runtimes.length).toBeGreaterThan(0);
    const { code: stopCode } = await runCli(['local', 'stop'], { cwd: app.dir });
    expect(stopCode).toBe(0);
    expect(await until(() => again.runtimes.every((pid) => !running(pid)), 5000)).toBe(true);
  });
});
