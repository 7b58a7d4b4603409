import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventOf } from '../events/types.ts';
import { notificationRecord } from './notification-record.ts';
import { type SlackPayload, slackPayload } from './slack-blocks.ts';
import { whereOf } from './slack-message.ts';

/** A rollback that is done, as its notice tells it: the `rollback.finished` record to be, why, and who. */
export interface RollbackNotice {
  finished: Omit<EventOf<'rollback.finished'>, 'v' | 'ts' | 'release'>;
  reason: string;
  /** The person behind a manual rollback (absent: the judge or a recovery decided it). */
  actor?: string;
  /** The version taken out of traffic. */
  from?: string | null;
}

/** One delivery of a rollback's notice. */
export interface Recipient {
  url: string;
  body: unknown;
  label: string;
}

/**
 * Who hears of a finished rollback, and what: Slack a Block Kit message naming the version put back, why and
 * who; each webhook listening for `rollback.finished` (or `*`) the `rollback.finished` record as --json prints
 * it, versioned (notificationRecord), with `reason` and `actor`.
 * @example rollbackRecipients(config, 'r-1', { finished: { type: 'rollback.finished', ok: true, to: 'v1', durationMs: 900 }, reason: 'errors' }, null)
 */
export function rollbackRecipients(
  config: ResolvedConfig,
  release: string | null,
  notice: RollbackNotice,
  reportUrl: string | null,
): Recipient[] {
  const recipients: Recipient[] = [];
  const record = {
    v: 1,
    ts: new Date().toISOString(),
    release,
    ...notice.finished,
    reason: notice.reason,
    actor: notice.actor ?? null,
  };
  for (const hook of config.notify.webhooks)
    if (hook.events.includes('rollback.finished') || hook.events.includes('*'))
      recipients.push({
        url: hook.url,
        body: notificationRecord(record, config, reportUrl),
        label: `webhook ${new URL(hook.url).host}`,
      });
  const slack = config.notify.slack;
  if (slack)
    recipients.push({
      url: slack.webhook,
      body: rollbackSlack(config, release, notice, reportUrl),
      label: 'Slack webhook',
    });
  return recipients;
}

/** Slack's message for a finished rollback; its fallback text is the one line older clients show. */
export function rollbackSlack(
  config: ResolvedConfig,
  release: string | null,
  notice: RollbackNotice,
  reportUrl: string | null,
): SlackPayload {
  const to = notice.finished.to;
  const back = to ? `rolled back to ${to.slice(0, 8)}` : 'rolled back (its version is pinned-only again)';
  return slackPayload(
    `⏪ ${whereOf(config)}: release ${release ?? '-'} ${back}: ${notice.reason}`,
    [
      ['Outcome', 'rolled back'],
      ['Serving now', to ? to.slice(0, 8) : 'none (pinned-only)'],
      ['Taken out', notice.from?.slice(0, 8)],
      ['Cause', notice.reason],
      ['Actor', notice.actor],
      ['Took', `${(notice.finished.durationMs / 1000).toFixed(1)} s`],
    ],
    { url: reportUrl, release },
  );
}
