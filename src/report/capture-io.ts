import type { CommandIO } from '../io/command-io.ts';

/** A CommandIO whose stdout and stderr are strings: for in-process tests of reporters and commands. */
export interface CapturedIO extends CommandIO {
  out: string[];
  err: string[];
  stdoutText(): string;
  stderrText(): string;
}

/**
 * @example const io = captureIO({ env: { CI: 'true' } }); run(['config'], io); io.stdoutText()
 */
export function captureIO(
  opts: {
    env?: Record<string, string | undefined>;
    isTTY?: boolean;
    columns?: number;
    now?: () => Date;
  } = {},
): CapturedIO {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd: process.cwd(),
    env: opts.env ?? {},
    stdout: { write: (chunk: string) => out.push(chunk), isTTY: opts.isTTY ?? false, columns: opts.columns },
    stderr: { write: (chunk: string) => err.push(chunk), isTTY: opts.isTTY ?? false },
    now: opts.now ?? (() => new Date()),
    out,
    err,
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
  };
}
