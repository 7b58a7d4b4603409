import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerConfig } from '../../config/worker-config.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { wranglerBin } from '../../toolchain/wrangler.ts';
import { usableWrangler } from '../build/build.ts';
import { runProcess } from '../build/build-process.ts';
import type { Artifact, UploadMeta } from '../target.ts';
import { type CloudflareAccount, wranglerEnv } from './account.ts';

/** `versions upload` adds a version at 0%; `deploy` is the only way Cloudflare takes a new Worker's first version. */
export type UploadCommand = 'versions upload' | 'deploy';

/** Cloudflare keeps at most 100 characters of a version's message. */
const MESSAGE_LIMIT = 100;
const ATTEMPTS = 3;

/** One NDJSON record of wrangler's output file (`WRANGLER_OUTPUT_FILE_PATH`). */
export interface OutputRecord {
  type: string;
  version_id?: string;
  /** `pages-deploy` records. */
  deployment_id?: string;
  code?: number;
  message?: string;
  retry_after_ms?: number;
}

/**
 * Uploads the built bundle as is (`--no-bundle`, the entry given on the command line) with the worker's own
 * wrangler config for its bindings, and reads the new version's id from wrangler's NDJSON output file
 * (`WRANGLER_OUTPUT_FILE_PATH`). A failure wrangler reports as rate-limited, a 5xx or a network error is run again
 * (at most 3 times: a repeated `versions upload` only adds another version at 0%); the token is only in wrangler's
 * environment and is cut from any output kept.
 */
export async function wranglerUpload(
  command: UploadCommand,
  artifact: Artifact,
  worker: WorkerConfig,
  meta: UploadMeta,
  account: CloudflareAccount,
  env: Record<string, string | undefined>,
): Promise<string> {
  const wrangler = usableWrangler(worker.projectDir);
  const work = mkdtempSync(join(tmpdir(), 'shipshape-wrangler-'));
  for (let attempt = 1; ; attempt++) {
    const outputFile = join(work, `output-${attempt}.ndjson`);
    const args = [
      wranglerBin(wrangler),
      ...command.split(' '),
      join(artifact.dir, artifact.mainModule),
      '--no-bundle',
      '--config',
      worker.configPath,
      `--env=${worker.env ?? ''}`,
      ...(meta.message ? ['--message', meta.message.slice(0, MESSAGE_LIMIT)] : []),
      ...(meta.tag ? ['--tag', meta.tag] : []),
    ];
    const { run, records } = await runWrangler(worker, args, account, env, work, outputFile);
    const done = records.find((r) => r.type === (command === 'deploy' ? 'deploy' : 'version-upload'));
    if (run.code === 0 && done?.version_id) {
      rmSync(work, { recursive: true, force: true });
      return done.version_id;
    }
    const failed = records.find((r) => r.type === 'command-failed');
    const reason = (failed?.message ?? tail(run.output)).split(account.token).join('***');
    if (attempt < ATTEMPTS && transient(failed, run.output)) {
      await sleep(Math.min(failed?.retry_after_ms ?? 1000 * attempt, 60_000));
      continue;
    }
    throw new ShipshapeError('CLOUDFLARE_WRANGLER_FAILED', {
      command,
      cfCode: failed?.code,
      reason: run.code === 0 ? `no ${command} record with a version id in its output file` : reason,
      dir: worker.projectDir,
      logs: join(work, 'logs'),
      ...(transient(failed, run.output) ? { transient: true } : {}),
    });
  }
}

/** Rate limiting (971), Cloudflare's unknown error (10013), a 5xx or a network failure: worth another run. */
function transient(failed: OutputRecord | undefined, output: string): boolean {
  if (failed?.code === 971 || failed?.code === 10013) return true;
  const text = `${failed?.message ?? ''}\n${output}`;
  return /\b(429|50[0-9])\b|fetch failed|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|unknown error has occurred/i.test(
    text,
  );
}

/**
 * Runs the project's wrangler (`args` start with its bin) in the project's folder with the account's environment,
 * its NDJSON records written to `outputFile` and its logs to `<work>/logs`; answers the run and the records.
 */
export async function runWrangler(
  worker: WorkerConfig,
  args: string[],
  account: CloudflareAccount,
  env: Record<string, string | undefined>,
  work: string,
  outputFile: string,
): Promise<{ run: { code: number; output: string }; records: OutputRecord[] }> {
  const run = await runProcess(process.execPath, args, worker.projectDir, {
    ...wranglerEnv(account, env),
    WRANGLER_OUTPUT_FILE_PATH: outputFile,
    WRANGLER_LOG_PATH: join(work, 'logs'),
  });
  return { run, records: readRecords(outputFile) };
}

function readRecords(file: string): OutputRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as OutputRecord];
      } catch {
        return [];
      }
    });
}

function tail(output: string): string {
  return output.trim().split('\n').slice(-15).join('\n');
}
