import { projectSecrets } from '../../config/dev-vars.ts';
import type { ResolvedConfig } from '../../config/resolved.ts';
import type { EventBody } from '../../events/types.ts';
import { flagDefinitions } from '../../flags/definitions.ts';
import type { AuditEntry, FlagDefinitions, FlagValue } from '../../flags/flag-types.ts';
import { openFlagStore } from '../../flags/open-store.ts';
import type { FlagStore } from '../../flags/store.ts';
import type { CommandIO } from '../../io/command-io.ts';
import { announceAction } from '../../notify/announce.ts';
import { createRedactor, redact } from '../../redact/redact.ts';
import { summarizeAction } from '../../report/github-action-line.ts';
import type { CommandContext } from '../define-command.ts';
import { keptReason } from '../kept-reason.ts';
import { openProject } from '../project.ts';

export interface FlagSession {
  config: ResolvedConfig;
  definitions: FlagDefinitions;
  /** Opens the target's KV only when called, so input is checked before anything is touched. */
  withStore<T>(fn: (store: FlagStore) => Promise<T>): Promise<T>;
}

/** Loads the config for `--cwd/--env` and hands out the flag store of its target; the target is always closed. */
export async function flagSession(ctx: CommandContext): Promise<FlagSession> {
  const project = await openProject(ctx.global, ctx.io);
  const { config } = project;
  return {
    config,
    definitions: flagDefinitions(config),
    async withStore(fn) {
      try {
        return await fn(openFlagStore(config, await project.target()));
      } finally {
        await project.close();
      }
    },
  };
}

/** A value as people read it: strings quoted, no override shown as "-". */
export function formatValue(value: FlagValue | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Writes one NDJSON record (v, type, ts) with secrets redacted (`secrets`: the project's `.dev.vars` values). */
export function writeJson(
  io: CommandIO,
  type: string,
  body: Record<string, unknown>,
  secrets: string[] = [],
): void {
  const record = { v: 1, type, ts: io.now().toISOString(), ...body };
  io.stdout.write(`${JSON.stringify(createRedactor(io.env, secrets).value(record))}\n`);
}

export function writeText(io: CommandIO, text: string, secrets: string[] = []): void {
  io.stdout.write(redact(text, io.env, secrets));
}

/** `--reason`, redacted (kept-reason.ts): the flags' audit trail in KV never holds a pasted secret. */
export function flagReason(ctx: CommandContext, config: ResolvedConfig): string | null {
  return keptReason(ctx.args.reason, ctx.io.env, config);
}

/** Left-aligned columns, two spaces apart. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `old → new`, where no override reads "(default)". */
export function describeChange(entry: AuditEntry): string {
  const side = (v: FlagValue | null) => (v === null ? '(default)' : formatValue(v));
  return `${side(entry.old)} → ${side(entry.new)}`;
}

/** One line per change: `NAME: old → new`. */
export function describeChanges(entries: AuditEntry[]): string {
  return entries.map((e) => `  ${e.flag}: ${describeChange(e)}\n`).join('');
}

/** The option as a trimmed string, or null when absent or blank. */
export function stringOption(ctx: CommandContext, name: string): string | null {
  const value = ctx.args[name];
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/**
 * Announces a flag change or the emergency stop: journaled in `.shipshape/actions.ndjson`, sent to the
 * notifiers, a line in the CI job's summary. A notification that failed is a warning on stderr (and in that
 * journal); the change stands and the exit code is unchanged.
 */
export async function announceFlagAction(
  ctx: CommandContext,
  config: ResolvedConfig,
  action: Omit<Extract<EventBody, { type: 'action' }>, 'type'>,
): Promise<void> {
  const [event, ...rest] = await announceAction(
    config,
    ctx.io.env,
    { type: 'action', ...action },
    ctx.io.now,
  );
  summarizeAction(ctx.io, event, projectSecrets(config));
  for (const record of rest)
    if (record.type === 'log') ctx.io.stderr.write(redact(`warning: ${record.message}\n`, ctx.io.env));
}

/** The changes as an action's detail: `NAME: old → new` joined. */
export function changeDetail(entries: AuditEntry[]): Record<string, string> {
  return { changes: entries.map((e) => `${e.flag}: ${describeChange(e)}`).join(', ') };
}
