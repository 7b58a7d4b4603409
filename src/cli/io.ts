import type { CommandIO } from '../io/command-io.ts';

/** The real process's cwd, env, streams and clock. */
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
