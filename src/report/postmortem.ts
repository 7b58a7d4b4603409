import { ShipshapeError } from '../errors/shipshape-error.ts';
import { phaseTitle } from '../events/phases.ts';
import type { Outcome, ShipshapeEvent } from '../events/types.ts';
import { createRedactor } from '../redact/redact.ts';
import { DEFAULT_BANDS, formatDuration, formatRate, shortId, stamp } from './format.ts';
import type { MarkdownOptions } from './markdown.ts';
import { type Detection, type Impact, type PostmortemFacts, postmortemFacts } from './postmortem-facts.ts';
import { rollbackResult } from './release-facts.ts';
import { type ReleaseSummary, summarize } from './summarize.ts';

/** Outcomes worth a post-mortem: the release reached something and had to be undone, or could not finish. */
export const POSTMORTEM_OUTCOMES: ReadonlyArray<Outcome> = ['rolled_back', 'failed', 'aborted'];

const TO_WRITE = '**TO WRITE**';

/**
 * A post-mortem draft in Markdown for a rolled-back, failed or aborted release, under the headings of the
 * seeds' template (summary, timeline, root cause, resolution, lessons, actions, prevention) plus detection and
 * impact: what the journal proves is filled in; what only a person knows (root cause, lessons, actions) is
 * left open and marked TO WRITE. A promoted, blocked or running release throws POSTMORTEM_NOTHING_TO_WRITE_UP.
 * @example await writeFile('postmortem.md', renderPostmortem(readJournal(dir, id), { env: process.env }))
 */
export function renderPostmortem(events: ShipshapeEvent[], opts: MarkdownOptions = {}): string {
  const redactor = createRedactor(opts.env ?? {}, opts.secrets ?? []);
  const clean = redactor.value(events);
  const s = summarize(clean, opts.bands ?? DEFAULT_BANDS);
  if (s.outcome === 'running' || !POSTMORTEM_OUTCOMES.includes(s.outcome))
    throw new ShipshapeError('POSTMORTEM_NOTHING_TO_WRITE_UP', { release: s.release, outcome: s.outcome });
  const f = postmortemFacts(clean);
  const text = [
    title(s),
    '_A draft written by shipshape from the release journal: check what it says, then write the parts marked TO WRITE._',
    summary(s, f),
    `## Timeline (UTC)\n\n${f.timeline.map((t) => `- ${stamp(t.ts).slice(11)} ${t.text}`).join('\n')}`,
    detection(f),
    impact(f.impact, f.badVersions),
    resolution(s),
    `## Root cause\n\n${TO_WRITE}: why the version failed, and why the checks before user traffic did not catch it.`,
    `## Lessons learned\n\n1. What went well: ${TO_WRITE}\n2. What went wrong: ${TO_WRITE}\n3. Where we got lucky: ${TO_WRITE}`,
    `## Action items\n\n- [ ] ${TO_WRITE} (owner, action, due date)\n- [ ] ${TO_WRITE}`,
    `## Prevention\n\n${TO_WRITE}: the check, threshold or test that would have stopped this version earlier.`,
  ].join('\n\n');
  return redactor.text(`${text}\n`);
}

function title(s: ReleaseSummary): string {
  const day = s.startedAt ? stamp(s.startedAt).slice(0, 10) : '';
  return `# Post-mortem: ${day} ${s.worker ?? 'release'} ${s.outcome.replace('_', ' ')} (release ${s.release ?? '?'})`;
}

function summary(s: ReleaseSummary, f: PostmortemFacts): string {
  const i = f.impact;
  const exposure =
    i.exposureMs === null
      ? 'the new version never served user traffic'
      : `the new version served users for ${formatDuration(i.exposureMs)} (up to ${i.peakPercent}% of traffic)`;
  const lines = [
    `- **Date**: ${s.startedAt ? `${stamp(s.startedAt).slice(0, 16)} UTC` : '-'}`,
    `- **Duration**: release ${formatDuration(s.durationMs)}; ${exposure}`,
    `- **Impact**: ${i.requests} requests served by the new version in the judged windows, ${i.errors} failed (${formatRate(i.requests ? i.errors / i.requests : 0)})`,
    `- **Detected by**: ${f.detection ? `${finder(f.detection)}: ${f.detection.signal}` : 'nothing recorded'}`,
    `- **Outcome**: ${s.outcome.replace('_', ' ')}${s.score === null ? '' : ` · ${s.score}/100 ${s.status}`}`,
    `- **Versions**: ${shortId(s.version)} (new) → ${shortId(s.rollback?.to ?? s.baseline)} (serving now)`,
    `- **Root cause**: ${TO_WRITE}`,
  ];
  return `## Summary\n\n${lines.join('\n')}`;
}

/** Who or what found the problem, without the signal itself. */
function finder(d: Detection): string {
  const where = d.component ? ` in ${d.component}` : '';
  switch (d.kind) {
    case 'judge':
      return `the judge (rule \`${d.source}\`)${where}`;
    case 'check':
      return `the check \`${d.source}\``;
    case 'error':
      return `error \`${d.source}\``;
    case 'manual':
      return d.source;
    case 'rollback':
      return 'the rollback';
  }
}

function detection(f: PostmortemFacts): string {
  const d = f.detection;
  if (!d) return '## Detection\n\nThe journal records no failed check, rollback verdict or error.';
  const when =
    d.afterExposureMs !== null
      ? `${formatDuration(d.afterExposureMs)} after the new version first took user traffic (${stamp(f.firstExposure!).slice(11)} UTC)`
      : 'before the new version took any user traffic';
  return [
    '## Detection',
    '',
    `- Signal: ${d.signal}`,
    `- Found by: ${finder(d)}`,
    `- When: ${stamp(d.ts).slice(11)} UTC, ${when}`,
  ].join('\n');
}

function impact(i: Impact, bad: string[]): string {
  const rate = (errors: number, requests: number) => formatRate(requests ? errors / requests : 0);
  const lines = [
    `- Requests served by the new version (${bad.map(shortId).join(', ') || 'none'}): ${i.requests}${i.organic === null ? '' : ` (${i.organic} from users, the rest shipshape's generated traffic and pinned checks)`}, counted over the windows the judge read (requests between its last look and the traffic switch are not in them)`,
    `- Failed requests (5xx or an exception): ${i.errors} (${rate(i.errors, i.requests)}; worst window ${formatRate(i.peakErrorRate)})`,
    `- The previous version over the same windows: ${i.baselineErrors} failed of ${i.baselineRequests} (${rate(i.baselineErrors, i.baselineRequests)})`,
    `- Share of traffic: at most ${i.peakPercent}%${i.exposureMs === null ? '' : `, for ${formatDuration(i.exposureMs)}`}`,
    `- Users on it: ${users(i.clients)}`,
  ];
  return `## Impact\n\n${lines.join('\n')}`;
}

function users(clients: number | null): string {
  if (clients === null) return 'not counted (the target reports no Cloudflare-Workers-Version-Key figures)';
  if (clients === 0) return "not counted: no user's request carried a Cloudflare-Workers-Version-Key";
  return `at least ${clients} distinct clients (users' Cloudflare-Workers-Version-Key values, the most in one judged window)`;
}

function resolution(s: ReleaseSummary): string {
  const r = s.rollback;
  const lines: string[] = [];
  if (r) {
    const result = rollbackResult(r);
    lines.push(
      `- Rolled back from ${shortId(r.from)} to ${shortId(r.to)} at ${stamp(r.ts).slice(11)} UTC: ${result}`,
      `- Why: ${r.reason}`,
    );
  } else {
    const failed = s.phases.find((p) => p.status === 'fail');
    lines.push(
      `- No rollback ran: the release stopped${failed ? ` in ${phaseTitle(failed.phase)}` : ''} before the new version took traffic.`,
    );
  }
  for (const m of s.migrations.filter((x) => x.files.length > 0))
    lines.push(
      `- Database ${m.binding}: ${m.files.join(', ')} stay applied (a rollback returns code only; \`shipshape migrations rollback\` undoes them)${m.backup ? `; backup ${m.backup}` : ''}`,
    );
  return `## Resolution\n\n${lines.join('\n')}`;
}
