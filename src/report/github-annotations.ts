import type { ShipshapeEvent } from '../events/types.ts';

/**
 * A workflow command's message, escaped as GitHub's toolkit does (`toCommandValue` + `escapeData`): `%` first so
 * the other escapes are not read back as data, then CR and LF, which would end the command early.
 * @example escapeData('50%\nmore') // '50%25%0Amore'
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * A workflow command's property value: the message's escapes plus `:` (which ends the properties) and `,`
 * (which separates them).
 * @example escapeProperty('env: required, prod') // 'env%3A required%2C prod'
 */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One workflow command line, `::name key=value,...::message`, without the line ending.
 * @example workflowCommand('error', { title: 'clean tree' }, '1 uncommitted change') // '::error title=clean tree::1 uncommitted change'
 */
export function workflowCommand(name: string, properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/**
 * The annotation a gate check earns: `::error` for a failure, `::warning` for a warning, titled with the check
 * (and its component), the message followed by the hint in brackets. Null for every other event. The event must
 * already be redacted.
 * @example gateAnnotation(failedCleanTree) // '::error title=clean tree::1 uncommitted change (Commit or stash them.)'
 */
export function gateAnnotation(event: ShipshapeEvent): string | null {
  if (event.type !== 'check.finished' || event.phase !== 'gate') return null;
  if (event.status !== 'fail' && event.status !== 'warn') return null;
  const title = event.component ? `${event.component}: ${event.name}` : event.name;
  const message = `${event.message ?? event.status}${event.hint ? ` (${event.hint})` : ''}`;
  return workflowCommand(event.status === 'fail' ? 'error' : 'warning', { title }, message);
}
