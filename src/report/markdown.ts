import type { ShipshapeEvent } from '../events/types.ts';
import { createRedactor } from '../redact/redact.ts';
import { actionsMarkdown } from './actions-section.ts';
import { type Bands, DEFAULT_BANDS, formatDuration, STATUS_ICON, shortId, stamp } from './format.ts';
import { foldVerdicts, releaseFacts, rollbackResult, versionRows } from './release-facts.ts';
import { type ReleaseSummary, summarize } from './summarize.ts';

export interface MarkdownOptions {
  bands?: Bands;
  /** Secret-looking env vars and extra values to redact from the document. */
  env?: Record<string, string | undefined>;
  secrets?: string[];
}

/**
 * A Markdown account of one release: facts, phases, every check, traffic steps, the judge's verdicts
 * (consecutive repeats folded), versions' figures, rollback and errors. Pure apart from redaction.
 * @example await writeFile('release.md', renderMarkdown(journalEvents, { env: process.env }))
 */
export function renderMarkdown(events: ShipshapeEvent[], opts: MarkdownOptions = {}): string {
  // Values first: table-cell escaping could otherwise split a secret that holds `|` or a backslash.
  const redactor = createRedactor(opts.env ?? {}, opts.secrets ?? []);
  const s = summarize(redactor.value(events), opts.bands ?? DEFAULT_BANDS);
  const parts = [
    header(s),
    phases(s),
    checks(s),
    traffic(s),
    verdicts(s),
    versions(s),
    rollback(s),
    actionsMarkdown(s),
    errors(s),
  ];
  const text = `${parts.filter(Boolean).join('\n\n')}\n`;
  return redactor.text(text);
}

/** Makes a value safe inside a table cell. */
function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

function header(s: ReleaseSummary): string {
  const result =
    s.outcome === 'running'
      ? 'running'
      : `${s.outcome.replace('_', ' ')} · ${s.score === null ? 'no score' : `${s.score}/100`} ${s.status}`;
  const facts = releaseFacts(s, { text: (t) => t, code: (t) => `\`${t}\``, strong: (t) => `**${t}**` });
  return `# Release ${s.release ? `\`${s.release}\`` : ''}: ${result}\n\n${table(['', ''], facts)}`;
}

function phases(s: ReleaseSummary): string {
  const rows = s.phases.map((p) => [
    String(p.index),
    p.title,
    p.status === 'pending' || p.status === 'running' ? p.status : `${STATUS_ICON[p.status]} ${p.status}`,
    p.score === null ? '-' : `${p.score}/5`,
    p.durationMs === null || p.status === 'skip' ? '-' : formatDuration(p.durationMs),
    String(p.retries),
  ]);
  return `## Phases\n\n${table(['#', 'Phase', 'Status', 'Score', 'Duration', 'Retries'], rows)}`;
}

function checks(s: ReleaseSummary): string {
  const sections = s.phases
    .filter((p) => p.checks.length > 0)
    .map((p) => {
      const rows = p.checks.map((c) => {
        const note = c.hint && c.status !== 'pass' ? ` (hint: ${c.hint})` : '';
        const name = c.critical ? `${c.name} (critical)` : c.name;
        return [
          STATUS_ICON[c.status],
          name,
          `${c.message ?? c.status}${note}`,
          String(c.attempt),
          formatDuration(c.durationMs),
        ];
      });
      return `### ${p.index}. ${p.title}\n\n${table(['', 'Check', 'Result', 'Attempt', 'Duration'], rows)}`;
    });
  return sections.length > 0 ? `## Checks\n\n${sections.join('\n\n')}` : '';
}

function traffic(s: ReleaseSummary): string {
  if (s.traffic.length === 0) return '';
  const rows = s.traffic.map((t) => [
    stamp(t.ts),
    `${t.component ? `${t.component}: ` : ''}${t.split.map((x) => `\`${shortId(x.version)}\` ${x.percent}%`).join(' / ') || 'no traffic'}`,
  ]);
  return `## Traffic\n\n${table(['Time (UTC)', 'Split'], rows)}`;
}

function verdicts(s: ReleaseSummary): string {
  if (s.verdicts.length === 0) return '';
  const rows = foldVerdicts(s.verdicts).map((v) => [
    stamp(v.ts),
    v.action,
    v.severity,
    v.component ? `${v.component}: ${v.reasons}` : v.reasons,
    String(v.times),
  ]);
  return `## Judge\n\nWorst severity: **${s.worstSeverity}**\n\n${table(['From (UTC)', 'Action', 'Severity', 'Reasons', 'Times'], rows)}`;
}

function versions(s: ReleaseSummary): string {
  const { head, rows } = versionRows(s, (id) => `\`${id}\``);
  return rows.length > 0 ? `## Versions\n\n${table(head, rows)}` : '';
}

function rollback(s: ReleaseSummary): string {
  const r = s.rollback;
  if (!r) return '';
  const result = rollbackResult(r);
  return [
    '## Rollback',
    '',
    `- Reason: ${r.reason}`,
    `- From \`${shortId(r.from)}\` to \`${shortId(r.to)}\` at ${stamp(r.ts)} UTC`,
    `- Result: ${result}`,
  ].join('\n');
}

function errors(s: ReleaseSummary): string {
  if (s.errors.length === 0) return '';
  return `## Errors\n\n${s.errors.map((e) => `- \`${e.code}\`: ${e.message}\n  - hint: ${e.hint}`).join('\n')}`;
}
