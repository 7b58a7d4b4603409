import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/package-root.ts';

/**
 * The package as a user gets it: packed, installed from the tarball into a copy of the example app that has its
 * own wrangler, then used from that app only (its node_modules, its wrangler, plain Node).
 */
const WRANGLER = JSON.parse(
  execFileSync('npm', ['pkg', 'get', 'devDependencies.wrangler'], { cwd: PACKAGE_ROOT, encoding: 'utf8' }),
) as string;

let work: string;
let app: string;

const run = (file: string, args: string[], cwd = app) =>
  execFileSync(file, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const node = (args: string[]) => run(process.execPath, args);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'shipshape-install-'));
  // dist/ is built by `npm test` before the tests run; packing without prepack never rebuilds it under other tests.
  run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], PACKAGE_ROOT);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz')) as string;
  app = join(work, 'app');
  cpSync(join(PACKAGE_ROOT, 'examples', 'hello-d1'), app, {
    recursive: true,
    filter: (src) => !/node_modules|\.shipshape|\.wrangler/.test(src),
  });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'hello-d1-app',
      private: true,
      type: 'module',
      devDependencies: { wrangler: WRANGLER, shipshape: `file:../${tarball}` },
    }),
  );
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the installed package', () => {
  it('runs its command with no TypeScript loader', () => {
    expect(node(['node_modules/.bin/shipshape', '--version']).trim()).toMatch(/^\d+\.\d+\.\d+/);
    const installed = readdirSync(join(app, 'node_modules', 'shipshape'));
    expect(installed.sort()).toEqual(
      ['LICENSE', 'README.md', 'bin', 'dist', 'package.json'].filter((f) => installed.includes(f)),
    );
    expect(installed).not.toContain('src');
  });

  it('imports defineConfig from Node ESM and from require()', () => {
    const esm = node([
      '--input-type=module',
      '-e',
      "import { defineConfig } from 'shipshape'; console.log(JSON.stringify(defineConfig({ target: 'local' })))",
    ]);
    expect(JSON.parse(esm)).toEqual({ target: 'local' });
    const cjs = node([
      '-e',
      "const { defineConfig } = require('shipshape'); console.log(typeof defineConfig)",
    ]);
    expect(cjs.trim()).toBe('function');
    const flags = node([
      '--input-type=module',
      '-e',
      "import { createFlags } from 'shipshape/flags'; console.log(typeof createFlags)",
    ]);
    expect(flags.trim()).toBe('function');
  });

  it('reads the app config (a .ts file importing shipshape) from the installed command', () => {
    const out = node(['node_modules/.bin/shipshape', 'config', '--json']);
    expect(JSON.parse(out).config.worker.name).toBe('hello-d1');
  });

  it("bundles the worker, which imports shipshape/flags, with the app's own wrangler", () => {
    const out = join(work, 'bundle');
    node(['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', out]);
    expect(readdirSync(out).some((f) => f.endsWith('.js'))).toBe(true);
  });

  it('leaves one workerd in the app', () => {
    const tree = JSON.parse(run('npm', ['ls', 'workerd', '--all', '--json'])) as Record<string, unknown>;
    const versions = new Set<string>();
    const walk = (deps: unknown) => {
      for (const [name, dep] of Object.entries(
        (deps ?? {}) as Record<string, { version?: string; dependencies?: unknown }>,
      )) {
        if (name === 'workerd' && dep.version) versions.add(dep.version);
        walk(dep.dependencies);
      }
    };
    walk(tree.dependencies);
    expect([...versions]).toHaveLength(1);
  });
});
