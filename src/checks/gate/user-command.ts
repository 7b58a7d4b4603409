import { resolve } from 'node:path';
import { readDevVars } from '../../config/dev-vars.ts';
import { formatDuration } from '../../config/duration.ts';
import type { ResolvedConfig } from '../../config/resolved.ts';
import { redact } from '../../redact/redact.ts';
import type { GateCheck } from '../check.ts';
import { gateResult, tailLines } from '../shared/result.ts';
import { runCommand } from '../shared/run-command.ts';

type UserCheck = ResolvedConfig['gates']['checks'][number];

/** Lines of output shown on failure; the journal keeps it all. */
const TAIL = 20;

/**
 * One user check (tests, typecheck, lint, format…): a shell command run in the project with its timeout.
 * The full output (redacted) goes to the evidence for the journal; the last lines go to the hint on failure.
 */
export function userCommandCheck(check: UserCheck): GateCheck {
  return {
    name: check.name,
    async run(ctx) {
      const cwd = resolve(ctx.config.projectDir, check.cwd ?? '.');
      const r = await runCommand(check.command, {
        cwd,
        env: ctx.env,
        timeoutMs: check.timeout,
        signal: ctx.signal,
      });
      // .dev.vars holds secrets whatever their names look like: hide every value it has too.
      const local = Object.values(readDevVars(ctx.config.projectDir, ctx.config.worker.env).vars);
      const output = redact(r.output, ctx.env, local);
      const evidence = {
        command: check.command,
        cwd,
        exitCode: r.exitCode,
        signal: r.signal,
        timedOut: r.timedOut,
        output,
        truncated: r.truncated,
      };
      const tail = tailLines(output, TAIL);
      const shownTail = tail ? `\n${tail}` : '';
      if (r.spawnError) {
        return gateResult(check.name, 'fail', {
          message: `"${check.name}" could not start: ${r.spawnError}`,
          hint: `Check that ${cwd} exists and a POSIX shell is available.`,
          evidence: { ...evidence, spawnError: r.spawnError },
        });
      }
      if (r.timedOut) {
        return gateResult(check.name, 'fail', {
          message: `"${check.name}" timed out after ${formatDuration(check.timeout)} and was stopped (${check.command}).`,
          hint: `Raise its timeout in gates.checks or make it faster. Last output:${shownTail}`,
          evidence,
        });
      }
      if (r.aborted) {
        return gateResult(check.name, 'fail', { message: `"${check.name}" was cancelled.`, evidence });
      }
      if (r.exitCode !== 0) {
        const how = r.exitCode === null ? `was killed by ${r.signal}` : `exited with code ${r.exitCode}`;
        return gateResult(check.name, 'fail', {
          message: `"${check.name}" ${how} (${check.command}).`,
          hint: `Fix what it reports, then deploy again. Last ${TAIL} lines:${shownTail}`,
          evidence,
        });
      }
      return gateResult(check.name, 'pass', {
        message: `"${check.name}" passed in ${formatDuration(r.durationMs)}.`,
        evidence,
      });
    },
  };
}
