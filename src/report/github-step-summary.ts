import type { ShipshapeEvent } from '../events/types.ts';
import { ciRunUrl } from '../notify/links.ts';
import { createRedactor } from '../redact/redact.ts';
import { type Bands, DEFAULT_BANDS } from './format.ts';
import { renderMarkdown } from './markdown.ts';
import { summarize } from './summarize.ts';

export interface StepSummaryOptions {
  /** The process environment: GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID make the link; secrets are hidden. */
  env: Record<string, string | undefined>;
  /** Values to hide besides the secret-looking env vars (`.dev.vars` secrets). */
  secrets?: string[];
  bands?: Bands;
}

/**
 * A short Markdown account of a run for `$GITHUB_STEP_SUMMARY`: the release report's header (outcome, score,
 * versions; the verdict is its outcome), the table of the phases that ran, the rollback with its cause, what
 * people did (who and why), any errors, and a link to the run's artifacts where the full report is. A run that
 * finished no release (`check`, `verify`) gets an outcome line naming the phases it ran.
 * Redacted like the report it is cut from.
 * @example appendFileSync(env.GITHUB_STEP_SUMMARY, stepSummary(events, { env }))
 */
export function stepSummary(events: ShipshapeEvent[], opts: StepSummaryOptions): string {
  const bands = opts.bands ?? DEFAULT_BANDS;
  const report = renderMarkdown(events, { bands, env: opts.env, secrets: opts.secrets });
  const sections = report.trimEnd().split(/\n\n(?=## )/);
  const released = events.some((e) => e.type === 'release.finished');
  const phases = sections.find((s) => s.startsWith('## Phases')) ?? '';
  const parts = [
    released ? sections[0] : outcomeLine(events, bands),
    // Phases that never started (after a blocked gate, or beyond `check`) would only be noise here.
    phases.replace(/^\|[^\n]*\| pending \|[^\n]*\n?/gm, '').trimEnd(),
    // The cause: the rollback's reason, what it put back and whether it worked.
    sections.find((s) => s.startsWith('## Rollback')) ?? '',
    sections.find((s) => s.startsWith('## Actions')) ?? '',
    sections.find((s) => s.startsWith('## Errors')) ?? '',
    reportLink(opts.env),
  ];
  const text = `${parts.filter(Boolean).join('\n\n')}\n\n`;
  return createRedactor(opts.env, opts.secrets ?? []).text(text);
}

/** `# Gate: fail (0/5)` for a run without a release: each phase it finished, with its status and score. */
function outcomeLine(events: ShipshapeEvent[], bands: Bands): string {
  const s = summarize(events, bands);
  const ran = s.phases.filter((p) => p.status !== 'pending');
  if (ran.length === 0) return s.errors.length > 0 ? '# shipshape: error' : '# shipshape: nothing ran';
  const phase = (p: (typeof ran)[number]) => {
    const failed = p.checks.filter((c) => c.status === 'fail').length;
    const detail = failed > 0 ? `, ${failed} of ${p.checks.length} checks failed` : '';
    return `${p.title}: ${p.status}${p.score === null ? '' : ` (${p.score}/5${detail})`}`;
  };
  return `# ${ran.map(phase).join(' · ')}`;
}

/** A link to the run's artifacts (the journal and `shipshape report`), when the runner says which run this is. */
export function reportLink(env: Record<string, string | undefined>): string {
  const url = ciRunUrl(env);
  if (!url) return '';
  return `Full report and release journal: [this run's artifacts](${url}) (\`shipshape report\`).`;
}
