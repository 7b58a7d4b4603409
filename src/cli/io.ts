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
    stdout: quietOnClosedPipe(process.stdout),
    stderr: quietOnClosedPipe(process.stderr),
    now: () => new Date(),
  };
}

/**
 * stdout that stops writing, quietly, once its reader has gone (`shipshape status | head -1`): the EPIPE is not a
 * crash with a stack trace, and the command still finishes what it started (a deploy piped into head must not
 * stop half-way), only unheard.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): CommandIO['stdout'] {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') closed = true;
    else throw err;
  });
  return {
    write: (chunk: string) => (closed ? true : stream.write(chunk)),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
}
