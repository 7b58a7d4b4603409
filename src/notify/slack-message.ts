import type { ResolvedConfig } from '../config/resolved.ts';
import { actionSentence } from '../events/action-text.ts';
import type { ShipshapeEvent } from '../events/types.ts';
import { type SlackPayload, slackPayload } from './slack-blocks.ts';

const ICON: Record<string, string> = {
  promoted: '✅',
  rolled_back: '⏪',
  aborted: '⏹',
  blocked: '⛔',
  failed: '❌',
};

/** What the stream said before an event, that its message names: why the release ended as it did. */
export interface MessageContext {
  cause: string | null;
  /** Where the report is (the CI run's artifacts), if anywhere. */
  url: string | null;
}

/** `app (production)`: the worker and environment a message is about. */
export function whereOf(config: ResolvedConfig): string {
  return `${config.worker.name}${config.env ? ` (${config.env})` : ''}`;
}

/**
 * The Slack message for the events a team wants pushed to a channel (a release's outcome, an action with who
 * and why); null for the rest. A rollback's own message is its `notify` step's (rollback-notice.ts), sent once
 * even across a recovery; so is a manual rollback's, which names its actor and reason, and a manual rollback
 * (unscored) has no outcome message of its own.
 */
export function slackMessage(
  event: ShipshapeEvent,
  config: ResolvedConfig,
  context: MessageContext,
): SlackPayload | null {
  const where = whereOf(config);
  const link = { url: context.url, release: event.release };
  if (event.type === 'release.finished' && event.outcome !== 'planned' && event.scored !== false) {
    const version = event.version ? ` version ${event.version.slice(0, 8)}` : '';
    const title = `${ICON[event.outcome] ?? ''} ${where}: release ${event.release} ${event.outcome.replace('_', ' ')}${version}, score ${event.score}/100`;
    return slackPayload(
      title,
      [
        ['Outcome', event.outcome.replace('_', ' ')],
        ['Score', `${event.score}/100`],
        ['Version', event.version?.slice(0, 8)],
        ['Baseline', event.baseline?.slice(0, 8) ?? (event.version ? 'none (first release)' : null)],
        ['Cause', event.outcome === 'promoted' ? null : context.cause],
        ['Warnings', event.warnings?.join('; ')],
      ],
      link,
    );
  }
  if (event.type === 'action' && event.action !== 'rollback') {
    return slackPayload(
      `👤 ${where}: ${actionSentence(event)}`,
      [
        ['Action', event.action],
        ['Actor', event.actor],
        ['Reason', event.reason ?? '(none given)'],
        ['Release', event.release],
        ...Object.entries(event.detail ?? {}),
      ],
      link,
    );
  }
  return null;
}
