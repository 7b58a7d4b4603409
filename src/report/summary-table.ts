import { PHASE_NAMES, phaseNumber } from '../events/phases.ts';
import type { EventOf } from '../events/types.ts';
import { type Bands, DEFAULT_BANDS, formatDuration, shortId } from './format.ts';
import type { Line, Tone } from './line.ts';
import { outcomeText, releaseStatus } from './release-status.ts';

const RULE = '='.repeat(40);

/** The closing table: phase scores, total /100, band and outcome (seed 004's "score calculation"). */
export function summaryLines(event: EventOf<'release.finished'>, bands: Bands = DEFAULT_BANDS): Line[] {
  const width = Math.max(...PHASE_NAMES.map((name) => `Phase ${phaseNumber(name)} (${name}):`.length)) + 1;
  const lines: Line[] = [
    { text: 'RELEASE SUMMARY', tone: 'head', header: true },
    { text: RULE, tone: 'head' },
  ];
  let sum = 0;
  for (const name of PHASE_NAMES) {
    const score = event.phases[name];
    sum += score ?? 0;
    const label = `Phase ${phaseNumber(name)} (${name}):`.padEnd(width);
    const tone: Tone = score === undefined ? 'dim' : score >= 4 ? 'ok' : score >= 2 ? 'warn' : 'bad';
    lines.push({ text: `${label}${score === undefined ? '0/5 (not run)' : `${score}/5`}`, tone });
  }
  // The outcome decides the status (release-status.ts); the phase lines above still show where points went.
  const status = releaseStatus(
    {
      outcome: event.outcome,
      score: event.score,
      warnings: event.warnings?.length ?? 0,
      scored: event.scored,
    },
    bands,
  );
  const bandTone: Tone =
    status.band === 'PASS' ? 'ok' : status.band === 'WARNING' ? 'warn' : status.band ? 'bad' : 'plain';
  const version = event.version ? ` · version ${shortId(event.version)}` : '';
  const scored = status.band !== null;
  lines.push(
    { text: '-'.repeat(40), tone: 'dim' },
    { text: `Phases: ${sum}/${PHASE_NAMES.length * 5}`, tone: 'plain' },
    scored
      ? { text: `Total score: ${event.score}/100`, tone: 'head' }
      : { text: 'Total score: none', tone: 'dim' },
    { text: `Status: ${status.label} (${status.why})`, tone: bandTone },
  );
  for (const warning of event.warnings ?? []) lines.push({ text: `Warning: ${warning}`, tone: 'warn' });
  if (event.decidedBy)
    lines.push({ text: `Decided by: ${event.decidedBy} (its signal rolled the release back)`, tone: 'bad' });
  for (const c of event.components ?? [])
    lines.push({
      text: `Component ${c.name}: ${shortId(c.version)} (previous ${shortId(c.baseline)})`,
      tone: 'plain',
    });
  lines.push({
    text: `Outcome: ${outcomeText(event.outcome)}${event.components ? '' : version} · ${formatDuration(event.durationMs)}`,
    tone: bandTone,
  });
  return lines;
}
