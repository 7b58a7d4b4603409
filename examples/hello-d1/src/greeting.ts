import type { FlagSnapshot } from 'shipshape/flags';
import type { FLAG_DEFINITIONS } from './flag-definitions';

/** GET /api/greeting?user=ID: the new greeting when NEW_GREETING_ENABLED, or for users inside the rollout. */
export function greeting(url: URL, flags: FlagSnapshot<typeof FLAG_DEFINITIONS>): Response {
  const user = url.searchParams.get('user');
  const enabled = flags.get('NEW_GREETING_ENABLED');
  const variant = enabled || flags.enabled('GREETING_ROLLOUT', user) ? 'new' : 'classic';
  const message =
    variant === 'new' ? `Welcome aboard${user ? `, ${user}` : ''}!` : `Hello${user ? `, ${user}` : ''}.`;
  return Response.json({ message, variant, flags: { NEW_GREETING_ENABLED: enabled } });
}
