import { appendFileSync } from 'node:fs';
import { actionSentence } from '../events/action-text.ts';
import type { EventOf } from '../events/types.ts';
import type { CommandIO } from '../io/command-io.ts';
import { createRedactor } from '../redact/redact.ts';

/**
 * In a CI job (`$GITHUB_STEP_SUMMARY` set), appends one line to the job's summary saying who did what and why:
 * the record of a manual action run from a workflow (promote, abort, a flag change, the emergency stop). Redacted;
 * a summary that cannot be written is said on stderr and changes nothing else.
 * @example summarizeAction(io, { type: 'action', action: 'abort', actor: 'ci-bot', reason: 'smoke test failed', … })
 */
export function summarizeAction(
  io: CommandIO,
  event: Pick<EventOf<'action'>, 'action' | 'actor' | 'reason' | 'release' | 'detail' | 'component'>,
  secrets: string[] = [],
  opts: { requested?: boolean } = {},
): void {
  const file = io.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const redactor = createRedactor(io.env, secrets);
  const sentence = actionSentence({ v: 1, ts: '', type: 'action', ...event }, opts);
  const line = `- 👤 ${sentence}\n`;
  try {
    appendFileSync(file, redactor.text(line));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr.write(redactor.text(`shipshape: could not write the job summary: ${reason}\n`));
  }
}
