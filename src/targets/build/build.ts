import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative } from 'node:path';
import { findProjectWorker } from '../../config/project-workers.ts';
import type { WorkerConfig } from '../../config/worker-config.ts';
import { loadWorkerConfig } from '../../config/wrangler.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import {
  chooseWrangler,
  type WranglerInstall,
  wranglerBin,
  wranglerProblem,
} from '../../toolchain/wrangler.ts';
import type { Artifact } from '../target.ts';
import { writeAssetManifest } from './asset-manifest.ts';
import { buildFailure } from './build-failure.ts';
import { guessBuild, redirectedConfig, runProcess } from './build-process.ts';
import { buildPages } from './pages-build.ts';
import { SERVICES_DIR, writeServiceBundle } from './service-bundles.ts';
import { workerSnapshot } from './worker-snapshot.ts';

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

/** What a build may be told besides the worker: shipshape.config's build.command. */
export interface BuildOptions {
  command?: string | null;
}

/**
 * Bundles the worker with wrangler's own bundler (`wrangler deploy --dry-run --outdir`), so the artifact is
 * what Cloudflare would receive; a Pages project (`pages_build_output_dir`) is built by pages-build.ts, its static
 * output inside the bundle. shipshape.config's `build.command`, then the worker's own `build.command`, run
 * first and see `env` (e.g. FAULT). The hash covers a worker's assets through their manifest (asset-manifest.ts).
 * Project workers bound with `services` are built into the bundle's `.services/` folder, so the version runs with
 * the workers it was built with.
 * A failed build becomes BUILD_FAILED with the bundler's message, file and line and the build's own output.
 */
export async function buildWorker(
  worker: WorkerConfig,
  env: Record<string, string | undefined>,
  options: BuildOptions = {},
): Promise<Artifact> {
  const outdir = mkdtempSync(join(tmpdir(), 'shipshape-build-'));
  if (!exitHook) process.once('exit', removeAllBuildFolders);
  exitHook = true;
  buildFolders.add(outdir);
  const bundleDir = join(outdir, 'bundle');
  const wrangler = usableWrangler(worker.projectDir);
  try {
    if (options.command) {
      const run = await runProcess('sh', ['-c', options.command], worker.projectDir, env);
      if (run.code !== 0) throw buildFailure(run.output, null, `build.command "${options.command}"`);
    }
    const redirect = worker.pagesOutputDir ? null : redirectedConfig(worker.projectDir);
    const mainModule = worker.pagesOutputDir
      ? await buildPages(wrangler, worker, bundleDir, outdir, env)
      : await bundleScript(wrangler, worker, bundleDir, outdir, env, options, redirect?.configPath);
    // A Pages bundle holds its static output; a worker's bundle records its assets' hashes.
    const assetsDir = worker.assets?.directory ?? redirect?.assetsDir ?? null;
    if (assetsDir) writeAssetManifest(bundleDir, assetsDir);
    for (const s of worker.bindings.services) {
      if (s.service === worker.name) continue;
      const found = findProjectWorker(worker.projectDir, s.service, worker.env);
      if (!found) continue; // left unbound; the gate reports it
      const { dir } = found;
      const bound = loadWorkerConfig(dir, found.env);
      const target = join(bundleDir, SERVICES_DIR, s.service);
      const main = await bundle(usableWrangler(dir), bound, target, outdir, env);
      writeServiceBundle(target, main, workerSnapshot(bound));
    }
    return {
      worker: worker.name,
      dir: bundleDir,
      mainModule,
      hash: hashBundle(bundleDir),
      assetsDir,
      builtWith: `wrangler ${wrangler.version} (${wrangler.source === 'app' ? "the project's own" : "shipshape's"})`,
    };
  } catch (err) {
    removeBuildFolder({ dir: bundleDir });
    throw err;
  }
}

/** A worker's entry, bundled by `wrangler deploy --dry-run`; LOCAL_MAIN_NOT_BUILT when no build will write it. */
function bundleScript(
  wrangler: WranglerInstall,
  worker: WorkerConfig,
  bundleDir: string,
  outdir: string,
  env: Record<string, string | undefined>,
  options: BuildOptions,
  redirected?: string,
): Promise<string> {
  if (!existsSync(worker.main) && !worker.buildCommand) {
    throw new ShipshapeError('LOCAL_MAIN_NOT_BUILT', {
      main: relative(worker.projectDir, worker.main),
      command: options.command ?? guessBuild(worker.projectDir),
    });
  }
  return bundle(wrangler, worker, bundleDir, outdir, env, redirected);
}

/** One `wrangler deploy --dry-run --outdir` run; returns the entry module's file name. */
async function bundle(
  wrangler: WranglerInstall,
  worker: WorkerConfig,
  bundleDir: string,
  outdir: string,
  env: Record<string, string | undefined>,
  redirected?: string,
): Promise<string> {
  const outputFile = join(outdir, `wrangler-output-${basename(bundleDir)}.ndjson`);
  const args = [
    wranglerBin(wrangler),
    'deploy',
    '--dry-run',
    '--outdir',
    bundleDir,
    // A framework's build output config is already resolved for one environment, as wrangler deploy reads it.
    ...(redirected ? ['--config', redirected] : ['--config', worker.configPath, `--env=${worker.env ?? ''}`]),
  ];
  const result = await runProcess(process.execPath, args, worker.projectDir, {
    ...env,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_OUTPUT_FILE_PATH: outputFile,
    WRANGLER_LOG_PATH: join(outdir, 'logs'),
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  });
  if (result.code !== 0) throw buildFailure(result.output, outputFile);
  const files = readdirSync(bundleDir).filter((f) => !NOT_BUNDLE(f));
  const wanted = `${basename(worker.main, extname(worker.main))}.js`;
  return files.includes(wanted) ? wanted : (files.find((f) => f.endsWith('.js')) ?? wanted);
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
