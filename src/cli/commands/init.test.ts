import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.ts';
import { type TempProject, tempProject } from '../../checks/shared/temp-repo.ts';
import { loadConfig } from '../../config/load.ts';
import { THREE_COMPONENTS, workerConfig } from '../../init/components-test-support.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const written = () => readFileSync(join(project?.dir as string, 'shipshape.config.ts'), 'utf8');

describe('shipshape init in a repository of several deployables', () => {
  it('writes a component per folder with the health checks each passes today, in release order', async () => {
    project = tempProject(THREE_COMPONENTS);
    const { code, stdout, stderr } = await runCli(['init'], { cwd: project.dir });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`no wrangler config in ${project.dir}; found 3 below it: api/, site/, web/`);
    for (const line of [
      'probing "api" (worker "shop-api" in api/) on a throwaway local platform…',
      'probing "site" (Pages project "shop-site" in site/) on a throwaway local platform…',
      'probing "web" (worker "shop-web" in web/) on a throwaway local platform…',
      '"web" (worker "shop-web" in web/), calls api (service binding API)',
      '  also checked (a miss costs points): /api/items',
      'release order: api → site → web (web after api)',
      'e2e endpoints (through web, last in release order): /, /about.html',
      'console.log gate scans: api/src, web/src',
      'left out: fixtures/worker/wrangler.jsonc (in a test, fixture or example folder)',
    ])
      expect(stdout).toContain(line);
    expect(stdout).not.toContain('a guess');

    const text = written();
    expect(text.match(/shipshape init asked the running app/g)).toHaveLength(3);
    expect(text).toContain('// web/wrangler.jsonc: worker "shop-web", entry src/index.ts');
    expect(text).toContain('// Calls api (service binding API): released after it.');

    const config = await loadConfig({ cwd: project.dir, env: null });
    expect(config.components.map((c) => [c.name, c.kind, c.dir, c.dependsOn])).toEqual([
      ['api', 'worker', join(project.dir, 'api'), []],
      ['site', 'pages', join(project.dir, 'site'), []],
      ['web', 'worker', join(project.dir, 'web'), ['api']],
    ]);
    const health = Object.fromEntries(config.components.map((c) => [c.name, c.health.checks]));
    // What the api answered besides its health route is checked on its own version (only the front door's
    // paths go to e2e), not critical.
    expect(health.api).toEqual([
      expect.objectContaining({ path: '/health', status: 200, json: { status: 'healthy' }, critical: true }),
      expect.objectContaining({ path: '/api/items', status: 200, critical: false }),
    ]);
    expect(health.web).toEqual([
      expect.objectContaining({ path: '/health', status: 200, json: { status: 'healthy' }, critical: true }),
    ]);
    // The site answers any path with its page (no 404.html): its home page is what it passes today.
    expect(health.site).toEqual([expect.objectContaining({ name: 'home page', path: '/', status: 200 })]);
    for (const c of config.components) expect(c.health.securityHeaders).toEqual([]);
    // Through the front door (web); redirects followed as the checks follow them (about.html → /about).
    expect(config.e2e.endpoints.map((e) => [e.path, e.status])).toEqual([
      ['/', 200],
      ['/about.html', 200],
    ]);
    expect(config.gates.consoleLog.paths).toEqual(['api/src', 'web/src']);

    const printed = await runCli(['config'], { cwd: project.dir });
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(
      `# worker "shop-api" from ${join(project.dir, 'api', 'wrangler.jsonc')}`,
    );
    expect(printed.stdout).toContain('"name": "web"');
  });

  it('writes components for a single sub-folder too, so the config points at it', async () => {
    project = tempProject({
      'worker/wrangler.json': workerConfig('solo', { kv_namespaces: [{ binding: 'FLAGS', id: 'k' }] }),
    });
    const { code, stdout } = await runCli(['init', '--no-probe'], { cwd: project.dir });
    expect(code).toBe(0);
    expect(stdout).toContain('wrote');
    expect(stdout).toContain('with 1 component\n');
    expect(stdout).not.toContain('probing');
    const text = written();
    expect(text).toContain("name: 'worker',\n      dir: 'worker',");
    expect(text).toContain('shipshape init could not run the app: confirm these by hand.');
    expect(text).toContain('// worker/wrangler.json: worker "solo", entry src/index.ts; KV: FLAGS');
    const config = await loadConfig({ cwd: project.dir, env: null });
    expect(config.components.map((c) => [c.name, c.worker.name, c.implicit])).toEqual([
      ['worker', 'solo', false],
    ]);
    expect(config.health.checks).toEqual([expect.objectContaining({ path: '/', status: 200 })]);
  });

  it('reports the components as one JSON record with --json', async () => {
    project = tempProject(THREE_COMPONENTS);
    const { code, stdout } = await runCli(['init', '--no-probe', '--json'], { cwd: project.dir });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      v: 1,
      type: 'init',
      order: ['api', 'site', 'web'],
      components: [
        { name: 'api', dir: 'api', kind: 'worker', worker: 'shop-api', dependsOn: [] },
        { name: 'site', dir: 'site', kind: 'pages', worker: 'shop-site', dependsOn: [] },
        { name: 'web', dir: 'web', kind: 'worker', worker: 'shop-web', dependsOn: ['api'] },
      ],
      skipped: [{ file: 'fixtures/worker/wrangler.jsonc', reason: 'in a test, fixture or example folder' }],
    });
  });

  it('keeps the one-worker config when the folder has its own wrangler config', async () => {
    project = tempProject({
      'wrangler.jsonc': workerConfig('root'),
      'api/wrangler.json': workerConfig('shop-api'),
    });
    const { code, stdout } = await runCli(['init', '--no-probe'], { cwd: project.dir });
    expect(code).toBe(0);
    expect(stdout).toContain(`wrote ${join(project.dir, 'shipshape.config.ts')} for worker "root"`);
    const text = written();
    expect(text).toContain('// shipshape reads the worker from wrangler.jsonc: "root", entry src/index.ts');
    expect(text).not.toContain('components');
    const config = await loadConfig({ cwd: project.dir, env: null });
    expect(config.components.map((c) => [c.name, c.implicit])).toEqual([['root', true]]);
  });

  it('says what is wrong when no folder has a wrangler config that loads', async () => {
    project = tempProject({ 'api/wrangler.json': '{ "main": "src/index.ts" }' });
    const broken = await runCli(['init', '--no-probe'], { cwd: project.dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('WRANGLER_INVALID');
    expect(broken.stderr).toContain('"name" is missing');
    project.cleanup();
    project = tempProject({ 'docs/README.md': '# docs\n' });
    const none = await runCli(['init', '--no-probe'], { cwd: project.dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('WRANGLER_NOT_FOUND');
  });
});
