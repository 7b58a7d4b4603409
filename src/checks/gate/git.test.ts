import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../check.ts';
import { type TempProject, tempProject } from '../shared/temp-repo.ts';
import { testConfig } from '../shared/test-config.ts';
import { testGateContext } from '../shared/test-context.ts';
import { branchCheck, cleanTreeCheck, parsePorcelain } from './git.ts';

let project: TempProject | null = null;
afterEach(() => {
  project?.cleanup();
  project = null;
});

async function run(check: { run: typeof cleanTreeCheck.run }, dir: string, env: Record<string, string> = {}) {
  const out = await check.run(testGateContext(dir, { config: testConfig(dir), env }));
  return [out].flat()[0] as CheckResult;
}

describe('branchCheck', () => {
  it('passes on the expected branch and fails elsewhere with a hint', async () => {
    project = tempProject({ 'a.txt': 'a' }, { git: true });
    expect((await run(branchCheck('main'), project.dir)).status).toBe('pass');
    project.git('switch', '-q', '-c', 'feature/x');
    const r = await run(branchCheck('main'), project.dir);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('feature/x');
    expect(r.hint).toContain('gates.branch');
    expect((await run(branchCheck('feature/*'), project.dir)).status).toBe('pass');
  });

  it('on a detached HEAD uses the CI branch variable, else fails', async () => {
    project = tempProject({ 'a.txt': 'a' }, { git: true });
    project.git('checkout', '-q', '--detach');
    expect((await run(branchCheck('main'), project.dir)).status).toBe('fail');
    const r = await run(branchCheck('main'), project.dir, { GITHUB_REF_NAME: 'main' });
    expect(r.status).toBe('pass');
    expect(r.evidence.source).toBe('GITHUB_REF_NAME');
  });

  it('fails outside a git repository with a hint', async () => {
    project = tempProject({ 'a.txt': 'a' });
    const r = await run(branchCheck('main'), project.dir);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('not inside a git repository');
    expect(r.hint).toContain('gates.branch: false');
  });
});

describe('cleanTreeCheck', () => {
  it('ignores gitignored files and shipshape state, flags the rest', async () => {
    project = tempProject({ '.gitignore': 'dist/\n', 'src/a.ts': 'x' }, { git: true });
    project.write('dist/out.js', 'built');
    project.write('.shipshape/releases/r1.ndjson', '{}');
    expect((await run(cleanTreeCheck, project.dir)).status).toBe('pass');

    project.write('src/a.ts', 'changed');
    project.write('src/new file.ts', 'new');
    const r = await run(cleanTreeCheck, project.dir);
    expect(r.status).toBe('fail');
    expect(r.evidence.files).toEqual(['M src/a.ts', '?? src/new file.ts']);
    expect(r.hint).toContain('gates.cleanTree: false');
  });

  it('fails outside a git repository', async () => {
    project = tempProject({ 'a.txt': 'a' });
    expect((await run(cleanTreeCheck, project.dir)).status).toBe('fail');
  });
});

describe('parsePorcelain', () => {
  it('reads renames without taking their source as an entry', () => {
    expect(parsePorcelain('R  new.ts\0old.ts\0 M b.ts\0')).toEqual([
      { code: 'R', path: 'new.ts' },
      { code: 'M', path: 'b.ts' },
    ]);
  });
});
