import { readDevVars } from '../../config/dev-vars.ts';
import { formatDuration } from '../../config/duration.ts';
import { redact } from '../../redact/redact.ts';
import type { CheckResult } from '../check.ts';
import { tailLines } from '../shared/result.ts';
import { runCommand } from '../shared/run-command.ts';
import { HTTP_SCORE, type HttpCheckContext } from './http-check.ts';

/** The exact `Cloudflare-Workers-Version-Overrides` value that pins `version` of `worker`. */
export function versionOverrides(worker: string, version: string): string {
  return `${worker}="${version}"`;
}

/**
 * The user's e2e command, run in the project with SHIPSHAPE_URL (the router's base URL),
 * SHIPSHAPE_VERSION_ID and SHIPSHAPE_VERSION_OVERRIDES (the pin header's value) in its env.
 */
export async function runE2eCommand(ctx: HttpCheckContext, command: string): Promise<CheckResult> {
  const url = (await ctx.target.url()).replace(/\/+$/, '');
  const overrides = [
    versionOverrides(ctx.config.worker.name, ctx.version),
    ...Object.entries(ctx.pins ?? {}).map(([worker, version]) => versionOverrides(worker, version)),
  ].join(', ');
  const env = {
    ...process.env,
    SHIPSHAPE_URL: url,
    SHIPSHAPE_VERSION_ID: ctx.version,
    SHIPSHAPE_VERSION_OVERRIDES: overrides,
  };
  const timeout = ctx.config.e2e.timeout;
  const r = await runCommand(command, {
    cwd: ctx.config.projectDir,
    env,
    timeoutMs: timeout,
    signal: ctx.signal,
  });
  const local = Object.values(readDevVars(ctx.config.projectDir, ctx.config.worker.env).vars);
  const output = redact(r.output, process.env, local);
  const evidence = {
    command,
    exitCode: r.exitCode,
    signal: r.signal,
    timedOut: r.timedOut,
    output,
    truncated: r.truncated,
    url,
    version: ctx.version,
  };
  const base = { name: 'e2e command', attempt: 1, durationMs: r.durationMs, evidence };
  const ok = r.exitCode === 0 && !r.timedOut && !r.spawnError;
  if (ok)
    return {
      ...base,
      status: 'pass',
      score: HTTP_SCORE.pass,
      message: `e2e command passed in ${formatDuration(r.durationMs)}.`,
    };
  const why = r.spawnError
    ? `could not start: ${r.spawnError}`
    : r.timedOut
      ? `timed out after ${formatDuration(timeout)} and was stopped`
      : r.aborted
        ? 'was cancelled'
        : r.exitCode === null
          ? `was killed by ${r.signal}`
          : `exited with code ${r.exitCode}`;
  const tail = tailLines(output, 20);
  return {
    ...base,
    status: 'fail',
    score: HTTP_SCORE.fail,
    message: `e2e command ${why} (${command}).`,
    hint: `It ran against ${url} with Cloudflare-Workers-Version-Overrides: ${overrides}. Last 20 lines:${tail ? `\n${tail}` : ' (no output)'}`,
  };
}
