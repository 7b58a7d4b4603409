import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../config/wrangler.ts';
import type { Artifact } from '../target.ts';
import { ASSET_MANIFEST } from './asset-manifest.ts';
import { buildWorker } from './build.ts';
import { pagesSite, writeFiles, writeProject } from './pages-fixture-test-support.ts';
import { PAGES_ENTRY, PAGES_OUTPUT_DIR } from './pages-layout.ts';

const projects: Array<{ dir: string; cleanup(): void }> = [];
const built: Artifact[] = [];

function project(files: Record<string, string>): string {
  const p = writeProject(files);
  projects.push(p);
  return p.dir;
}

async function build(dir: string): Promise<Artifact> {
  const artifact = await buildWorker(loadWorkerConfig(dir), { ...process.env });
  built.push(artifact);
  return artifact;
}

async function buildError(
  dir: string,
): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  return buildWorker(loadWorkerConfig(dir), { ...process.env }).then(
    () => {
      throw new Error('the build passed');
    },
    (err: Error) => err,
  );
}

afterEach(() => {
  for (const a of built.splice(0)) rmSync(dirname(a.dir), { recursive: true, force: true });
});
afterAll(() => {
  for (const p of projects) p.cleanup();
});

describe('building a Pages project', () => {
  it('compiles Functions and copies the static output into one bundle behind a routing entry', async () => {
    const a = await build(project(pagesSite('one')));
    expect(a).toMatchObject({ worker: 'pages-site', mainModule: PAGES_ENTRY, assetsDir: null });
    expect(existsSync(join(a.dir, 'functions', 'index.js'))).toBe(true);
    const output = join(a.dir, PAGES_OUTPUT_DIR);
    for (const kept of ['index.html', '404.html', '_headers', '_redirects', 'api/static/info.txt'])
      expect(existsSync(join(output, kept)), kept).toBe(true);
    expect(existsSync(join(output, '_routes.json'))).toBe(false);
    const entry = readFileSync(join(a.dir, PAGES_ENTRY), 'utf8');
    expect(entry).toContain("import functions from './functions/index.js'");
    expect(entry).toContain(String(/^\/api\/static(?:\/.*)?$/));
  }, 60_000);

  it('gives a change to the static output alone a new hash, and an unchanged project the same one', async () => {
    const dir = project(pagesSite('one'));
    const first = await build(dir);
    expect((await build(dir)).hash).toBe(first.hash);
    writeFiles(dir, { 'dist/about.html': '<!doctype html><html lang="en"><h1>About us</h1></html>\n' });
    expect((await build(dir)).hash).not.toBe(first.hash);
  }, 60_000);

  it('takes the routes wrangler generates from functions/ when the output has no _routes.json', async () => {
    const dir = project(pagesSite('one'));
    rmSync(join(dir, 'dist', '_routes.json'));
    const entry = readFileSync(join((await build(dir)).dir, PAGES_ENTRY), 'utf8');
    // wrangler generated these from functions/: the middleware mounts /api, the routes below it.
    expect(entry).toContain(String(/^\/api(?:\/.*)?$/));
  }, 60_000);

  it('makes a site without Functions, or with no route in functions/, its static output only', async () => {
    const dir = project(pagesSite('one'));
    rmSync(join(dir, 'functions'), { recursive: true });
    const a = await build(dir);
    expect(existsSync(join(a.dir, 'functions'))).toBe(false);
    expect(readFileSync(join(a.dir, PAGES_ENTRY), 'utf8')).not.toContain('import');
    mkdirSync(join(dir, 'functions'));
    expect(readFileSync(join((await build(dir)).dir, PAGES_ENTRY), 'utf8')).not.toContain('import');
  }, 60_000);

  it("builds the output's _worker.js (advanced mode) instead of functions/, and does not serve it", async () => {
    const dir = project({
      ...pagesSite('one'),
      'dist/_worker.js': 'export default { fetch: (request, env) => env.ASSETS.fetch(request) };\n',
    });
    const a = await build(dir);
    expect(readFileSync(join(a.dir, 'functions', '_worker.js'), 'utf8')).toContain('env.ASSETS.fetch');
    expect(readFileSync(join(a.dir, PAGES_ENTRY), 'utf8')).toContain(
      "import functions from './functions/_worker.js'",
    );
    expect(existsSync(join(a.dir, PAGES_OUTPUT_DIR, '_worker.js'))).toBe(false);
  }, 60_000);

  it('takes a _worker.js folder as it is', async () => {
    const dir = project({
      ...pagesSite('one'),
      'dist/_worker.js/index.js':
        'import { body } from "./body.js";\nexport default { fetch: () => new Response(body) };\n',
      'dist/_worker.js/body.js': 'export const body = "advanced";\n',
    });
    const a = await build(dir);
    expect(existsSync(join(a.dir, 'functions', 'body.js'))).toBe(true);
    expect(readFileSync(join(a.dir, PAGES_ENTRY), 'utf8')).toContain(
      "import functions from './functions/index.js'",
    );
    expect(existsSync(join(a.dir, PAGES_OUTPUT_DIR, '_worker.js'))).toBe(false);
  });
});

describe('a Pages build that cannot be used', () => {
  it('names a missing output folder (PAGES_OUTPUT_NOT_BUILT)', async () => {
    const dir = project(pagesSite('one'));
    rmSync(join(dir, 'dist'), { recursive: true });
    expect(await buildError(dir)).toMatchObject({ code: 'PAGES_OUTPUT_NOT_BUILT', details: { dir: 'dist' } });
  });

  it('refuses a _routes.json Cloudflare would refuse (PAGES_ROUTES_INVALID)', async () => {
    const dir = project({ ...pagesSite('one'), 'dist/_routes.json': '{"version":1,"include":[]}' });
    expect(await buildError(dir)).toMatchObject({ code: 'PAGES_ROUTES_INVALID' });
  }, 60_000);

  it("reports a Function's syntax error with its file and line (PAGES_FUNCTIONS_BUILD_FAILED)", async () => {
    const dir = project({ ...pagesSite('one'), 'functions/api/hello.ts': 'export const onRequest = (\n' });
    const err = await buildError(dir);
    expect(err).toMatchObject({ code: 'PAGES_FUNCTIONS_BUILD_FAILED', details: { line: 2 } });
    expect(String(err.details?.file)).toMatch(/hello\.ts$/);
  }, 60_000);
});

describe("a worker's static assets", () => {
  it('are part of the hash: a change to the assets alone is a new build', async () => {
    const dir = project({
      'wrangler.jsonc': JSON.stringify({
        name: 'assets-worker',
        main: 'src/index.ts',
        compatibility_date: '2025-09-01',
        assets: { directory: './public' },
      }),
      'src/index.ts': 'export default { fetch: () => new Response("worker") };\n',
      'public/hello.txt': 'hello',
    });
    const first = await build(dir);
    expect(readFileSync(join(first.dir, ASSET_MANIFEST), 'utf8')).toMatch(/^[0-9a-f]{64} {2}hello\.txt\n$/);
    writeFiles(dir, { 'public/hello.txt': 'hello again' });
    expect((await build(dir)).hash).not.toBe(first.hash);
  }, 60_000);
});
