import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../check.ts';
import { type TempProject, tempProject } from '../shared/temp-repo.ts';
import { testConfig } from '../shared/test-config.ts';
import { testGateContext } from '../shared/test-context.ts';
import { migrationFiles, migrationNumberingCheck, numberingProblems } from './migration-numbering.ts';

let project: TempProject | null = null;
afterEach(() => {
  project?.cleanup();
  project = null;
});

describe('numberingProblems', () => {
  it('accepts a sequence and reports gaps, duplicates and unnumbered files', () => {
    expect(numberingProblems(['0001_a.sql', '0002_b.sql', '0003_c.sql'])).toEqual([]);
    expect(numberingProblems(['0005_late_start.sql', '0006_b.sql'])).toEqual([]);
    expect(numberingProblems(['0001_a.sql', '0003_c.sql'])).toEqual([
      'gap: nothing numbered 2 between 0001_a.sql and 0003_c.sql',
    ]);
    expect(numberingProblems(['0001_a.sql', '0005_e.sql'])[0]).toContain('2-4');
    expect(numberingProblems(['0001_a.sql', '0002_b.sql', '0002_c.sql'])).toEqual([
      'number 2 is used by 0002_b.sql and 0002_c.sql',
    ]);
    expect(numberingProblems(['init.sql', '0001_a.sql'])[0]).toContain('init.sql has no leading number');
  });
});

describe('migrationNumberingCheck', () => {
  const d1 = (dir: string, binding = 'DB') => ({
    binding,
    databaseName: 'db',
    databaseId: 'id',
    migrationsDir: dir,
    migrationsTable: 'd1_migrations',
  });

  async function run(bindings: ReturnType<typeof d1>[]) {
    const config = testConfig(project!.dir, {}, { d1: bindings });
    return [
      await migrationNumberingCheck.run(testGateContext(project!.dir, { config })),
    ].flat() as CheckResult[];
  }

  it('ignores down files and the rollback folder', async () => {
    project = tempProject({
      'migrations/0001_a.sql': '',
      'migrations/0001_a.down.sql': '',
      'migrations/0002_b.sql': '',
      'migrations/rollback/0009_x.sql': '',
      'migrations/README.md': '',
    });
    expect(migrationFiles(join(project.dir, 'migrations'))).toEqual(['0001_a.sql', '0002_b.sql']);
    const [r] = await run([d1(join(project.dir, 'migrations'))]);
    expect(r.status).toBe('pass');
    expect(r.name).toBe('migrations numbering (DB)');
  });

  it('fails per binding with every problem, checks a shared folder once', async () => {
    project = tempProject({
      'm1/0001_a.sql': '',
      'm1/0003_c.sql': '',
      'm2/0001_a.sql': '',
      'm2/0001_b.sql': '',
    });
    const results = await run([
      d1(join(project.dir, 'm1')),
      d1(join(project.dir, 'm1'), 'DB2'),
      d1(join(project.dir, 'm2'), 'AUDIT'),
    ]);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['migrations numbering (DB)', 'fail'],
      ['migrations numbering (AUDIT)', 'fail'],
    ]);
    expect(results[0].message).toContain('m1: gap');
    expect(results[1].message).toContain('number 1 is used by');
  });

  it('passes with no D1 database or no folder yet', async () => {
    project = tempProject();
    expect((await run([]))[0].status).toBe('pass');
    expect((await run([d1(join(project.dir, 'migrations'))]))[0].status).toBe('pass');
  });
});
