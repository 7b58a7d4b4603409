import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chooseWrangler } from '../../toolchain/wrangler.ts';
import { isAlive } from './daemon-info.ts';
import type { StatePaths } from './paths.ts';

/** Set in each runtime's environment to `<daemon pid>:<state folder>` of the daemon that started it. */
const MARKER = 'SHIPSHAPE_RUNTIME_OF';

/**
 * Makes every workerd this daemon starts die with it, and findable if it does not.
 *
 * Miniflare spawns workerd as a plain child: a `kill -9` of the daemon used to leave it running (ppid 1),
 * holding the ports and the SQLite files. Miniflare runs `MINIFLARE_WORKERD_PATH` instead of its own workerd
 * when set, so the daemon points it at a small launcher that records the runtime's pid in `runtime.pids`, tags
 * its environment with this world's state folder, and on Linux execs workerd under `setpriv --pdeathsig KILL`:
 * the kernel then kills workerd the moment its daemon dies, however it dies. Pids are the same after `exec`.
 * One daemon per process: the setting is process-wide. Returns a function that puts the previous setting back
 * (a daemon run inside a test process must not leave its launcher behind).
 */
export function installRuntimeLauncher(paths: StatePaths, projectDir: string): () => void {
  // Windows has no sh to run the launcher; its runtimes are not bound to the daemon.
  if (process.platform === 'win32') return () => {};
  const previous = process.env.MINIFLARE_WORKERD_PATH;
  let workerd: string;
  try {
    workerd = previous && !previous.endsWith('workerd-launcher.sh') ? previous : workerdOf(projectDir);
  } catch {
    // No usable wrangler: the platform's own start reports that with its code and hint.
    return () => {};
  }
  const setpriv = pdeathsigCommand();
  const script = [
    '#!/bin/sh',
    '# Written by the shipshape daemon at each start: records the pid, then runs workerd bound to the daemon.',
    `echo "$$" >> ${quote(paths.runtimePids)}`,
    `export ${MARKER}=${quote(`${process.pid}:${paths.root}`)}`,
    `exec ${setpriv ? `${quote(setpriv)} --pdeathsig KILL -- ` : ''}${quote(workerd)} "$@"`,
    '',
  ].join('\n');
  writeFileSync(paths.runtimeLauncher, script, { mode: 0o700 });
  chmodSync(paths.runtimeLauncher, 0o700);
  process.env.MINIFLARE_WORKERD_PATH = paths.runtimeLauncher;
  return () => {
    if (previous === undefined) delete process.env.MINIFLARE_WORKERD_PATH;
    else process.env.MINIFLARE_WORKERD_PATH = previous;
  };
}

/**
 * Ends every runtime a dead daemon of this world left running: each pid recorded in `runtime.pids` whose
 * process is alive, carries this world's marker and names a daemon that is gone. A pid reused by another
 * process, or the runtime of a daemon still running, is left alone; no process is ever matched by name.
 * Called before a daemon starts its own runtime, and by `local stop`. Returns the pids ended.
 */
export function reapRuntimes(paths: StatePaths): number[] {
  if (!existsSync(paths.runtimePids)) return [];
  const pids = [
    ...new Set(readFileSync(paths.runtimePids, 'utf8').split('\n').filter(Boolean).map(Number)),
  ].filter((pid) => Number.isInteger(pid) && pid > 1 && pid !== process.pid);
  const ended: number[] = [];
  const kept: number[] = [];
  for (const pid of pids) {
    const daemon = isAlive(pid) ? daemonOf(pid, paths.root) : null;
    if (daemon === null) continue;
    if (isAlive(daemon)) {
      kept.push(pid);
      continue;
    }
    try {
      process.kill(pid, 'SIGKILL');
      ended.push(pid);
    } catch {
      // It ended on its own meanwhile.
    }
  }
  if (kept.length) writeFileSync(paths.runtimePids, `${kept.join('\n')}\n`, { mode: 0o600 });
  else rmSync(paths.runtimePids, { force: true });
  return ended;
}

/** The pid of the daemon that started runtime `pid` for the world at `root`, or null when `pid` is not one. */
function daemonOf(pid: number, root: string): number | null {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1').replace(/\0/g, '\n');
  } catch {
    // No /proc (macOS): `ps -E` shows the environment after the command.
    const ps = spawnSync('ps', ['-E', '-ww', '-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    environ = ps.status === 0 ? ps.stdout.replace(/ /g, '\n') : '';
  }
  const line = environ.split('\n').find((l) => l.startsWith(`${MARKER}=`) && l.endsWith(`:${root}`));
  const daemon = line ? Number(line.slice(MARKER.length + 1, line.indexOf(':'))) : Number.NaN;
  return Number.isInteger(daemon) ? daemon : null;
}

/** The workerd binary of the Miniflare that the project's wrangler brings. */
function workerdOf(projectDir: string): string {
  const install = chooseWrangler(projectDir).use;
  if (!install) throw new Error(`no usable wrangler for ${projectDir}`);
  // The real folder: an app's node_modules/wrangler may be a link into another tree (workspaces, npm link).
  const miniflare = createRequire(join(realpathSync(install.dir), 'package.json')).resolve('miniflare');
  return createRequire(miniflare)('workerd').default as string;
}

/** This machine's `setpriv` when it knows `--pdeathsig` (util-linux 2.33+); elsewhere the reaper covers. */
function pdeathsigCommand(): string | null {
  if (process.platform !== 'linux') return null;
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/bin', '/bin')) {
    const candidate = join(dir || '.', 'setpriv');
    if (!existsSync(candidate)) continue;
    const ok = spawnSync(candidate, ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0;
    return ok ? candidate : null;
  }
  return null;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
