import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

export { PACKAGE_ROOT };

/** What a release or the developer keeps in the project that is never part of it: local secrets included. */
const GITIGNORE = [
  'node_modules/',
  '.shipshape/',
  '.wrangler/',
  'src/fault.generated.ts',
  '.dev.vars',
  '.dev.vars.*',
  '.env',
  '.env.*',
];

const SKIP = new Set(['.shipshape', '.wrangler', 'node_modules', 'fault.generated.ts']);

export interface ExampleCopy {
  dir: string;
  cleanup(): void;
}

/**
 * Copies an example app into a fresh folder as a user's project would look: `node_modules/shipshape` points at
 * this package and `node_modules/wrangler` at its wrangler (as `npm install shipshape` would), and with `git` the copy is a repository on `main` with one
 * clean commit, so the gate's branch and clean-tree checks see what they see in a real project. With `config`,
 * that object is the copy's shipshape.config.json instead of the example's own config.
 * @example const app = copyExample({ name: 'hello-d1' }); try { ... } finally { app.cleanup() }
 */
export function copyExample(
  options: { name?: string; dest?: string; git?: boolean; config?: Record<string, unknown> } = {},
): ExampleCopy {
  const name = options.name ?? 'hello-d1';
  const source = join(PACKAGE_ROOT, 'examples', name);
  if (!existsSync(source)) throw new ShipshapeError('DEMO_UNAVAILABLE', { name, path: source });
  const dir = options.dest ?? mkdtempSync(join(tmpdir(), `shipshape-${name}-`));
  mkdirSync(dir, { recursive: true });
  cpSync(source, dir, { recursive: true, filter: (src) => !SKIP.has(src.split(/[\\/]/).pop() ?? '') });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(PACKAGE_ROOT, join(dir, 'node_modules', 'shipshape'), 'dir');
  // wrangler is shipshape's peer: npm installs it beside shipshape in the app, and the app's wrangler bundles.
  const wrangler = join(PACKAGE_ROOT, 'node_modules', 'wrangler');
  if (existsSync(wrangler)) symlinkSync(wrangler, join(dir, 'node_modules', 'wrangler'), 'dir');
  if (options.config) {
    // A JSON config in place of the example's own (tests and benchmarks tune bakes, ports and traffic).
    rmSync(join(dir, 'shipshape.config.ts'), { force: true });
    writeFileSync(join(dir, 'shipshape.config.json'), JSON.stringify(options.config, null, 2));
  }
  if (options.git ?? true) initGit(dir);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function initGit(dir: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'shipshape',
        GIT_AUTHOR_EMAIL: 'shipshape@example.com',
        GIT_COMMITTER_NAME: 'shipshape',
        GIT_COMMITTER_EMAIL: 'shipshape@example.com',
      },
    });
  git('init', '-q', '-b', 'main');
  // Written rather than copied: npm leaves .gitignore files out of a package, so an installed example has none.
  writeFileSync(join(dir, '.gitignore'), `${GITIGNORE.join('\n')}\n`);
  git('add', '-A');
  git('commit', '-q', '-m', 'example app');
}
