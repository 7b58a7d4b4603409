import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { loadConfig } from './load.ts';

const WRANGLER = `{
  // comments are fine in JSONC
  "name": "app", "main": "src/index.ts", "compatibility_date": "2025-09-01",
  "d1_databases": [{ "binding": "DB", "database_name": "app-db", "database_id": "id-1" }],
  "kv_namespaces": [{ "binding": "FLAGS", "id": "kv-1" }],
  "env": { "staging": { "vars": { "MODE": "staging" } } },
}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-config-'));
  writeFileSync(join(dir, 'wrangler.jsonc'), WRANGLER);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function problemsOf(config: unknown): Promise<string[]> {
  writeFileSync(join(dir, 'shipshape.config.json'), JSON.stringify(config));
  try {
    await loadConfig({ cwd: dir, env: null });
  } catch (err) {
    expect(err).toBeInstanceOf(ShipshapeError);
    const e = err as ShipshapeError;
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.exitCode).toBe(2);
    return (e.details.problems as { path: string; message: string }[]).map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('config loaded but should not have');
}

// Each case: the config, the key path that must be named, and a fragment of the message.
const INVALID: [string, unknown, string, string][] = [
  ['bad target', { target: 'aws' }, 'target', 'expected one of "local", "cloudflare"; found "aws"'],
  ['unknown top key', { rolout: {} }, 'rolout', 'did you mean "rollout"'],
  ['unknown nested key', { gates: { brnch: 'main' } }, 'gates.brnch', 'did you mean "branch"'],
  [
    'bad weekday',
    { gates: { window: { deniedDays: ['fry'] } } },
    'gates.window.deniedDays[0]',
    'found "fry"',
  ],
  [
    'bad time zone',
    { gates: { window: { timeZone: 'Mars/Base' } } },
    'gates.window.timeZone',
    'IANA time zone',
  ],
  [
    'bad hours',
    { gates: { window: { allowedHours: { from: '9am', to: '17:00' } } } },
    'gates.window.allowedHours.from',
    'HH:MM',
  ],
  [
    'bad freeze date',
    { gates: { window: { freeze: [{ from: '24/12', to: '2026-12-26' }] } } },
    'gates.window.freeze[0].from',
    'YYYY-MM-DD',
  ],
  ['check without command', { gates: { checks: [{ name: 'tests' }] } }, 'gates.checks[0].command', 'missing'],
  [
    'zero attempts',
    { release: { retries: { attempts: 0 } } },
    'release.retries.attempts',
    'expected >= 1; found 0',
  ],
  [
    'bad backoff',
    { release: { retries: { backoff: ['0s', 30] } } },
    'release.retries.backoff[1]',
    'duration',
  ],
  [
    'health path',
    { health: { checks: [{ name: 'h', path: 'health' }] } },
    'health.checks[0].path',
    'starting with "/"',
  ],
  [
    'health status',
    { health: { checks: [{ name: 'h', path: '/h', status: 700 }] } },
    'health.checks[0].status',
    '<= 599',
  ],
  ['step above 100', { rollout: { steps: [10, 150] } }, 'rollout.steps[1]', '<= 100'],
  ['bake not a duration', { rollout: { bake: 'soon' } }, 'rollout.bake', 'found "soon"'],
  ['bare number duration', { monitor: { duration: 900 } }, 'monitor.duration', 'found 900'],
  ['alpha out of range', { analysis: { alpha: 2 } }, 'analysis.alpha', 'found 2'],
  ['score not a percent', { score: { pass: 180 } }, 'score.pass', '<= 100'],
  [
    'flag name case',
    { flags: { definitions: { foo: { type: 'boolean', default: true } } } },
    'flags.definitions.foo',
    'UPPER_SNAKE_CASE',
  ],
  [
    'flag type',
    { flags: { definitions: { FOO: { type: 'bool', default: true } } } },
    'flags.definitions.FOO.type',
    "Expected 'boolean'",
  ],
  [
    'percentage flag',
    { flags: { definitions: { P: { type: 'percentage', default: 120 } } } },
    'flags.definitions.P.default',
    '<= 100',
  ],
  ['onOrphan', { rollback: { onOrphan: 'ignore' } }, 'rollback.onOrphan', '"rollback", "resume"'],
  ['webhook url', { notify: { webhooks: [{ url: 'not a url' }] } }, 'notify.webhooks[0].url', 'URL'],
  [
    'env layer value',
    { environments: { staging: { rollout: { bake: 5 } } } },
    'environments.staging.rollout.bake',
    'found 5',
  ],
  [
    'env layer key',
    { environments: { staging: { scor: {} } } },
    'environments.staging.scor',
    'did you mean "score"',
  ],
];

describe('invalid configs', () => {
  it.each(INVALID)('%s', async (_label, config, path, fragment) => {
    const problems = await problemsOf(config);
    const hit = problems.find((p) => p.startsWith(`${path}: `));
    expect(hit, problems.join('\n')).toBeDefined();
    expect(hit).toContain(fragment);
  });

  it('collects every problem at once', async () => {
    const problems = await problemsOf({ target: 'aws', rollout: { bake: 'soon' }, score: { pass: 180 } });
    expect(problems).toHaveLength(3);
  });
});

describe('loadConfig', () => {
  it('applies defaults, reads the worker from wrangler and resolves durations', async () => {
    writeFileSync(join(dir, 'shipshape.config.json'), '{}');
    const config = await loadConfig({ cwd: dir, env: null });
    expect(config.target).toBe('local');
    expect(config.gates.window.deniedDays).toEqual(['fri']);
    expect(config.release.retries.backoff).toEqual([0, 30_000, 60_000]);
    expect(config.rollout.steps).toEqual([10, 50, 100]);
    expect(config.monitor.duration).toBe(15 * 60_000);
    expect(config.e2e.p95).toBe(500);
    expect(config.worker.name).toBe('app');
    expect(config.worker.d1[0].migrationsDir).toBe(join(dir, 'migrations'));
  });

  it('merges an environment layer over the base', async () => {
    writeFileSync(
      join(dir, 'shipshape.config.json'),
      JSON.stringify({
        rollout: { bake: '1m', steps: [5, 100] },
        environments: { staging: { rollout: { bake: '10s' } } },
      }),
    );
    const config = await loadConfig({ cwd: dir, env: 'staging' });
    expect(config.rollout.bake).toBe(10_000);
    expect(config.rollout.steps).toEqual([5, 100]);
    expect(config.worker.vars).toEqual({ MODE: 'staging' });
    expect(config.environments).toEqual(['staging']);
  });

  it('names unknown environments and suggests the nearest', async () => {
    writeFileSync(join(dir, 'shipshape.config.json'), JSON.stringify({ environments: { staging: {} } }));
    await expect(loadConfig({ cwd: dir, env: 'stagin' })).rejects.toMatchObject({
      code: 'CONFIG_ENV_UNKNOWN',
      hint: expect.stringContaining('Did you mean "staging"'),
    });
  });

  it('reports a TypeScript syntax error with file and line', async () => {
    writeFileSync(
      join(dir, 'shipshape.config.ts'),
      'export default {\n  target: "local",\n  rollout: { steps: [10 50] },\n};\n',
    );
    await expect(loadConfig({ cwd: dir, env: null })).rejects.toMatchObject({
      code: 'CONFIG_SYNTAX',
      message: expect.stringContaining('shipshape.config.ts:3'),
    });
  });

  it('reports a JSON syntax error with file and line', async () => {
    writeFileSync(join(dir, 'shipshape.config.json'), '{\n  "target": "local",\n  "rollout": {,}\n}');
    await expect(loadConfig({ cwd: dir, env: null })).rejects.toMatchObject({
      code: 'CONFIG_SYNTAX',
      message: expect.stringContaining('shipshape.config.json:3'),
    });
  });

  it('asks for init when there is no config', async () => {
    await expect(loadConfig({ cwd: dir, env: null })).rejects.toMatchObject({
      code: 'CONFIG_NOT_FOUND',
      hint: expect.stringContaining('shipshape init'),
    });
  });
});
