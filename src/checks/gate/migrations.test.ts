import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../check.ts';
import { type TempProject, tempProject } from '../shared/temp-repo.ts';
import { testConfig } from '../shared/test-config.ts';
import { testGateContext } from '../shared/test-context.ts';
import { migrationsCheck } from './migrations.ts';

let project: TempProject | null = null;
afterEach(() => {
  project?.cleanup();
  project = null;
});

async function run(files: Record<string, string>): Promise<CheckResult> {
  project = tempProject(files);
  const d1 = [
    {
      binding: 'DB',
      databaseName: 'db',
      databaseId: 'id',
      migrationsDir: `${project.dir}/migrations`,
      migrationsTable: 'd1_migrations',
    },
  ];
  const config = testConfig(project.dir, {}, { d1 });
  const out = await migrationsCheck.run(testGateContext(project.dir, { config }));
  return Array.isArray(out) ? out[0] : out;
}

const CREATE = 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, old TEXT);\n';

describe('migrations gate check', () => {
  it('passes files in sequence that keep the serving version working', async () => {
    const r = await run({
      'migrations/0001_create.sql': CREATE,
      'migrations/0002_tags.sql': "ALTER TABLE items ADD COLUMN tags TEXT NOT NULL DEFAULT '';\n",
    });
    expect(r.status).toBe('pass');
  });

  it('blocks a DROP COLUMN with the expand/contract hint', async () => {
    const r = await run({
      'migrations/0001_create.sql': CREATE,
      'migrations/0002_drop.sql': 'ALTER TABLE items DROP COLUMN old;\n',
    });
    expect(r.status).toBe('fail');
    expect(r.message).toContain('0002_drop.sql:1 drop-column');
    expect(r.hint).toMatch(/stop reading|contract|later release/i);
  });

  it('blocks a gap in the numbering', async () => {
    const r = await run({
      'migrations/0001_create.sql': CREATE,
      'migrations/0003_late.sql': 'CREATE INDEX i ON items (name);\n',
    });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/0003_late.sql: gap/i);
  });

  it('only reports an acknowledged finding', async () => {
    const r = await run({
      'migrations/0001_create.sql': CREATE,
      'migrations/0002_drop.sql':
        '-- shipshape-allow drop-column: nothing has read it since v12\nALTER TABLE items DROP COLUMN old;\n',
    });
    expect(r.status).toBe('pass');
    expect(r.message).toContain('1 acknowledged');
  });
});
