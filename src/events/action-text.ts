import type { ActionName, EventOf } from './types.ts';

/** What each action did, as the sentence after its actor says it. */
export const ACTION_VERB: Record<ActionName, string> = {
  rollback: 'rolled back',
  promote: 'promoted',
  abort: 'aborted',
  'emergency.stop': 'pulled the emergency stop',
  'emergency.resume': 'lifted the emergency stop',
  'flags.set': 'set a flag',
  'flags.unset': 'unset a flag',
  recover: 'recovered the crashed release',
  'lock.takeover': 'took over a stale lock',
};

/**
 * One sentence saying who did what, to which release, and why: the same words in the terminal, the report,
 * Slack and the job summary.
 * @example actionSentence(event) // 'Ada <ada@example.com> aborted release r-1 (to 3f9a01c2): too slow'
 */
export function actionSentence(event: EventOf<'action'>, opts: { requested?: boolean } = {}): string {
  const release = event.release ? ` release ${event.release}` : '';
  const detail = Object.entries(event.detail ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const component = event.component ? `[${event.component}] ` : '';
  const why = event.reason ? `: ${event.reason}` : ' (no reason given)';
  // A request (`promote`/`abort` run beside the release) is acted on by the release within one interval.
  const verb = opts.requested ? `asked to ${event.action}` : ACTION_VERB[event.action];
  return `${component}${event.actor} ${verb}${release}${detail ? ` (${detail})` : ''}${why}`;
}
