import type { ShipshapeError } from '../errors/shipshape-error.ts';
import type { CommandIO } from '../io/command-io.ts';
import { createRedactor } from '../redact/redact.ts';

/** Prints an error once: NDJSON on stdout with --json, else `error CODE: message` + hint on stderr. */
export function printError(
  error: ShipshapeError,
  io: CommandIO,
  opts: { json: boolean; verbose: boolean; secrets?: string[] },
): void {
  const redactor = createRedactor(io.env, opts.secrets ?? []);
  const stack = opts.verbose ? describeStack(error) : undefined;
  if (opts.json) {
    const record = {
      v: 1,
      type: 'error',
      ts: io.now().toISOString(),
      release: null,
      code: error.code,
      message: error.message,
      hint: error.hint,
      ...(stack ? { stack } : {}),
    };
    io.stdout.write(`${JSON.stringify(redactor.value(record))}\n`);
    return;
  }
  const text = `error ${error.code}: ${error.message}\n  hint: ${error.hint}\n${stack ? `${stack}\n` : ''}`;
  io.stderr.write(redactor.text(text));
}

function describeStack(error: Error): string {
  const parts = [error.stack ?? String(error)];
  let cause = error.cause;
  while (cause instanceof Error) {
    parts.push(`caused by: ${cause.stack ?? cause.message}`);
    cause = cause.cause;
  }
  return parts.join('\n');
}
