/**
 * Everything a command touches outside itself, passed in so the CLI runs in-process in tests. The CLI binds it to
 * the real process (`processIO` in src/cli/io.ts); reporters and the demo write through it.
 */
export interface CommandIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  now: () => Date;
  /** Resolves when the user presses Ctrl-C (SIGINT/SIGTERM); never resolves in tests unless they say so. */
  signal?: AbortSignal;
}
