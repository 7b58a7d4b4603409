import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { neededBuild, redirectedConfig } from './build-process.ts';

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-build-process-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const pkg = (extra: object) => JSON.stringify({ scripts: { build: 'astro build' }, ...extra });

describe('the build init writes for a framework app', () => {
  it("names the package's build script when wrangler's main is a missing build output, in the lock file's tool", () => {
    const dir = project({ 'package.json': pkg({}), 'pnpm-lock.yaml': '' });
    expect(neededBuild(dir, join(dir, 'dist/_worker.js/index.js'), null)).toBe('pnpm run build');
  });
  it('names it for a framework adapter even when main exists, and never when wrangler has its own build', () => {
    const dir = project({
      'package.json': pkg({ devDependencies: { '@cloudflare/vite-plugin': '1.0.0' } }),
      'workers/app.ts': '',
    });
    expect(neededBuild(dir, join(dir, 'workers/app.ts'), null)).toBe('npm run build');
    expect(neededBuild(dir, join(dir, 'workers/app.ts'), 'node build.mjs')).toBeNull();
  });
  it('names nothing for a plain worker whose entry is its source', () => {
    const dir = project({ 'package.json': pkg({}), 'src/index.ts': '' });
    expect(neededBuild(dir, join(dir, 'src/index.ts'), null)).toBeNull();
  });
});

describe("a framework build's redirected wrangler config", () => {
  it('is followed to the built config and its assets folder', () => {
    const dir = project({
      '.wrangler/deploy/config.json': JSON.stringify({ configPath: '../../build/server/wrangler.json' }),
      'build/server/wrangler.json': JSON.stringify({ main: 'index.js', assets: { directory: '../client' } }),
    });
    expect(redirectedConfig(dir)).toEqual({
      configPath: join(dir, 'build/server/wrangler.json'),
      assetsDir: join(dir, 'build/client'),
    });
    expect(redirectedConfig(project({}))).toBeNull();
  });
});
