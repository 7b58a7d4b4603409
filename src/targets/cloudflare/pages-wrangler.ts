import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkerConfig } from '../../config/worker-config.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { wranglerBin } from '../../toolchain/wrangler.ts';
import { usableWrangler } from '../build/build.ts';
import { PAGES_OUTPUT_DIR } from '../build/pages-layout.ts';
import type { Artifact } from '../target.ts';
import type { CloudflareAccount } from './account.ts';
import { runWrangler } from './wrangler-upload.ts';

/** What the upload leaves out of the built output but `wrangler pages deploy` reads from the output folder. */
const OUTPUT_CODE = ['_worker.js', '_routes.json'];

/**
 * A folder holding exactly what the build hashed (the static output of a Pages bundle, see pages-layout.ts),
 * plus the output's own `_worker.js` and `_routes.json`, which the bundle keeps elsewhere. Functions in
 * `functions/` are compiled by wrangler from the project folder, as `wrangler pages deploy` always does.
 * The caller removes it (`rmSync`) once the deployment it feeds is production or the run ends.
 */
export function stagePagesOutput(artifact: Artifact, worker: WorkerConfig): string {
  const staged = mkdtempSync(join(tmpdir(), 'shipshape-pages-'));
  cpSync(join(artifact.dir, PAGES_OUTPUT_DIR), staged, { recursive: true });
  for (const name of OUTPUT_CODE) {
    const own = join(worker.pagesOutputDir ?? '', name);
    if (worker.pagesOutputDir && existsSync(own))
      cpSync(own, join(staged, name), { recursive: true, dereference: true });
  }
  return staged;
}

export interface PagesDeployRequest {
  project: string;
  branch: string;
  message: string;
  gitSha: string | null;
}

/**
 * `wrangler pages deploy <dir> --project-name P --branch B` in the project's folder (its wrangler config gives
 * the bindings and compatibility settings; its `functions/` the Functions), the deployment's id read from
 * wrangler's output file. The token is only in wrangler's environment and is cut from any output kept.
 */
export async function wranglerPagesDeploy(
  dir: string,
  worker: WorkerConfig,
  request: PagesDeployRequest,
  account: CloudflareAccount,
  env: Record<string, string | undefined>,
): Promise<string> {
  const wrangler = usableWrangler(worker.projectDir);
  const work = mkdtempSync(join(tmpdir(), 'shipshape-wrangler-'));
  const outputFile = join(work, 'output.ndjson');
  const args = [
    wranglerBin(wrangler),
    'pages',
    'deploy',
    dir,
    '--project-name',
    request.project,
    '--branch',
    request.branch,
    '--commit-message',
    request.message,
    '--commit-dirty=true',
    ...(request.gitSha ? ['--commit-hash', request.gitSha] : []),
  ];
  const { run, records } = await runWrangler(worker, args, account, env, work, outputFile);
  const done = records.find((r) => r.type === 'pages-deploy');
  if (run.code === 0 && typeof done?.deployment_id === 'string') {
    rmSync(work, { recursive: true, force: true });
    return done.deployment_id;
  }
  const failed = records.find((r) => r.type === 'command-failed');
  const reason = String(failed?.message ?? run.output.trim().split('\n').slice(-15).join('\n'));
  throw new ShipshapeError('CLOUDFLARE_WRANGLER_FAILED', {
    command: 'pages deploy',
    cfCode: failed?.code,
    reason:
      run.code === 0 ? 'no pages-deploy record in its output file' : reason.split(account.token).join('***'),
    dir: worker.projectDir,
    logs: join(work, 'logs'),
  });
}
