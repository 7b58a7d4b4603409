import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Runs a build step; resolves with its exit code and its stdout and stderr together (never rejects). */
export function runProcess(
  file: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd, env: env as NodeJS.ProcessEnv, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/** The build a person most likely has to run: package.json's "build" script, if any. */
export function guessBuild(projectDir: string): string | null {
  const pkg = readPackage(projectDir);
  return pkg?.scripts?.build ? `${packageManager(projectDir)} run build` : null;
}

/** Adapters whose wrangler entry is produced (or redirected) by the app's own build, not written by hand. */
const BUILT_BY_FRAMEWORK = [
  '@cloudflare/vite-plugin',
  '@astrojs/cloudflare',
  '@opennextjs/cloudflare',
  '@react-router/dev',
  '@remix-run/dev',
  '@sveltejs/adapter-cloudflare',
];

/**
 * The build `init` writes into shipshape.config for an app whose wrangler config names none: the package's
 * `build` script, when the wrangler entry is a build output that is missing or the app builds with a framework
 * adapter. Null when wrangler's own `build.command` covers it or nothing says a build is needed.
 */
export function neededBuild(projectDir: string, main: string, wranglerBuild: string | null): string | null {
  if (wranglerBuild) return null;
  const pkg = readPackage(projectDir);
  if (!pkg?.scripts?.build) return null;
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const framework = BUILT_BY_FRAMEWORK.some((name) => name in deps);
  return framework || !existsSync(main) ? guessBuild(projectDir) : null;
}

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readPackage(projectDir: string): PackageJson | null {
  try {
    return JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return null;
  }
}

/** The package manager the project's lock file names (npm when none does). */
function packageManager(projectDir: string): string {
  if (existsSync(join(projectDir, 'pnpm-lock.yaml'))) return 'pnpm';
  if (existsSync(join(projectDir, 'yarn.lock'))) return 'yarn';
  if (existsSync(join(projectDir, 'bun.lock')) || existsSync(join(projectDir, 'bun.lockb'))) return 'bun';
  return 'npm';
}

/**
 * The config a framework build left for wrangler (`.wrangler/deploy/config.json` → `{configPath}`), which
 * `wrangler deploy` follows instead of the project's own file: the built worker and its assets are named there.
 */
export function redirectedConfig(
  projectDir: string,
): { configPath: string; assetsDir: string | null } | null {
  const pointer = join(projectDir, '.wrangler', 'deploy', 'config.json');
  try {
    const { configPath } = JSON.parse(readFileSync(pointer, 'utf8')) as { configPath?: string };
    if (!configPath) return null;
    const path = resolve(dirname(pointer), configPath);
    const config = JSON.parse(readFileSync(path, 'utf8')) as { assets?: { directory?: string } };
    const assets = config.assets?.directory;
    return { configPath: path, assetsDir: assets ? resolve(dirname(path), assets) : null };
  } catch {
    return null;
  }
}
