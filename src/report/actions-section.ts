import { actionSentence } from '../events/action-text.ts';
import { stamp } from './format.ts';
import type { ReleaseSummary } from './summarize.ts';

/**
 * The report's `## Actions`: each thing a person (or the recovering platform) did to the release, when, who
 * and why, one sentence a line. Empty when nobody acted.
 */
export function actionsMarkdown(s: Pick<ReleaseSummary, 'actions'>): string {
  if (s.actions.length === 0) return '';
  const lines = s.actions.map((a) => `- ${stamp(a.ts)} UTC: ${actionSentence({ ...a, release: null })}`);
  return `## Actions\n\n${lines.join('\n')}`;
}
