import type { CommandIO } from '../io/command-io.ts';
import { createRedactor } from '../redact/redact.ts';
import { type Bands, DEFAULT_BANDS } from './format.ts';
import { createJsonReporter } from './json-reporter.ts';
import { createPlainReporter } from './plain-reporter.ts';
import type { Reporter } from './reporter-type.ts';
import { createTtyReporter } from './tty-reporter.ts';

export type ReporterMode = 'tty' | 'plain' | 'json';

export interface ReporterOptions {
  io: CommandIO;
  json: boolean;
  verbose: boolean;
  color: boolean;
  /** Default: `json` with --json, `tty` on a terminal outside CI, else `plain`. */
  mode?: ReporterMode;
  /** Values to hide besides the secret-looking env vars (e.g. `.dev.vars` secrets). */
  secrets?: string[];
  /** Score bands for the summary's PASS/WARNING/FAILED; `config.score`, default 80/60. */
  bands?: Bands;
}

/**
 * Picks the reporter for a command and redacts every event once on its way in, before any sink formats it.
 * @example
 * const reporter = createReporter({ io, json: global.json, verbose: global.verbose, color: global.color });
 * const unsubscribe = bus.subscribe(reporter.handle);
 * try { await runPipeline(...) } finally { unsubscribe(); reporter.close(); }
 */
export function createReporter(opts: ReporterOptions): Reporter {
  const mode = opts.mode ?? reporterMode(opts.io, opts.json);
  const bands = opts.bands ?? DEFAULT_BANDS;
  const sink =
    mode === 'json'
      ? createJsonReporter(opts.io, opts)
      : mode === 'tty'
        ? createTtyReporter(opts.io, { verbose: opts.verbose, color: opts.color, bands })
        : createPlainReporter(opts.io, { verbose: opts.verbose, bands });
  const redactor = createRedactor(opts.io.env, opts.secrets ?? []);
  return {
    handle: (event) => sink.handle(redactor.value(event)),
    close: () => sink.close(),
  };
}

/** `json` with --json; `tty` when stdout is a terminal and CI is not set; otherwise `plain`. */
export function reporterMode(io: CommandIO, json: boolean): ReporterMode {
  if (json) return 'json';
  const ci = io.env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
  return io.stdout.isTTY && !inCi ? 'tty' : 'plain';
}
