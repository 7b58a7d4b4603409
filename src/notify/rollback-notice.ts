import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventOf } from '../events/types.ts';

/** A rollback that is done, as its notice tells it: the `rollback.finished` record to be, and why. */
export interface RollbackNotice {
  finished: Omit<EventOf<'rollback.finished'>, 'v' | 'ts' | 'release'>;
  reason: string;
}

/** One delivery of a rollback's notice. */
export interface Recipient {
  url: string;
  body: unknown;
  label: string;
}

/**
 * Who hears of a finished rollback, and what: Slack a line naming the version put back and why; each webhook
 * listening for `rollback.finished` (or `*`) the `rollback.finished` record itself, as --json prints it.
 * @example rollbackRecipients(config, 'r-1', { finished: { type: 'rollback.finished', ok: true, to: 'v1', durationMs: 900 }, reason: 'errors' })
 */
export function rollbackRecipients(
  config: ResolvedConfig,
  release: string | null,
  notice: RollbackNotice,
): Recipient[] {
  const recipients: Recipient[] = [];
  const record = { v: 1, ts: new Date().toISOString(), release, ...notice.finished };
  for (const hook of config.notify.webhooks)
    if (hook.events.includes('rollback.finished') || hook.events.includes('*'))
      recipients.push({ url: hook.url, body: record, label: `webhook ${new URL(hook.url).host}` });
  const slack = config.notify.slack;
  if (slack)
    recipients.push({
      url: slack.webhook,
      body: { text: rollbackLine(config, release, notice) },
      label: 'Slack webhook',
    });
  return recipients;
}

/** Slack's line for a finished rollback. */
export function rollbackLine(config: ResolvedConfig, release: string | null, notice: RollbackNotice): string {
  const where = `${config.worker.name}${config.env ? ` (${config.env})` : ''}`;
  const to = notice.finished.to;
  const back = to ? `rolled back to ${to.slice(0, 8)}` : 'rolled back (its version is pinned-only again)';
  return `⏪ ${where}: release ${release ?? '-'} ${back}: ${notice.reason}`;
}
