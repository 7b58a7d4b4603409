import { appendFileSync } from 'node:fs';
import type { ShipshapeEvent } from '../events/types.ts';
import type { CommandIO } from '../io/command-io.ts';
import { createRedactor } from '../redact/redact.ts';
import type { Bands } from './format.ts';
import { gateAnnotation } from './github-annotations.ts';
import { stepSummary } from './github-step-summary.ts';
import type { Reporter } from './reporter-type.ts';

export interface GithubActionsOptions {
  io: CommandIO;
  /** `--json`: stdout holds NDJSON only, so annotations go to stderr (the runner reads commands on both). */
  json: boolean;
  /** Values to hide besides the secret-looking env vars (`.dev.vars` secrets). */
  secrets?: string[];
  bands?: Bands;
}

/**
 * `reporter`, plus what a GitHub Actions job shows: with `GITHUB_ACTIONS=true`, an `::error`/`::warning` annotation
 * for every failing or warning gate check; with `GITHUB_STEP_SUMMARY` (a file), a short Markdown summary appended
 * when each release finishes (or, for a run without a release such as `check`, when the reporter closes). Outside
 * GitHub Actions it returns `reporter` itself. Every event is redacted as it enters, as the views do.
 * @example const reporter = withGithubActions(createReporter(opts), { io, json: global.json, secrets });
 */
export function withGithubActions(reporter: Reporter, opts: GithubActionsOptions): Reporter {
  const { io } = opts;
  const annotate = io.env.GITHUB_ACTIONS === 'true';
  const summaryFile = io.env.GITHUB_STEP_SUMMARY || null;
  if (!annotate && !summaryFile) return reporter;
  const redactor = createRedactor(io.env, opts.secrets ?? []);
  const commands = opts.json ? io.stderr : io.stdout;
  const events: ShipshapeEvent[] = [];
  let summarized = false;
  let closed = false;

  const writeSummary = (run: ShipshapeEvent[]) => {
    if (!summaryFile) return;
    const text = stepSummary(run, { env: io.env, secrets: opts.secrets, bands: opts.bands });
    try {
      appendFileSync(summaryFile, text);
    } catch (error) {
      // The release itself is not at stake: say so once and carry on.
      const reason = error instanceof Error ? error.message : String(error);
      io.stderr.write(redactor.text(`shipshape: could not write the job summary: ${reason}\n`));
    }
  };

  return {
    handle(raw) {
      reporter.handle(raw);
      const event = redactor.value(raw);
      if (summaryFile) events.push(event);
      const line = annotate ? gateAnnotation(event) : null;
      if (line) commands.write(`${redactor.text(line)}\n`);
      if (event.type === 'release.finished') {
        summarized = true;
        writeSummary(events.filter((e) => e.release === event.release));
      }
    },
    close() {
      reporter.close();
      if (closed) return;
      closed = true;
      const ran = events.some((e) => e.type === 'phase.finished' || e.type === 'error');
      if (!summarized && ran) writeSummary(events);
    },
  };
}
