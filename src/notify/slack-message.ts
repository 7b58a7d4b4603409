import type { ResolvedConfig } from '../config/resolved.ts';
import type { ShipshapeEvent } from '../events/types.ts';

const ICON: Record<string, string> = {
  promoted: '✅',
  rolled_back: '⏪',
  aborted: '⏹',
  blocked: '⛔',
  failed: '❌',
};

/**
 * The one-line Slack text for the events a team wants pushed to a channel; null for the rest. A rollback's own
 * line is its `notify` step's (rollback-notice.ts), sent once even across a recovery.
 */
export function slackMessage(event: ShipshapeEvent, config: ResolvedConfig): string | null {
  const where = `${config.worker.name}${config.env ? ` (${config.env})` : ''}`;
  if (event.type === 'release.finished' && event.outcome !== 'planned') {
    const version = event.version ? ` version ${event.version.slice(0, 8)}` : '';
    return `${ICON[event.outcome] ?? ''} ${where}: release ${event.release} ${event.outcome.replace('_', ' ')}${version}, score ${event.score}/100`;
  }
  return null;
}
