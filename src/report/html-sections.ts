import { actionSentence } from '../events/action-text.ts';
import { formatDuration, STATUS_ICON, shortId, stamp } from './format.ts';
import { escapeHtml as esc } from './html-page.ts';
import { foldVerdicts, releaseFacts, rollbackResult, versionRows } from './release-facts.ts';
import type { ReleaseSummary } from './summarize.ts';

/** The report's sections after the charts, as HTML; every value escaped here. */
export function htmlSections(s: ReleaseSummary): string[] {
  return [
    phases(s),
    checks(s),
    migrations(s),
    traffic(s),
    verdicts(s),
    versions(s),
    rollback(s),
    actions(s),
    errors(s),
  ];
}

export function htmlHeader(s: ReleaseSummary): string {
  const result =
    s.outcome === 'running'
      ? 'running'
      : `${s.outcome.replace('_', ' ')} · ${s.score === null ? 'no score' : `${s.score}/100`} ${s.status}`;
  const facts = releaseFacts(s, {
    text: esc,
    code: (t) => `<code>${esc(t)}</code>`,
    strong: (t) => `<strong>${esc(t)}</strong>`,
  });
  const band = (s.band ?? s.status).toLowerCase().replace(/\W+/g, '-');
  return `<header><h1>Release <code>${esc(s.release ?? '')}</code>: <span class="outcome ${band}">${esc(result)}</span></h1>
<table class="facts">${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table></header>`;
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function section(id: string, title: string, content: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${content}</section>`;
}

function phases(s: ReleaseSummary): string {
  const rows = s.phases.map((p) => [
    String(p.index),
    esc(p.title),
    `<span class="st ${p.status}">${esc(p.status in STATUS_ICON ? `${STATUS_ICON[p.status as keyof typeof STATUS_ICON]} ${p.status}` : p.status)}</span>`,
    p.score === null ? '-' : `${p.score}/5`,
    p.durationMs === null || p.status === 'skip' ? '-' : esc(formatDuration(p.durationMs)),
    String(p.retries),
  ]);
  return section('phases', 'Phases', table(['#', 'Phase', 'Status', 'Score', 'Duration', 'Retries'], rows));
}

function checks(s: ReleaseSummary): string {
  const parts = s.phases
    .filter((p) => p.checks.length > 0)
    .map((p) => {
      const rows = p.checks.map((c) => [
        `<span class="st ${c.status}">${esc(STATUS_ICON[c.status])}</span>`,
        esc(c.critical ? `${c.name} (critical)` : c.name),
        esc(c.message ?? c.status) +
          (c.hint && c.status !== 'pass' ? `<br><em>hint: ${esc(c.hint)}</em>` : ''),
        String(c.attempt),
        esc(formatDuration(c.durationMs)),
        Object.keys(c.evidence ?? {}).length === 0
          ? '-'
          : `<details><summary>evidence</summary><pre>${esc(JSON.stringify(c.evidence, null, 2))}</pre></details>`,
      ]);
      return `<h3>${p.index}. ${esc(p.title)}</h3>${table(['', 'Check', 'Result', 'Attempt', 'Duration', 'Evidence'], rows)}`;
    });
  return parts.length > 0 ? section('checks', 'Checks', parts.join('')) : '';
}

function migrations(s: ReleaseSummary): string {
  if (s.migrations.length === 0)
    return section('migrations', 'Migrations', '<p>No migration was applied.</p>');
  const items = s.migrations.map((m) => {
    const files =
      m.files.length > 0 ? m.files.map((f) => `<code>${esc(f)}</code>`).join(', ') : 'none pending';
    return `<li><strong>${esc(m.binding)}</strong>: ${files}${m.backup ? `; backup ${esc(m.backup)}` : ''}</li>`;
  });
  return section('migrations', 'Migrations', `<ul>${items.join('')}</ul>`);
}

function traffic(s: ReleaseSummary): string {
  if (s.traffic.length === 0) return '';
  const rows = s.traffic.map((t) => [
    esc(stamp(t.ts)),
    (t.component ? `${esc(t.component)}: ` : '') +
      (t.split.map((x) => `<code>${esc(shortId(x.version))}</code> ${x.percent}%`).join(' / ') ||
        'no traffic'),
  ]);
  return section('traffic', 'Traffic', table(['Time (UTC)', 'Split'], rows));
}

function verdicts(s: ReleaseSummary): string {
  if (s.verdicts.length === 0) return '';
  const rows = foldVerdicts(s.verdicts).map((v) => [
    esc(stamp(v.ts)),
    esc(v.action),
    `<span class="sev ${esc(v.severity)}">${esc(v.severity)}</span>`,
    esc(v.component ? `${v.component}: ${v.reasons}` : v.reasons),
    String(v.times),
  ]);
  return section(
    'verdicts',
    'Judge',
    `<p>Worst severity: <strong>${esc(s.worstSeverity ?? 'none')}</strong></p>${table(['From (UTC)', 'Action', 'Severity', 'Reasons', 'Times'], rows)}`,
  );
}

function versions(s: ReleaseSummary): string {
  const { head, rows } = versionRows(s, (id) => id);
  return rows.length > 0
    ? section(
        'versions',
        'Versions',
        table(
          head,
          rows.map((r) => r.map(esc)),
        ),
      )
    : '';
}

function rollback(s: ReleaseSummary): string {
  const r = s.rollback;
  if (!r) return '';
  const result = rollbackResult(r);
  return section(
    'rollback',
    'Rollback',
    `<ul><li>Reason: ${esc(r.reason)}</li><li>From <code>${esc(shortId(r.from))}</code> to <code>${esc(shortId(r.to))}</code> at ${esc(stamp(r.ts))} UTC</li><li>Result: <strong>${esc(result)}</strong></li></ul>`,
  );
}

function errors(s: ReleaseSummary): string {
  if (s.errors.length === 0) return '';
  const items = s.errors.map(
    (e) => `<li><code>${esc(e.code)}</code>: ${esc(e.message)}<br><em>hint: ${esc(e.hint)}</em></li>`,
  );
  return section('errors', 'Errors', `<ul>${items.join('')}</ul>`);
}

function actions(s: ReleaseSummary): string {
  if (s.actions.length === 0) return '';
  const items = s.actions.map(
    (a) => `<li>${esc(stamp(a.ts))} UTC: ${esc(actionSentence({ ...a, release: null }))}</li>`,
  );
  return section('actions', 'Actions', `<ul>${items.join('')}</ul>`);
}
