import { formatDuration, formatMs, formatRate, formatRps, shortId, stamp } from './format.ts';
import type { ReleaseSummary } from './summarize.ts';

/** How a document marks up the facts' pieces: Markdown passes text through, HTML escapes it. */
export interface FactMarkup {
  text(value: string): string;
  code(value: string): string;
  strong(value: string): string;
}

/**
 * The release's facts as `[label, value]` rows (worker, versions, plan, migrations, components, score,
 * warnings), values already marked up: the Markdown and HTML reports show the same table.
 */
export function releaseFacts(s: ReleaseSummary, m: FactMarkup): Array<[string, string]> {
  const id = (version: string | null) => (version ? m.code(shortId(version)) : m.text('none'));
  const facts: Array<[string, string]> = [
    ['Worker', m.text(s.worker ?? '-')],
    ['Environment', m.text(s.env ?? '-')],
    ['Target', m.text(s.target ?? '-')],
    ['Baseline', id(s.baseline)],
    ['Version', id(s.version)],
    ['Started', m.text(s.startedAt ? `${stamp(s.startedAt)} UTC` : '-')],
    ['Duration', m.text(formatDuration(s.durationMs))],
  ];
  if (s.dryRun) facts.push(['Dry run', m.text('yes')]);
  if (s.plan) {
    const monitor = s.plan.monitorMs > 0 ? ` → monitor ${formatDuration(s.plan.monitorMs)}` : '';
    facts.push(['Rollout plan', m.text(`${s.plan.steps.join(' → ')}${monitor}`)]);
  }
  for (const g of s.migrations) {
    const files = g.files.length > 0 ? g.files.join(', ') : 'none pending';
    facts.push([`Migrations (${g.binding})`, m.text(`${files}${g.backup ? `; backup ${g.backup}` : ''}`)]);
  }
  for (const c of s.components)
    facts.push([
      `Component ${c.name}`,
      `${id(c.version)}${m.text(' (previous ')}${id(c.baseline)}${m.text(')')}`,
    ]);
  if (s.decidedBy)
    facts.push(['Decided by', `${m.strong(s.decidedBy)}${m.text(': its signal rolled the release back')}`]);
  if (s.score !== null) facts.push(['Score', `${m.strong(`${s.score}/100`)}${m.text(` (${s.status})`)}`]);
  for (const warning of s.warnings) facts.push(['Warning', m.text(warning)]);
  return facts;
}

/** One line per run of identical verdicts (same component, action and severity), with how many it folds. */
export interface FoldedVerdict {
  ts: string;
  action: string;
  severity: string;
  component: string | null;
  reasons: string;
  times: number;
}

/** The judge looks every interval; consecutive repeats of a verdict say nothing new, so they are counted. */
export function foldVerdicts(verdicts: ReleaseSummary['verdicts']): FoldedVerdict[] {
  const out: FoldedVerdict[] = [];
  let previous = '';
  for (const v of verdicts) {
    const key = `${v.component ?? ''}/${v.action}/${v.severity}`;
    if (key === previous) {
      out[out.length - 1].times += 1;
      continue;
    }
    previous = key;
    out.push({
      ts: v.ts,
      action: v.action,
      severity: v.severity,
      component: v.component ?? null,
      reasons: v.reasons.map((r) => r.message).join('; ') || '-',
      times: 1,
    });
  }
  return out;
}

/** How the rollback ended, in words. */
export function rollbackResult(r: NonNullable<ReleaseSummary['rollback']>): string {
  if (r.ok === null) return 'did not finish';
  return r.ok ? `done in ${formatDuration(r.durationMs ?? 0)}` : 'FAILED: a person must act';
}

/** The versions table (each measured version's last and peak figures); `version` marks up its short id. */
export function versionRows(
  s: ReleaseSummary,
  version: (id: string) => string,
): { head: string[]; rows: string[][] } {
  const head = [
    'Role',
    'Version',
    'Final traffic',
    'Last rate',
    'Last errors',
    'Last p95',
    'Peak errors',
    'Peak p95',
  ];
  const rows = s.versions
    .filter((v) => v.last)
    .map((v) => [
      v.role,
      version(shortId(v.version)),
      `${v.percent}%`,
      formatRps(v.last!.rps),
      formatRate(v.last!.errorRate),
      formatMs(v.last!.p95),
      formatRate(v.peakErrorRate),
      formatMs(v.peakP95),
    ]);
  return { head, rows };
}
