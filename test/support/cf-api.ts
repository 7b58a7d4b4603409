import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.ts';
import { type RunningDaemon, runDaemon } from '../../src/targets/local/daemon.ts';
import { statePaths } from '../../src/targets/local/paths.ts';

/** The fixture worker copied to a temp folder, with its daemon serving the Cloudflare API stand-in. */
export interface CfApiWorld {
  dir: string;
  daemon: RunningDaemon;
  /** `http://127.0.0.1:<control port>/client/v4` */
  base: string;
  token: string;
  accountId: string;
  /** A call to the API with the token; answers the parsed JSON and the status. */
  // biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field in assertions
  api(path: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }>;
  /** Real wrangler (the project's) pointed at the API. */
  wrangler(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** A request to the data plane, optionally pinned to a version. */
  request(path: string, version?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startCfApiWorld(env: Record<string, string> = {}): Promise<CfApiWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-cf-api-'));
  cpSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'cf-api-app'), dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(PACKAGE_ROOT, 'node_modules', 'wrangler'), join(dir, 'node_modules', 'wrangler'), 'dir');
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let daemon: RunningDaemon;
  try {
    // SHIPSHAPE_TEST_DAEMON_LOG=1 shows the workers' own logs and exceptions while a test runs.
    const output = process.env.SHIPSHAPE_TEST_DAEMON_LOG ? (t: string) => process.stderr.write(t) : () => {};
    daemon = await runDaemon({ projectDir: dir, port: 0, controlPort: 0, output });
  } finally {
    process.env = saved;
  }
  const token = readFileSync(statePaths(dir).token, 'utf8').trim();
  const base = `${daemon.info.controlUrl}/client/v4`;
  const api: CfApiWorld['api'] = async (path, init = {}) => {
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // raw answers (KV values) stay text
    }
    return { status: res.status, body, headers: res.headers };
  };
  const accountId = (await api('/accounts')).body.result[0].id as string;
  return {
    dir,
    daemon,
    base,
    token,
    accountId,
    api,
    wrangler: (...args) => runWrangler(dir, args, { base, token, accountId }),
    request: (path, version) =>
      fetch(new URL(path, daemon.info.url), {
        headers: version ? { 'Cloudflare-Workers-Version-Overrides': `cf-api-app="${version}"` } : {},
      }),
    async close() {
      await daemon.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function runWrangler(
  cwd: string,
  args: string[],
  c: { base: string; token: string; accountId: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(PACKAGE_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), ...args],
      {
        cwd,
        env: {
          ...process.env,
          CLOUDFLARE_API_BASE_URL: c.base,
          CLOUDFLARE_API_TOKEN: c.token,
          CLOUDFLARE_ACCOUNT_ID: c.accountId,
          CI: 'true',
          WRANGLER_SEND_METRICS: 'false',
          WRANGLER_LOG_PATH: join(cwd, '.wrangler-logs'),
          NO_COLOR: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
