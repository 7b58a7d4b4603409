import type { ShipshapeEvent } from '../events/types.ts';
import { createRedactor } from '../redact/redact.ts';
import { chartAssets } from './chart-assets.ts';
import { chartSpecs } from './chart-data.ts';
import { CHART_SCRIPT } from './chart-script.ts';
import { DEFAULT_BANDS } from './format.ts';
import { selfContainedPage } from './html-page.ts';
import { htmlHeader, htmlSections } from './html-sections.ts';
import type { MarkdownOptions } from './markdown.ts';
import { REPORT_STYLE } from './report-style.ts';
import { releaseSeries } from './series.ts';
import { summarize } from './summarize.ts';

const BOOT = `shipshapeCharts.draw(document.getElementById('charts'), JSON.parse(document.getElementById('chart-data').textContent));`;

/**
 * One self-contained HTML page for a release: uPlot and the figures inlined, charts of error rate and latency
 * per version with the traffic steps and verdicts marked, then phases, checks with their evidence, migrations,
 * traffic, the judge's verdicts, the rollback and errors. Opens from a file with no network; its CSP forbids
 * any remote load. Secrets are redacted from the events before anything is written.
 * @example await writeFile('release.html', renderHtml(readJournal(dir, id), { env: process.env }))
 */
export function renderHtml(events: ShipshapeEvent[], opts: MarkdownOptions = {}): string {
  const redactor = createRedactor(opts.env ?? {}, opts.secrets ?? []);
  const clean = redactor.value(events);
  const s = summarize(clean, opts.bands ?? DEFAULT_BANDS);
  const specs = chartSpecs(releaseSeries(clean));
  const charts =
    specs.length > 0
      ? '<div id="charts"></div>'
      : '<div id="charts"><p>No figures: the judge read no metrics during this release.</p></div>';
  const body = [
    htmlHeader(s),
    `<section id="metrics"><h2>Error rate and latency</h2><p class="legend">Dashed lines: traffic steps. Red line: rollback. Ticks at the bottom: the judge's verdicts (green low, orange medium, violet inconclusive, red high).</p>${charts}</section>`,
    ...htmlSections(s),
    `<footer>shipshape report · ${s.release ?? ''}</footer>`,
  ]
    .filter(Boolean)
    .join('\n');
  const assets = chartAssets();
  return selfContainedPage({
    title: `Release ${s.release ?? ''}: ${s.outcome}`,
    body: redactor.text(body),
    styles: [assets.css, REPORT_STYLE],
    scripts: [assets.script, `${CHART_SCRIPT}\n${BOOT}`],
    data: { 'chart-data': redactor.value(specs) },
  });
}
