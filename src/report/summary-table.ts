import type { EventOf } from '../events/types.ts';
import type { Line, Tone } from './describe.ts';
import { type Bands, bandOf, DEFAULT_BANDS, formatDuration, PHASES, phaseNumber, shortId } from './format.ts';

const OUTCOME_TEXT: Record<EventOf<'release.finished'>['outcome'], string> = {
  promoted: 'promoted',
  rolled_back: 'rolled back',
  aborted: 'aborted',
  blocked: 'blocked by the gate',
  failed: 'failed',
  planned: 'planned (dry run)',
};

const RULE = '='.repeat(40);

/** The closing table: phase scores, total /100, band and outcome (seed 004's "score calculation"). */
export function summaryLines(event: EventOf<'release.finished'>, bands: Bands = DEFAULT_BANDS): Line[] {
  const width = Math.max(...PHASES.map((p) => `Phase ${phaseNumber(p.name)} (${p.name}):`.length)) + 1;
  const lines: Line[] = [
    { text: 'RELEASE SUMMARY', tone: 'head', header: true },
    { text: RULE, tone: 'head' },
  ];
  let sum = 0;
  for (const { name } of PHASES) {
    const score = event.phases[name];
    sum += score ?? 0;
    const label = `Phase ${phaseNumber(name)} (${name}):`.padEnd(width);
    const tone: Tone = score === undefined ? 'dim' : score >= 4 ? 'ok' : score >= 2 ? 'warn' : 'bad';
    lines.push({ text: `${label}${score === undefined ? '0/5 (not run)' : `${score}/5`}`, tone });
  }
  const band = bandOf(event.score, event.outcome, bands);
  const why =
    event.outcome !== 'promoted' && event.outcome !== 'planned'
      ? `release ${OUTCOME_TEXT[event.outcome]}`
      : band === 'PASS'
        ? `≥${bands.pass}/100`
        : band === 'WARNING'
          ? `${bands.warn}-${bands.pass - 1}/100`
          : `<${bands.warn}/100`;
  const bandTone: Tone = band === 'PASS' ? 'ok' : band === 'WARNING' ? 'warn' : 'bad';
  const version = event.version ? ` · version ${shortId(event.version)}` : '';
  lines.push(
    { text: '-'.repeat(40), tone: 'dim' },
    { text: `Phases: ${sum}/25`, tone: 'plain' },
    { text: `Total score: ${event.score}/100`, tone: 'head' },
    { text: `Status: ${band} (${why})`, tone: bandTone },
    {
      text: `Outcome: ${OUTCOME_TEXT[event.outcome]}${version} · ${formatDuration(event.durationMs)}`,
      tone: bandTone,
    },
  );
  return lines;
}
