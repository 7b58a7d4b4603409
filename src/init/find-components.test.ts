import { afterEach, describe, expect, it } from 'vitest';
import { type TempProject, tempProject } from '../checks/shared/temp-repo.ts';
import { THREE_COMPONENTS, workerConfig } from './components-test-support.ts';
import { componentName, findComponents } from './find-components.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('findComponents', () => {
  it('finds each sub-folder with a wrangler config, by path, and leaves test fixtures and dependencies out', () => {
    project = tempProject(THREE_COMPONENTS);
    const { found, skipped } = findComponents(project.dir);
    expect(found.map((c) => [c.name, c.dir, c.worker.name])).toEqual([
      ['api', 'api', 'shop-api'],
      ['site', 'site', 'shop-site'],
      ['web', 'web', 'shop-web'],
    ]);
    expect(found[1].worker.pagesOutputDir).toMatch(/site\/public$/);
    expect(skipped).toEqual([
      { file: 'fixtures/worker/wrangler.jsonc', reason: 'in a test, fixture or example folder' },
    ]);
  });

  it('looks two levels down (apps/*, packages/*), not three, nor inside a component or a hidden folder', () => {
    project = tempProject({
      'apps/web/wrangler.json': workerConfig('web'),
      'packages/web/wrangler.toml':
        'name = "pkg-web"\nmain = "src/index.ts"\ncompatibility_date = "2025-09-01"\n',
      'workers/queue/consumer/wrangler.json': workerConfig('too-deep'),
      'apps/web/inner/wrangler.json': workerConfig('inner'),
      '.github/ci/wrangler.json': workerConfig('hidden'),
      'dist/out/wrangler.json': workerConfig('built'),
      'e2e/app/wrangler.json': workerConfig('e2e-app'),
    });
    const { found, skipped } = findComponents(project.dir);
    expect(found.map((c) => [c.name, c.dir])).toEqual([
      ['web', 'apps/web'],
      ['packages-web', 'packages/web'],
    ]);
    expect(skipped.map((s) => s.file)).toEqual(['e2e/app/wrangler.json']);
  });

  it('leaves out a wrangler config that does not load, saying why', () => {
    project = tempProject({
      'api/wrangler.json': workerConfig('api'),
      'broken/wrangler.json': '{ "main": "src/index.ts" }',
    });
    const { found, skipped } = findComponents(project.dir);
    expect(found.map((c) => c.name)).toEqual(['api']);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ file: 'broken/wrangler.json' });
    expect(skipped[0].reason).toContain('WRANGLER_INVALID');
    expect(skipped[0].error?.code).toBe('WRANGLER_INVALID');
  });

  it('finds nothing in a folder without sub-folders', () => {
    project = tempProject({ 'README.md': '# nothing here\n' });
    expect(findComponents(project.dir)).toEqual({ found: [], skipped: [] });
  });
});

describe('componentName', () => {
  it('lowercases a folder name to what components[].name allows', () => {
    expect(componentName('My_API')).toBe('my-api');
    expect(componentName('--web.app--')).toBe('web-app');
    expect(componentName('@scope')).toBe('scope');
    expect(componentName('___')).toBe('component');
    expect(componentName('x'.repeat(80))).toHaveLength(63);
    for (const name of ['My_API', '9lives', 'a--b', `${'y'.repeat(62)}-z`])
      expect(componentName(name)).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
  });

  it('gives a taken name its parent folder, then a number', () => {
    project = tempProject({
      'API/wrangler.json': workerConfig('one'),
      'api/wrangler.json': workerConfig('two'),
      'apps/api/wrangler.json': workerConfig('three'),
    });
    expect(findComponents(project.dir).found.map((c) => [c.dir, c.name])).toEqual([
      ['API', 'api'],
      ['api', 'api-2'],
      ['apps/api', 'apps-api'],
    ]);
  });
});
