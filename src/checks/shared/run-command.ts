import { spawn } from 'node:child_process';

/** Output kept per command; the tail is what matters on failure, so the head is dropped past this. */
const MAX_OUTPUT = 1024 * 1024;
/** Time a process group gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2000;

export interface CommandOutcome {
  /** Exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** stdout and stderr interleaved as they arrived (head dropped past 1 MiB). */
  output: string;
  truncated: boolean;
  durationMs: number;
  /** Set when the shell could not be started at all. */
  spawnError?: string;
}

export interface RunCommandOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Runs `command` with `/bin/sh -c` in its own process group, so a timeout or an abort ends the whole tree
 * (a test runner's workers included), not only the shell.
 * @example const r = await runCommand('npm test', { cwd, env: process.env, timeoutMs: 600_000 })
 */
export function runCommand(command: string, options: RunCommandOptions): Promise<CommandOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let output = '';
    let truncated = false;
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > MAX_OUTPUT) {
        output = output.slice(output.length - MAX_OUTPUT);
        truncated = true;
      }
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);

    const killGroup = () => {
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killGroup();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    let done = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // The shell is gone; whatever it left behind in its group goes too.
      signalGroup(child.pid, 'SIGKILL');
      if (killTimer) clearTimeout(killTimer);
      const durationMs = Math.round(performance.now() - started);
      resolve({ exitCode, signal, timedOut, aborted, output, truncated, durationMs, spawnError });
    };
    child.on('error', (err) => finish(null, null, err.message));
    // A background child holding the pipes open would keep 'close' from firing until the timeout.
    child.on('exit', () => signalGroup(child.pid, 'SIGKILL'));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
