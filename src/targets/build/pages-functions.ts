import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerConfig } from '../../config/worker-config.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { type WranglerInstall, wranglerBin } from '../../toolchain/wrangler.ts';
import { buildFailure } from './build-failure.ts';
import { runProcess } from './build-process.ts';

/** wrangler's exit code when a Functions folder holds no route: Pages then serves the static output alone. */
const FUNCTIONS_NO_ROUTES = 156;

/** The compiled code of a Pages version: its module (inside `target`) and the routes wrangler generated, if any. */
export interface CompiledFunctions {
  module: string;
  routesFile: string | null;
}

/**
 * Compiles a Pages project's code into `target` with the chosen wrangler's `pages functions build`: the output's
 * `_worker.js` (advanced mode, which wins, as on Pages) or the `functions/` folder. Null when there is no code, or
 * no route in it. A `_worker.js` folder is copied as it is: with `--outdir`, wrangler writes only its other modules,
 * not its entry.
 */
export async function compileFunctions(
  wrangler: WranglerInstall,
  worker: WorkerConfig,
  target: string,
  outdir: string,
  env: Record<string, string | undefined>,
): Promise<CompiledFunctions | null> {
  const output = worker.pagesOutputDir as string;
  const advanced = join(output, '_worker.js');
  if (isDirectory(advanced)) {
    cpSync(advanced, target, { recursive: true, dereference: true });
    return { module: 'index.js', routesFile: null };
  }
  if (!existsSync(advanced) && !isDirectory(worker.main)) return null;
  const routesFile = join(outdir, 'pages-routes.json');
  const outputFile = join(outdir, 'wrangler-output-pages.ndjson');
  const args = [
    wranglerBin(wrangler),
    ...['pages', 'functions', 'build', worker.main, '--outdir', target],
    ...['--output-routes-path', routesFile, '--build-output-directory', output],
    // Without a project directory the command reads no config: node compatibility comes from these.
    ...['--compatibility-date', worker.compatibilityDate],
    ...worker.compatibilityFlags.map((flag) => `--compatibility-flags=${flag}`),
    ...(worker.uploadSourceMaps ? ['--sourcemap'] : []),
  ];
  const result = await runProcess(process.execPath, args, worker.projectDir, {
    ...env,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_OUTPUT_FILE_PATH: outputFile,
    WRANGLER_LOG_PATH: join(outdir, 'logs'),
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  });
  if (result.code === FUNCTIONS_NO_ROUTES) return null;
  if (result.code !== 0) {
    const failure = buildFailure(result.output, outputFile, 'wrangler pages functions build');
    throw new ShipshapeError('PAGES_FUNCTIONS_BUILD_FAILED', failure.details, { cause: failure });
  }
  reproducible(target);
  const module = existsSync(join(target, 'index.js')) ? 'index.js' : '_worker.js';
  return { module, routesFile: existsSync(routesFile) ? routesFile : null };
}

/**
 * wrangler writes the routes of Functions to a temp module named with a random number, and esbuild leaves that path
 * in a comment: without the number, an unchanged project builds to the same bytes, hence the same hash.
 */
function reproducible(dir: string): void {
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (!name.endsWith('.js')) continue;
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    const stable = text.replace(/^\/\/ .*\.wrangler\/tmp\/.*$/gm, '// (wrangler temp module)');
    if (stable !== text) writeFileSync(file, stable);
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
