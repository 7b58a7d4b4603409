import { afterEach, describe, expect, it } from 'vitest';
import { type TempProject, tempProject } from '../checks/shared/temp-repo.ts';
import { THREE_COMPONENTS, workerConfig } from './components-test-support.ts';
import { findComponents } from './find-components.ts';
import { releaseOrder, sourceFolders } from './probe-components.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('releaseOrder', () => {
  it('puts a component after the one its service binding names, with its kind', () => {
    project = tempProject(THREE_COMPONENTS);
    const ordered = releaseOrder(project.dir, findComponents(project.dir).found);
    expect(ordered.map((c) => [c.name, c.kind, c.dependsOn])).toEqual([
      ['api', 'worker', []],
      ['site', 'pages', []],
      ['web', 'worker', ['api']],
    ]);
    expect(ordered[2].calls).toEqual([{ component: 'api', binding: 'API' }]);
  });

  it('writes callers last, so the e2e endpoints go through the front door whatever the folder names', () => {
    project = tempProject({
      'api/wrangler.json': workerConfig('shop-api'),
      'web/wrangler.json': workerConfig('shop-web', { services: [{ binding: 'API', service: 'shop-api' }] }),
      'www/wrangler.json': workerConfig('shop-www'),
    });
    const ordered = releaseOrder(project.dir, findComponents(project.dir).found);
    expect(ordered.map((c) => c.name)).toEqual(['api', 'www', 'web']);
  });

  it('refuses a cycle of service bindings before anything runs', () => {
    project = tempProject({
      'a/wrangler.json': workerConfig('a', { services: [{ binding: 'B', service: 'b' }] }),
      'b/wrangler.json': workerConfig('b', { services: [{ binding: 'A', service: 'a' }] }),
    });
    expect(() => releaseOrder(project?.dir as string, findComponents(project?.dir as string).found)).toThrow(
      expect.objectContaining({ code: 'COMPONENTS_INVALID' }),
    );
  });
});

describe('sourceFolders', () => {
  it("names each worker's entry folder and a Pages project's functions, never build output", () => {
    project = tempProject({
      ...THREE_COMPONENTS,
      'pages/wrangler.json':
        '{ "name": "p", "pages_build_output_dir": "dist", "compatibility_date": "2025-09-01" }',
      'pages/functions/health.ts': 'export const onRequest = () => new Response("ok");\n',
      'built/wrangler.json': JSON.stringify({
        name: 'b',
        main: 'dist/index.js',
        compatibility_date: '2025-09-01',
      }),
      'built/dist/index.js': 'export default {};\n',
      'built/src/index.ts': 'export default {};\n',
    });
    const { found } = findComponents(project.dir);
    expect(sourceFolders(project.dir, found)).toEqual(['api/src', 'built/src', 'pages/functions', 'web/src']);
  });
});
