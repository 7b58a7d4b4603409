import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/demo/copy-example.ts';
import { FAST_CONFIG, finished, prepareApp, type TestApp } from '../support/app.ts';
import { startDashboard } from '../support/dashboard.ts';

// Secrets with quotes, backslashes, `%`, non-ASCII and credentials inside URLs, set in .dev.vars and in the
// environment of real deploys (promoted, rolled back, blocked), and printed by the app's own check in every
// encoding: not one of them may reach any output (the HTML report, the post-mortem draft and what the dashboard
// serves included), file or webhook.

const DEV_VARS = {
  API_TOKEN: 'tok"en\\with%41-quotes-✓-ünï',
  DATABASE_URL: 'postgres://app:pa%24%24w0rd-Ω"x@db.internal:5432/app',
  PLAIN_SETTING: 'it\'s "quoted" \\ and 100% é',
};
const ENV = {
  SHIPSHAPE_SCAN_SECRET_KEY: 'env"sec\\ret%20ü-7781',
  UPSTREAM: 'https://bob:env-p%40ss"w0rd@up.example/x',
};
/** Every secret as it may be spelled: URL credentials by their password, raw and decoded. */
const SECRETS = [
  ...Object.values(DEV_VARS).filter((v) => !v.includes('://')),
  ENV.SHIPSHAPE_SCAN_SECRET_KEY,
  'pa%24%24w0rd-Ω"x',
  'pa$$w0rd-Ω"x',
  'env-p%40ss"w0rd',
  'env-p@ss"w0rd',
];
const forms = (s: string) => [
  s,
  JSON.stringify(s).slice(1, -1),
  encodeURIComponent(s),
  Buffer.from(s).toString('base64'),
  Buffer.from(s).toString('base64url'),
];

// Prints each secret it can see raw, JSON-escaped, URL-encoded, base64 and as a Basic header; LEAK_FAIL fails it.
const LEAK_SCRIPT = `const names = ${JSON.stringify([...Object.keys(DEV_VARS), ...Object.keys(ENV)])};
for (const name of names) {
  const v = process.env[name];
  if (!v) continue;
  console.log(name + '=' + v, JSON.stringify({ [name]: v }), encodeURIComponent(v), Buffer.from(v).toString('base64'));
  const cred = /:\\/\\/([^@/]*)@/.exec(v);
  if (cred) console.log('Authorization: Basic ' + Buffer.from(decodeURIComponent(cred[1])).toString('base64'));
}
if (process.env.LEAK_FAIL) { console.error('failing with ' + process.env.API_TOKEN); process.exit(1); }
`;

let app: TestApp;
let server: Server;
const bodies: string[] = [];
const outputs: { sink: string; text: string }[] = [];
let rolledBackId = '';

function devVarsText(): string {
  const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return Object.entries(DEV_VARS)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join('\n');
}

/** Runs the built CLI as a user would (plain or --json), recording stdout and stderr as sinks. */
function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(PACKAGE_ROOT, 'bin', 'shipshape.js'), ...args, '--cwd', app.dir],
      {
        env: { ...process.env, CI: 'true', ...ENV, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      outputs.push(
        { sink: `stdout of ${args.join(' ')}`, text: out },
        { sink: `stderr of ${args.join(' ')}`, text: err },
      );
      resolve({ code: code ?? -1, stdout: out, stderr: err });
    });
  });
}

/** What `shipshape dashboard` serves, as sinks: the page, the state's JSON, its event stream's first state. */
async function scanDashboard(): Promise<void> {
  const dashboard = await startDashboard(app.dir, ENV);
  try {
    outputs.push({ sink: 'dashboard page', text: await (await dashboard.get('/')).text() });
    outputs.push({ sink: 'dashboard state', text: await (await dashboard.get('/api/state')).text() });
    outputs.push({ sink: 'dashboard event stream', text: await dashboard.firstEvent() });
  } finally {
    expect(await dashboard.stop()).toBe(0);
    outputs.push({ sink: 'dashboard output', text: dashboard.output() });
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : statSync(p).isFile() ? [p] : [];
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      bodies.push(`${req.url} ${data}`);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = prepareApp({
    ...FAST_CONFIG,
    gates: { ...FAST_CONFIG.gates, checks: [{ name: 'leaky check', command: 'node scripts/leak.mjs' }] },
    e2e: { ...FAST_CONFIG.e2e, command: 'node scripts/leak.mjs' },
    notify: { slack: { webhook: `${base}/slack` }, webhooks: [{ url: `${base}/hook`, events: ['*'] }] },
  });
  writeFileSync(join(app.dir, 'scripts', 'leak.mjs'), LEAK_SCRIPT);
  writeFileSync(join(app.dir, '.dev.vars'), `${devVarsText()}\n`);
  execFileSync('git', ['add', '-A'], { cwd: app.dir });
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'leaky check'],
    {
      cwd: app.dir,
    },
  );
}, 60_000);

afterAll(async () => {
  app?.cleanup();
  await new Promise<void>((r) => server?.close(() => r()));
});

describe('secret scan over every sink', () => {
  it('runs releases that see every secret: promoted (plain), rolled back (--json), blocked (--json)', async () => {
    const promoted = await cli(['deploy']);
    expect(promoted.code, promoted.stdout + promoted.stderr).toBe(0);
    const rolledBack = await cli(['deploy', '--json'], { FAULT: 'health' });
    expect(rolledBack.code, rolledBack.stdout.slice(-1500) + rolledBack.stderr).toBe(1);
    const events = rolledBack.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(finished(events)?.outcome).toBe('rolled_back');
    rolledBackId = finished(events)?.release as string;
    expect((await cli(['deploy', '--json'], { LEAK_FAIL: '1' })).code).toBe(3);
    expect((await cli(['check'], { LEAK_FAIL: '1' })).code).toBe(3);
    await cli(['report']);
    await cli(['report', '--json']);
    await cli(['report', '--html']);
    expect((await cli(['report', rolledBackId, '--html'])).code).toBe(0);
    expect((await cli(['report', rolledBackId, '--postmortem'])).code).toBe(0);
    await cli(['history']);
    await cli(['status']);
    await cli(['config', '--json']);
    // Actions carry a person's words: a secret pasted into --reason reaches no journal, notification or output.
    const pasted = `${DEV_VARS.API_TOKEN} ${ENV.SHIPSHAPE_SCAN_SECRET_KEY}`;
    const serving = finished(events)?.baseline as string;
    expect((await cli(['rollback', serving, '--reason', `leaked ${pasted}`])).code).toBe(0);
    expect((await cli(['rollback', serving, '--json', '--reason', pasted])).code).toBe(0);
    expect((await cli(['emergency', 'stop', '--reason', `paged: ${pasted}`])).code).toBe(0);
    expect((await cli(['emergency', 'resume', '--json', '--reason', ENV.UPSTREAM])).code).toBe(0);
    await cli(['history']);
    await scanDashboard();
  }, 300_000);

  it('finds none of them, in any spelling, in stdout, stderr, .shipshape/ files, reports or webhook bodies', () => {
    const sinks = [
      ...outputs,
      ...filesUnder(join(app.dir, '.shipshape')).map((p) => ({
        sink: relative(app.dir, p),
        text: readFileSync(p, 'latin1') + readFileSync(p, 'utf8'),
      })),
      ...bodies.map((text, i) => ({ sink: `webhook body ${i}`, text })),
    ];
    const matches: string[] = [];
    for (const { sink, text } of sinks)
      for (const secret of SECRETS)
        for (const form of forms(secret))
          if (text.includes(form)) matches.push(`${sink}: ${JSON.stringify(form)}`);
    expect(matches).toEqual([]);
    // The scan saw the leaks it was meant to see, hidden.
    const journals = sinks.filter((s) => s.sink.startsWith('.shipshape/releases/'));
    expect(journals.length).toBeGreaterThanOrEqual(3);
    expect(journals.some((j) => j.text.includes('[redacted]'))).toBe(true);
    expect(bodies.length).toBeGreaterThan(5);
    expect(bodies.some((b) => b.includes('[redacted]'))).toBe(true);
    const actions = bodies.filter((b) => b.includes('"type":"action"'));
    expect(actions.map((b) => /"action":"([^"]+)"/.exec(b)?.[1])).toEqual([
      'rollback',
      'rollback',
      'emergency.stop',
      'emergency.resume',
    ]);
    expect(actions.every((b) => b.includes('[redacted]'))).toBe(true);
    expect(outputs.find((o) => o.sink === 'stdout of report')?.text).toContain('[redacted]');
    // The HTML report shows the checks' evidence, where the leaky check's output lands.
    expect(outputs.find((o) => o.sink === `stdout of report ${rolledBackId} --html`)?.text).toContain(
      '[redacted]',
    );
    expect(outputs.find((o) => o.sink === `stdout of report ${rolledBackId} --postmortem`)?.text).toContain(
      '## Detection',
    );
    // The dashboard served the history with the pasted reasons, hidden, and its checks' messages.
    for (const sink of ['dashboard state', 'dashboard event stream'])
      expect(outputs.find((o) => o.sink === sink)?.text).toContain('[redacted]');
    expect(outputs.find((o) => o.sink === 'dashboard page')?.text).toContain('shipshape dashboard');
  });
});
