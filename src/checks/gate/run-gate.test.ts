import { afterEach, describe, expect, it } from 'vitest';
import type { GateCheck } from '../check.ts';
import { type TempProject, tempProject } from '../shared/temp-repo.ts';
import { testConfig } from '../shared/test-config.ts';
import { testGateContext } from '../shared/test-context.ts';
import { gateChecks, runGateChecks } from './run-gate.ts';

let project: TempProject | null = null;
afterEach(() => {
  project?.cleanup();
  project = null;
});

describe('gateChecks', () => {
  it('follows the config switches', () => {
    const names = (input: Parameters<typeof testConfig>[1]) =>
      gateChecks(testConfig('/tmp', input)).map((c) => c.name);
    expect(names({})).toEqual([
      'deploy window',
      'git branch',
      'clean tree',
      'env',
      'wrangler',
      'bindings',
      'migrations',
      'console.log',
    ]);
    expect(
      names({
        gates: {
          branch: false,
          cleanTree: false,
          consoleLog: { enabled: false },
          checks: [{ name: 'lint', command: 'true' }],
        },
      }),
    ).toEqual(['deploy window', 'env', 'wrangler', 'bindings', 'migrations', 'lint']);
    expect(
      names({
        target: 'cloudflare',
        gates: { promotedIn: 'staging', branch: false, cleanTree: false, consoleLog: { enabled: false } },
      }),
    ).toEqual([
      'deploy window',
      'platform incidents',
      'promotion',
      'env',
      'wrangler',
      'bindings',
      'migrations',
    ]);
  });
});

describe('runGateChecks', () => {
  it('reports every failure, not just the first, with a hint each', async () => {
    project = tempProject({
      'src/index.ts': 'console.log("x")\n',
      'migrations/0001_a.sql': '',
      'migrations/0003_c.sql': '',
    });
    const config = testConfig(
      project.dir,
      {
        gates: {
          env: { required: ['API_KEY'] },
          checks: [
            { name: 'tests', command: 'echo ok' },
            { name: 'lint', command: 'echo "2 problems"; exit 1' },
          ],
        },
      },
      {
        d1: [
          {
            binding: 'DB',
            databaseName: 'db',
            databaseId: 'id',
            migrationsDir: `${project.dir}/migrations`,
            migrationsTable: 't',
          },
        ],
      },
    );
    const seen: string[] = [];
    const friday = new Date('2026-03-06T12:00:00Z');
    const results = await runGateChecks(testGateContext(project.dir, { config, now: friday }), {
      onResult: (r) => seen.push(r.name),
    });
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(results.map((r) => r.name)).toEqual([
      'deploy window',
      'git branch',
      'clean tree',
      'env: required',
      'wrangler',
      'bindings',
      'migrations',
      'console.log',
      'tests',
      'lint',
    ]);
    expect(seen.sort()).toEqual(results.map((r) => r.name).sort());
    const failed = results.filter((r) => r.status === 'fail').map((r) => r.name);
    expect(failed).toEqual([
      'deploy window',
      'git branch',
      'clean tree',
      'env: required',
      'migrations',
      'console.log',
      'lint',
    ]);
    for (const r of results.filter((x) => x.status === 'fail')) {
      expect(r.hint, r.name).toBeTruthy();
      expect(r.critical).toBe(true);
      expect(r.score).toBe(0);
    }
    expect(byName.tests.status).toBe('pass');
    expect(results.every((r) => typeof r.durationMs === 'number')).toBe(true);
  });

  it('runs checks in parallel and turns a throwing check into a failure', async () => {
    project = tempProject();
    const order: string[] = [];
    const slow: GateCheck = {
      name: 'slow',
      run: async () => {
        await new Promise((r) => setTimeout(r, 100));
        order.push('slow');
        return { name: 'slow', status: 'pass', score: 5, message: 'ok', evidence: {} };
      },
    };
    const quick: GateCheck = {
      name: 'quick',
      run: async () => {
        order.push('quick');
        throw new Error('boom');
      },
    };
    const results = await runGateChecks(testGateContext(project.dir), { checks: [slow, quick] });
    expect(order).toEqual(['quick', 'slow']);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['slow', 'pass'],
      ['quick', 'fail'],
    ]);
    expect(results[1].message).toContain('boom');
  });
});
