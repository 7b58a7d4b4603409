import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { deepMerge } from '../../src/config/merge.ts';
import { type RunningDaemon, runDaemon } from '../../src/targets/local/daemon.ts';
import { readDaemonInfo, readToken } from '../../src/targets/local/daemon-info.ts';
import { statePaths } from '../../src/targets/local/paths.ts';
import { FAST_CONFIG } from '../support/app.ts';
import { copyExample, type ExampleCopy } from '../support/example.ts';
import { runCli } from '../support/run-cli.ts';

// Bad input of every kind, each refused with a stable code, exit status, a hint, no stack trace, and no trace
// left: nothing written under .shipshape/, nothing uploaded, no data changed.

interface CliCase {
  name: string;
  argv: string[];
  /** Merged over the test config (FAST_CONFIG); `raw` replaces the config file's text instead. */
  config?: Record<string, unknown>;
  raw?: string;
  /** Files written in the project for the case, removed after it (path → text; null deletes). */
  files?: Record<string, string | null>;
  code: string;
  exit: number;
  /** A fragment of the message: the key path or argument named. */
  says?: string;
}

const config = (name: string, patch: Record<string, unknown>, says: string, argv = ['config']): CliCase => ({
  name: `config: ${name}`,
  argv,
  config: patch,
  code: 'CONFIG_INVALID',
  exit: 2,
  says,
});
const migration = (file: string): CliCase => ({
  name: `SQL file name: ${file}`,
  argv: ['config'],
  files: { [`migrations/${file}`]: 'SELECT 1;\n' },
  code: 'CONFIG_INVALID',
  exit: 2,
  says: file,
});
const usage = (argv: string[], says: string, code = 'USAGE_BAD_ARGS'): CliCase => ({
  name: `CLI: ${argv.join(' ')}`,
  argv,
  code,
  exit: 2,
  says,
});
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const CLI_CASES: CliCase[] = [
  config('unsorted steps', { rollout: { steps: [50, 10, 100] } }, 'rollout.steps[1]'),
  config(
    'unsorted steps, found by deploy before anything moves',
    { rollout: { steps: [50, 10, 100] } },
    'rollout.steps[1]',
    ['deploy'],
  ),
  config('duplicate steps', { rollout: { steps: [10, 10, 100] } }, 'rollout.steps[1]'),
  config('steps short of 100', { rollout: { steps: [10, 50] } }, 'the last step must be 100'),
  config('a 0% step', { rollout: { steps: [0, 100] } }, 'rollout.steps[0]'),
  config('a step above 100', { rollout: { steps: [10, 150] } }, 'rollout.steps[1]'),
  config('no steps', { rollout: { steps: [] } }, 'rollout.steps'),
  config('steps as a string', { rollout: { steps: '10,50,100' } }, 'rollout.steps'),
  config(
    'a step bake that is not a duration',
    { rollout: { steps: [{ percent: 50, bake: 'soon' }, 100] } },
    'rollout.steps[0].bake',
  ),
  config('a zero interval', { rollout: { interval: '0s' } }, 'rollout.interval'),
  config('an interval as a number', { rollout: { interval: 5 } }, 'rollout.interval'),
  config('a bake of "forever"', { rollout: { bake: 'forever' } }, 'rollout.bake'),
  config('a zero monitor interval', { monitor: { interval: '0ms' } }, 'monitor.interval'),
  config('warn above pass', { score: { pass: 50, warn: 70 } }, 'score.warn'),
  config('a pass score above 100', { score: { pass: 120 } }, 'score.pass'),
  config('a negative warn score', { score: { warn: -1 } }, 'score.warn'),
  config(
    'a freeze ending before it starts',
    { gates: { window: { freeze: [{ from: '2026-12-24', to: '2026-12-20' }] } } },
    'freeze[0].to',
  ),
  config(
    'a freeze on a date that does not exist',
    { gates: { window: { freeze: [{ from: '2026-02-30', to: '2026-03-02' }] } } },
    'freeze[0].from',
  ),
  config(
    'a freeze date in another format',
    { gates: { window: { freeze: [{ from: '24/12/2026', to: '2026-12-26' }] } } },
    'freeze[0].from',
  ),
  config(
    'an empty hour window',
    { gates: { window: { allowedHours: { from: '09:00', to: '09:00' } } } },
    'allowedHours',
  ),
  config(
    'an hour that does not exist',
    { gates: { window: { allowedHours: { from: '25:00', to: '26:00' } } } },
    'allowedHours.from',
  ),
  config('an unknown time zone', { gates: { window: { timeZone: 'Mars/Olympus_Mons' } } }, 'timeZone'),
  config('a day name spelled out', { gates: { window: { deniedDays: ['friday'] } } }, 'deniedDays[0]'),
  config('every day denied', { gates: { window: { deniedDays: DAYS } } }, 'every day is denied'),
  config(
    'a remote traffic url without allowRemote',
    { rollout: { traffic: { url: 'https://example.com' } } },
    'rollout.traffic.url',
  ),
  config(
    'a remote traffic url, found by deploy',
    { rollout: { traffic: { url: 'https://example.com' } } },
    'allowRemote',
    ['deploy'],
  ),
  config(
    'a traffic url that is not a URL',
    { rollout: { traffic: { url: 'localhost 8787' } } },
    'rollout.traffic.url',
  ),
  config('a negative request rate', { rollout: { traffic: { rps: -5 } } }, 'rollout.traffic.rps'),
  config('alpha above one half', { analysis: { alpha: 0.9 } }, 'analysis.alpha'),
  config(
    'p95 levels out of order',
    { analysis: { p95: { critical: '1s', high: '2s', medium: '500ms' } } },
    'analysis.p95.high',
  ),
  config(
    'error-rate levels out of order',
    { analysis: { errorRate: { critical: 0.05, high: 0.02, medium: 0.03 } } },
    'analysis.errorRate.medium',
  ),
  config('a misspelt top-level key', { rolout: { bake: '1m' } }, 'did you mean "rollout"'),
  config('a misspelt nested key', { rollout: { bakes: '1m' } }, 'rollout.bakes'),
  config('an unknown target', { target: 'aws' }, 'target'),
  config(
    'a health path without "/"',
    { health: { checks: [{ name: 'h', path: 'health' }] } },
    'health.checks[0].path',
  ),
  config(
    'a health status of 700',
    { health: { checks: [{ name: 'h', path: '/health', status: 700 }] } },
    'health.checks[0].status',
  ),
  config(
    'a zero health timeout',
    { health: { checks: [{ name: 'h', path: '/health', timeout: '0s' }] } },
    'health.checks[0].timeout',
  ),
  config('a check without a command', { gates: { checks: [{ name: 'tests' }] } }, 'gates.checks[0].command'),
  config(
    'a zero check timeout',
    { gates: { checks: [{ name: 't', command: 'true', timeout: '0s' }] } },
    'gates.checks[0].timeout',
  ),
  config(
    'a rollback webhook that is not a URL',
    { rollback: { hooks: [{ webhook: 'hooks.example' }] } },
    'rollback.hooks[0]',
  ),
  config(
    'a notify webhook that is not a URL',
    { notify: { webhooks: [{ url: 'nope' }] } },
    'notify.webhooks[0].url',
  ),
  config(
    'a lower-case flag name',
    { flags: { definitions: { new_ui: { type: 'boolean', default: false } } } },
    'UPPER_SNAKE_CASE',
  ),
  config(
    'a flag default of the wrong type',
    { flags: { definitions: { NEW_UI: { type: 'boolean', default: 'yes' } } } },
    'flags.definitions.NEW_UI.default',
  ),
  config('a port above 65535', { local: { port: 70000 } }, 'local.port'),
  config('zero release attempts', { release: { retries: { attempts: 0 } } }, 'release.retries.attempts'),
  config('zero e2e samples', { e2e: { samples: 0 } }, 'e2e.samples'),
  config(
    'an environment layer with warn above pass',
    { environments: { production: { score: { pass: 50, warn: 55 } } } },
    'environments.production.score.warn',
  ),
  config(
    'an environment layer with an unknown key',
    { environments: { production: { rolout: {} } } },
    'environments.production.rolout',
  ),
  config(
    'a check cwd that does not exist',
    { gates: { checks: [{ name: 't', command: 'true', cwd: 'no-such-dir' }] } },
    'gates.checks[0].cwd',
  ),
  config(
    'a rollback flag that is not defined',
    { rollback: { flags: { NEW_CHECKOUT: false } } },
    'rollback.flags.NEW_CHECKOUT',
  ),
  config(
    'an emergency flag value of the wrong type',
    {
      flags: { definitions: { BANNER: { type: 'boolean', default: true } }, emergency: { BANNER: 'off' } },
    },
    'flags.emergency.BANNER',
  ),
  {
    name: 'config: a top level that is a list',
    argv: ['config'],
    raw: '[1, 2]',
    code: 'CONFIG_INVALID',
    exit: 2,
    says: 'top level',
  },
  {
    name: 'config: a JSON syntax error',
    argv: ['config'],
    raw: '{ "rollout": { "bake": "1m", } ',
    code: 'CONFIG_SYNTAX',
    exit: 2,
  },
  {
    name: 'config: a migrations_dir that does not exist',
    argv: ['config'],
    files: { 'wrangler.jsonc': 'EDIT:"migrations_dir": "migrations"=>"migrations_dir": "db/migrations"' },
    code: 'CONFIG_INVALID',
    exit: 2,
    says: 'migrations_dir',
  },
  migration('3_bad.sql'),
  migration('0003_add tags.sql'),
  migration('0003-add-tags.sql'),
  migration('V3__add_tags.sql'),
  migration('0003_.sql'),
  migration('add_tags.sql'),
  usage(['deplyo'], 'deplyo', 'USAGE_UNKNOWN_COMMAND'),
  usage(['deploy', '--dryrun'], '--dry-run'),
  usage(['deploy', '--monitor', 'soon'], '--monitor'),
  usage(['deploy', '--force-window'], '--reason'),
  usage(['status', 'extra'], 'extra'),
  usage(['rollback', 'a', 'b'], 'unexpected argument'),
  usage(['migrations', 'new'], 'missing argument'),
  usage(['local', 'frobnicate'], 'frobnicate', 'USAGE_UNKNOWN_COMMAND'),
  {
    name: 'CLI: deploy --env nosuch',
    argv: ['deploy', '--env', 'nosuch'],
    code: 'CONFIG_ENV_UNKNOWN',
    exit: 2,
    says: 'nosuch',
  },
  {
    name: 'CLI: emergency stop without --reason',
    argv: ['emergency', 'stop'],
    code: 'FLAG_REASON_REQUIRED',
    exit: 2,
  },
  {
    name: 'CLI: report of a release that does not exist',
    argv: ['report', 'r-nosuch'],
    code: 'RELEASE_UNKNOWN',
    exit: 2,
    says: 'r-nosuch',
  },
  {
    name: 'CLI: migrations new with a bad name',
    argv: ['migrations', 'new', 'add tags!'],
    code: 'MIGRATIONS_BAD_NAME',
    exit: 2,
  },
  {
    name: 'CLI: --cwd of a folder without a project',
    argv: ['config', '--cwd', '/'],
    code: 'CONFIG_NOT_FOUND',
    exit: 2,
  },
];

const STACK = /\n\s+at .+[:(]\d+:\d+/;
let app: ExampleCopy;

/** Every file under .shipshape/ with its size and mtime: the state a refused input must leave as it was. */
function stateSnapshot(dir: string): string[] {
  const root = join(dir, '.shipshape');
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${relative(root, p)} ${statSync(p).size} ${statSync(p).mtimeMs}`);
    }
  };
  walk(root);
  return out.sort();
}

/** Writes a case's files (`EDIT:old=>new` replaces text in the file); returns the undo. */
function writeFiles(files: Record<string, string | null>): () => void {
  const undo: (() => void)[] = [];
  for (const [path, text] of Object.entries(files)) {
    const full = join(app.dir, path);
    const before = existsSync(full) ? readFileSync(full, 'utf8') : null;
    undo.push(() => (before === null ? rmSync(full, { force: true }) : writeFileSync(full, before)));
    if (text === null) rmSync(full, { force: true });
    else if (text.startsWith('EDIT:')) {
      const [old, replacement] = text.slice(5).split('=>');
      writeFileSync(full, (before ?? '').replace(old, replacement));
    } else writeFileSync(full, text);
  }
  return () => {
    for (const u of undo.reverse()) u();
  };
}

beforeAll(() => {
  app = copyExample({ git: true, config: FAST_CONFIG });
});

afterAll(() => {
  app?.cleanup();
});

describe(`bad input: ${CLI_CASES.length} CLI, config and file-name cases`, () => {
  it.each(CLI_CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const configFile = join(app.dir, 'shipshape.config.json');
    const files: Record<string, string | null> = { ...c.files };
    if (c.raw !== undefined) files['shipshape.config.json'] = c.raw;
    else if (c.config)
      files['shipshape.config.json'] = JSON.stringify(deepMerge(FAST_CONFIG, c.config), null, 2);
    const undo = writeFiles(files);
    const before = stateSnapshot(app.dir);
    try {
      const argv = c.argv.includes('--cwd') ? c.argv : [...c.argv, '--cwd', app.dir];
      const plain = await runCli(argv, { cwd: app.dir });
      expect(plain.code, plain.stderr).toBe(c.exit);
      expect(plain.stderr).toMatch(new RegExp(`^error ${c.code}: `));
      expect(plain.stderr).toMatch(/\n {2}hint: \S.{10,}/);
      if (c.says) expect(plain.stderr).toContain(c.says);
      const json = await runCli([...argv, '--json'], { cwd: app.dir });
      expect(json.code).toBe(c.exit);
      const record = JSON.parse(json.stdout.trim().split('\n').at(-1) ?? '{}');
      expect(record).toMatchObject({ type: 'error', code: c.code });
      expect(record.hint.length).toBeGreaterThan(10);
      for (const text of [plain.stdout, plain.stderr, json.stdout, json.stderr])
        expect(text).not.toMatch(STACK);
      expect(stateSnapshot(app.dir)).toEqual(before);
      expect(existsSync(join(app.dir, '.shipshape', 'releases'))).toBe(false);
    } finally {
      undo();
    }
    expect(existsSync(configFile)).toBe(true);
  });
});

interface ApiCase {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  body?: string;
  status: number;
  code: string;
}

const API_CASES: ApiCase[] = [
  {
    name: 'a body that is not JSON',
    path: '/traffic',
    body: '{"split": [',
    status: 400,
    code: 'LOCAL_BAD_REQUEST',
  },
  { name: 'a JSON list for a body', path: '/kv/put', body: '[1,2]', status: 400, code: 'LOCAL_BAD_REQUEST' },
  {
    name: 'a split that does not add up to 100',
    path: '/traffic',
    body: '{"split":[{"version":"x","percent":50}]}',
    status: 400,
    code: 'LOCAL_BAD_REQUEST',
  },
  {
    name: 'a split naming no version',
    path: '/traffic',
    body: '{"split":"all"}',
    status: 400,
    code: 'LOCAL_BAD_REQUEST',
  },
  {
    name: 'a D1 query without sql',
    path: '/d1/query',
    body: '{"databaseId":"x"}',
    status: 400,
    code: 'LOCAL_BAD_REQUEST',
  },
  {
    name: 'a D1 batch that is not a list',
    path: '/d1/batch',
    body: '{"statements":"DROP TABLE items"}',
    status: 400,
    code: 'LOCAL_BAD_REQUEST',
  },
  {
    name: 'a KV put without a key',
    path: '/kv/put',
    body: '{"value":"v"}',
    status: 400,
    code: 'LOCAL_BAD_REQUEST',
  },
  {
    name: 'a KV put of a number',
    path: '/kv/put',
    body: '{"key":"k","value":5}',
    status: 400,
    code: 'LOCAL_BAD_REQUEST',
  },
  {
    name: 'metrics without a version',
    method: 'GET',
    path: '/metrics',
    status: 400,
    code: 'LOCAL_BAD_REQUEST',
  },
  {
    name: 'a fault with a success status',
    path: '/faults',
    body: '{"upload":{"status":200,"times":1}}',
    status: 400,
    code: 'LOCAL_BAD_REQUEST',
  },
  { name: 'an unknown route', method: 'GET', path: '/admin', status: 404, code: 'LOCAL_BAD_REQUEST' },
  { name: 'a wrong method', method: 'GET', path: '/traffic', status: 405, code: 'LOCAL_BAD_REQUEST' },
  {
    name: 'an upload without an artifact',
    path: '/upload',
    body: '{}',
    status: 400,
    code: 'LOCAL_BAD_REQUEST',
  },
  {
    name: 'an upload of /etc',
    path: '/upload',
    body: JSON.stringify({
      artifact: { worker: 'hello-d1', dir: '/etc', mainModule: 'passwd' },
      settings: { d1: [], kv: [], env: null },
    }),
    status: 403,
    code: 'LOCAL_PATH_NOT_ALLOWED',
  },
  {
    name: 'a body over the size limit',
    path: '/kv/put',
    body: `{"key":"k","value":"${'x'.repeat(5 * 1024 * 1024)}"}`,
    status: 413,
    code: 'LOCAL_BODY_TOO_LARGE',
  },
];

describe(`bad input: ${API_CASES.length} control API bodies`, () => {
  let apiApp: ExampleCopy;
  let daemon: RunningDaemon | undefined;
  let kvNamespace: string;
  const call = async (method: string, path: string, body?: string) => {
    const paths = statePaths(apiApp.dir);
    const res = await fetch(new URL(path, readDaemonInfo(paths)?.controlUrl), {
      method,
      headers: { authorization: `Bearer ${readToken(paths)}`, 'content-type': 'application/json' },
      body,
    });
    return { status: res.status, text: await res.text() };
  };
  /** What a refused request must not change: versions, the split, and the KV namespace. */
  const platformState = async () => {
    const kvId = JSON.stringify({ namespaceId: kvNamespace });
    return [
      (await call('GET', '/versions')).text,
      (await call('GET', '/deployment')).text,
      (await call('POST', '/kv/list', kvId)).text,
    ];
  };

  beforeAll(async () => {
    apiApp = copyExample({ git: false });
    kvNamespace = (await loadConfig({ cwd: apiApp.dir, env: null })).worker.kv[0].id;
    daemon = await runDaemon({ projectDir: apiApp.dir, port: 0, controlPort: 0, output: () => {} });
  }, 120_000);

  afterAll(async () => {
    await daemon?.close();
    apiApp?.cleanup();
  });

  it.each(API_CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const before = await platformState();
    const files = stateSnapshot(apiApp.dir).filter((f) => !f.startsWith('local/daemon.log'));
    const res = await call(c.method ?? 'POST', c.path, c.body);
    expect(res.status, res.text.slice(0, 300)).toBe(c.status);
    const { error } = JSON.parse(res.text);
    expect(error.code).toBe(c.code);
    expect(String(error.hint ?? '').length, res.text.slice(0, 300)).toBeGreaterThan(10);
    expect(res.text).not.toMatch(STACK);
    expect(await platformState()).toEqual(before);
    // Metrics and the log move by themselves; every other file stays as it was.
    const after = stateSnapshot(apiApp.dir).filter((f) => !f.startsWith('local/daemon.log'));
    expect(after.map((f) => f.split(' ')[0])).toEqual(files.map((f) => f.split(' ')[0]));
  });
});

it('has at least 60 cases', () => {
  expect(CLI_CASES.length + API_CASES.length).toBeGreaterThanOrEqual(60);
});
