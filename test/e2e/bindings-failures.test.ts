import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { statePaths } from '../../src/targets/local/paths.ts';
import { type FixtureApp, fixtureApp, initAndDeploy, initFixture } from '../support/fixture-app.ts';

let app: FixtureApp | null = null;
afterEach(() => {
  app?.cleanup();
  app = null;
});

/** sha256 of every SQLite file of the local D1 databases. */
function d1Checksum(dir: string): string {
  const root = statePaths(dir).d1;
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sqlite')) hash.update(e.name).update(readFileSync(p));
    }
  };
  walk(root);
  return hash.digest('hex');
}

describe('what the local target cannot run, and workers that fail', () => {
  it('check lists each unsupported binding with its code and starts nothing', async () => {
    app = fixtureApp('unsupported-ai');
    expect((await initFixture(app)).code).toBe(0);
    const { code, events } = await app.cli(['check', '--json']);
    expect(code).toBe(0);
    const findings = events.filter(
      (e) => e.type === 'check.finished' && (e as { name: string }).name.startsWith('bindings: '),
    ) as unknown as Array<{ name: string; status: string; message: string; evidence: { code: string } }>;
    expect(findings.map((f) => f.name)).toEqual([
      'bindings: ai AI',
      'bindings: vectorize VECTORS',
      'bindings: browser BROWSER',
    ]);
    for (const f of findings) {
      expect(f.status).toBe('warn');
      expect(f.evidence.code).toBe('LOCAL_BINDING_UNSUPPORTED');
      expect(f.message).toContain('left unbound by the local target');
    }
    expect(existsSync(statePaths(app.dir).root)).toBe(false);
    const config = await app.cli(['config', '--json']);
    expect(config.stdout).toContain('LOCAL_BINDING_UNSUPPORTED');
    const text = await app.cli(['config']);
    expect(text.stdout).toContain('# LOCAL_BINDING_UNSUPPORTED: vectorize binding "VECTORS": left unbound');
  });

  it('a worker that throws at module load is refused before any migration; the previous version serves', async () => {
    app = fixtureApp('throw-at-load');
    const first = await initAndDeploy(app);
    expect(first.code, first.stderr).toBe(0);
    const before = d1Checksum(app.dir);
    writeFileSync(
      join(app.dir, 'migrations', '0002_note_tags.sql'),
      'ALTER TABLE notes ADD COLUMN tag TEXT;\n',
    );
    writeFileSync(
      join(app.dir, 'src', 'settings.js'),
      "// settings read at start-up\nexport const settings = { mode: 'bad' };\nthrow new Error('boot failed: API_URL is not set');\n",
    );
    app.commit('v2 throws at load');
    const { code, stdout } = await app.cli(['deploy', '--json']);
    expect(code).toBe(6);
    expect(stdout).toContain('LOCAL_WORKER_START_FAILED');
    expect(stdout).toContain('boot failed: API_URL is not set');
    expect(stdout).toMatch(/index\.js:\d+/);
    expect(stdout).toContain('src/settings.js:3');
    expect(d1Checksum(app.dir)).toBe(before);
    const health = await fetch(new URL('/health', app.url()));
    expect(await health.json()).toEqual({ status: 'healthy', mode: 'good' });
  });

  it("a failed build shows the build's own last lines, and all of them with --verbose", async () => {
    app = fixtureApp('r2-upload');
    expect((await initFixture(app)).code).toBe(0);
    writeFileSync(
      join(app.dir, 'src', 'index.js'),
      'export default {\n  fetch() {\n    return new Response(;\n  },\n};\n',
    );
    app.commit('broken');
    const plain = await app.cli(['deploy']);
    expect(plain.code).toBe(6);
    const text = plain.stdout + plain.stderr;
    expect(text).toContain('BUILD_FAILED');
    expect(text).toMatch(/src\/index\.js:3/);
    expect(text).toContain('wrangler output (last 15 lines');
    const verbose = await app.cli(['deploy', '--verbose', '--json']);
    expect(verbose.stdout).toContain('"output"');
  });

  it('a wrangler main that is a missing build output names the build to run', async () => {
    app = fixtureApp('r2-upload');
    expect((await initFixture(app)).code).toBe(0);
    const config = join(app.dir, 'wrangler.jsonc');
    writeFileSync(config, readFileSync(config, 'utf8').replace('"src/index.js"', '"dist/worker.js"'));
    writeFileSync(
      join(app.dir, 'package.json'),
      JSON.stringify({ scripts: { build: 'mkdir -p dist && cp src/index.js dist/worker.js' } }),
    );
    app.commit('main is a build output');
    const missing = await app.cli(['deploy']);
    expect(missing.code).toBe(6);
    expect(missing.stdout + missing.stderr).toContain('LOCAL_MAIN_NOT_BUILT');
    expect(missing.stdout + missing.stderr).toContain('npm run build');
    const settings = JSON.parse(readFileSync(join(app.dir, 'shipshape.config.json'), 'utf8'));
    settings.build = { command: 'mkdir -p dist && cp src/index.js dist/worker.js' };
    writeFileSync(join(app.dir, 'shipshape.config.json'), JSON.stringify(settings));
    writeFileSync(join(app.dir, '.gitignore'), 'node_modules/\n.shipshape/\n.wrangler/\ndist/\n');
    rmSync(join(app.dir, 'dist'), { recursive: true, force: true });
    app.commit('build command in shipshape.config');
    const built = await app.cli(['deploy', '--json']);
    expect(built.code, built.stdout.slice(-3000)).toBe(0);
  });
});
