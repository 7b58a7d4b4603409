/** Everything a command touches outside itself, passed in so the CLI runs in-process in tests. */
export interface CommandIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  now: () => Date;
  /** Resolves when the user presses Ctrl-C (SIGINT/SIGTERM); never resolves in tests unless they say so. */
  signal?: AbortSignal;
}

export function processIO(): CommandIO {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => new Date(),
  };
}
