import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './example.ts';

/** A `shipshape dashboard` of the built CLI, running as a user starts it. */
export interface RunningDashboard {
  child: ChildProcess;
  /** The address it printed, token included. */
  url: URL;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** What it wrote to stdout and stderr so far. */
  output(): string;
  /** The cookie (`name=value`) its first load with the token sets. */
  cookie(): Promise<string>;
  /** GET `path` with that cookie. */
  get(path: string, signal?: AbortSignal): Promise<Response>;
  /** The first state its event stream sends (the `event: state` block). */
  firstEvent(): Promise<string>;
  /** Ctrl-C, then its exit code. */
  stop(): Promise<number>;
}

/** Starts the dashboard for the project in `dir` on a free port and waits for the address it prints. */
export async function startDashboard(
  dir: string,
  env: Record<string, string> = {},
): Promise<RunningDashboard> {
  const child = spawn(
    process.execPath,
    [join(PACKAGE_ROOT, 'bin', 'shipshape.js'), 'dashboard', '--cwd', dir],
    {
      env: { ...process.env, CI: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (c) => (out += c));
  child.stderr?.on('data', (c) => (out += c));
  const closed = new Promise<number>((r) => child.once('close', (c) => r(c ?? -1)));
  const deadline = Date.now() + 60_000;
  while (!/dashboard: (\S+)/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the dashboard did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = new URL(/dashboard: (\S+)/.exec(out)?.[1] as string);
  let jar: string | null = null;
  const cookie = async () => {
    jar ??= ((await fetch(url, { redirect: 'manual' })).headers.get('set-cookie') ?? '').split(';')[0];
    return jar;
  };
  const get = async (path: string, signal?: AbortSignal) =>
    fetch(new URL(path, url.origin), { headers: { cookie: await cookie() }, signal });
  return {
    child,
    url,
    origin: url.origin,
    output: () => out,
    cookie,
    get,
    async firstEvent() {
      const stop = new AbortController();
      const stream = (await get('/events', stop.signal)).body?.getReader();
      let text = '';
      while (stream && !text.includes('\n\n'))
        text += Buffer.from((await stream.read()).value ?? []).toString();
      stop.abort();
      return text;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return closed;
    },
  };
}
