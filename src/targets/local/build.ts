import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative } from 'node:path';
import type { WorkerConfig } from '../../config/worker-config.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import {
  chooseWrangler,
  type WranglerInstall,
  wranglerBin,
  wranglerProblem,
} from '../../toolchain/wrangler.ts';
import type { Artifact } from '../target.ts';

/** Files wrangler writes next to the bundle that are not part of what runs. */
const NOT_BUNDLE = (name: string) => name === 'README.md' || name.endsWith('.map');

/** Temp build folders this process made and has not removed yet; whatever is left goes when it exits. */
const buildFolders = new Set<string>();
let exitHook = false;

function removeAllBuildFolders(): void {
  for (const dir of buildFolders) rmSync(dir, { recursive: true, force: true });
  buildFolders.clear();
}

/**
 * Removes an artifact's temp build folder (`shipshape-build-*`) once the version store holds its own copy.
 * Only folders this process built are touched. A later upload of the same artifact still works: the daemon
 * finds the bundle by its hash among the stored versions.
 */
export function removeBuildFolder(artifact: Pick<Artifact, 'dir'>): void {
  const folder = dirname(artifact.dir);
  if (!buildFolders.delete(folder)) return;
  rmSync(folder, { recursive: true, force: true });
}

/**
 * Bundles the worker with wrangler's own bundler (`wrangler deploy --dry-run --outdir`), so the artifact is
 * what Cloudflare would receive. The worker's `build.command` runs first and sees `env` (e.g. FAULT).
 * A bundler error becomes BUILD_FAILED with the bundler's message, file and line.
 */
export async function buildWorker(
  worker: WorkerConfig,
  env: Record<string, string | undefined>,
): Promise<Artifact> {
  const outdir = mkdtempSync(join(tmpdir(), 'shipshape-build-'));
  if (!exitHook) process.once('exit', removeAllBuildFolders);
  exitHook = true;
  buildFolders.add(outdir);
  const bundleDir = join(outdir, 'bundle');
  const outputFile = join(outdir, 'wrangler-output.ndjson');
  const wrangler = usableWrangler(worker.projectDir);
  const args = [
    wranglerBin(wrangler),
    'deploy',
    '--dry-run',
    '--outdir',
    bundleDir,
    '--config',
    worker.configPath,
    `--env=${worker.env ?? ''}`,
  ];
  const childEnv: Record<string, string | undefined> = {
    ...env,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_OUTPUT_FILE_PATH: outputFile,
    WRANGLER_LOG_PATH: join(outdir, 'logs'),
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  };
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: worker.projectDir, env: childEnv as NodeJS.ProcessEnv, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
  if (result.code !== 0) {
    const failure = readFailure(outputFile) ?? lastLines(result.output);
    removeBuildFolder({ dir: bundleDir });
    throw buildError(failure);
  }
  const files = readdirSync(bundleDir).filter((f) => !NOT_BUNDLE(f));
  const wanted = `${basename(worker.main, extname(worker.main))}.js`;
  const mainModule = files.includes(wanted) ? wanted : (files.find((f) => f.endsWith('.js')) ?? wanted);
  return {
    worker: worker.name,
    dir: bundleDir,
    mainModule,
    hash: hashBundle(bundleDir),
    assetsDir: worker.assets?.directory ?? null,
    builtWith: `wrangler ${wrangler.version} (${wrangler.source === 'app' ? "the project's own" : "shipshape's"})`,
  };
}

/** The wrangler that bundles this project, or WRANGLER_UNAVAILABLE saying what was found and how to fix it. */
export function usableWrangler(projectDir: string): WranglerInstall {
  const choice = chooseWrangler(projectDir);
  if (choice.use) return choice.use;
  throw new ShipshapeError('WRANGLER_UNAVAILABLE', wranglerProblem(choice) ?? {});
}

/** sha256 over every bundle file (relative name and contents), in name order; source maps excluded. */
export function hashBundle(dir: string): string {
  const hash = createHash('sha256');
  for (const file of listFiles(dir)) {
    const name = relative(dir, file);
    if (NOT_BUNDLE(basename(name))) continue;
    hash.update(`${name}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

function readFailure(outputFile: string): string | null {
  if (!existsSync(outputFile)) return null;
  for (const line of readFileSync(outputFile, 'utf8').split('\n').reverse()) {
    try {
      const record = JSON.parse(line) as { type?: string; message?: string };
      if (record.type === 'command-failed' && record.message) return record.message;
    } catch {
      // a partial last line: keep looking
    }
  }
  return null;
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-8).join('\n');
}

/** esbuild's "file:line:col: ERROR: text" becomes file, line and a one-line reason. */
function buildError(failure: string): ShipshapeError {
  const m = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(failure);
  if (m)
    return new ShipshapeError('BUILD_FAILED', {
      file: m[1],
      line: Number(m[2]),
      column: Number(m[3]),
      reason: m[4],
    });
  return new ShipshapeError('BUILD_FAILED', { reason: failure.replace(/\s+/g, ' ').trim() });
}
