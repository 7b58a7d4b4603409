import type { ShipshapeEvent } from '../events/types.ts';
import type { CommandIO } from '../io/command-io.ts';
import type { Reporter } from './reporter-type.ts';

/**
 * `--json`: one event per line on stdout (NDJSON), nothing else. Stacks only with `--verbose`, as on the
 * human views. Events arrive already redacted.
 */
export function createJsonReporter(io: CommandIO, opts: { verbose: boolean }): Reporter {
  return {
    handle(event: ShipshapeEvent) {
      const record = event.type === 'error' && !opts.verbose && event.stack ? withoutStack(event) : event;
      io.stdout.write(`${JSON.stringify(record)}\n`);
    },
    close() {},
  };
}

function withoutStack(event: ShipshapeEvent): ShipshapeEvent {
  const { stack: _stack, ...rest } = event as ShipshapeEvent & { stack?: string };
  return rest as ShipshapeEvent;
}
