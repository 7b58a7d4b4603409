import type { ShipshapeEvent } from '../events/types.ts';
import type { CommandIO } from '../io/command-io.ts';
import { Describer } from './describe.ts';
import { type Bands, stamp } from './format.ts';
import type { Reporter } from './reporter-type.ts';

/**
 * CI and non-TTY view: no ANSI, one `[YYYY-MM-DD HH:MM:SS]` line per event (UTC), detail lines (hints,
 * evidence) indented under it, the summary table at the end. Errors go to stderr as `error CODE: message`.
 */
export function createPlainReporter(io: CommandIO, opts: { verbose: boolean; bands: Bands }): Reporter {
  const describer = new Describer(opts);
  return {
    handle(event: ShipshapeEvent) {
      if (event.type === 'error') {
        io.stderr.write(errorText(event, opts.verbose));
        return;
      }
      // The closing summary is a table: only its first line carries the time, so the columns line up.
      const table = event.type === 'release.finished';
      let out = '';
      describer.describe(event).forEach((line, i) => {
        if (line.header) out += '\n';
        if (line.detail) out += `    ${line.text}\n`;
        else if (table && i > 0) out += `${line.text}\n`;
        else out += `[${stamp(event.ts)}] ${line.text}\n`;
      });
      if (out) io.stdout.write(out);
    },
    close() {},
  };
}

/** `error CODE: message` + `  hint: ...` (+ the stack with --verbose); the same shape `printError` prints. */
export function errorText(event: Extract<ShipshapeEvent, { type: 'error' }>, verbose: boolean): string {
  const stack = verbose && event.stack ? `${event.stack}\n` : '';
  return `error ${event.code}: ${event.message}\n  hint: ${event.hint}\n${stack}`;
}
