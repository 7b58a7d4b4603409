import { CHART_SCRIPT, chartAssets, selfContainedPage } from '../../report/index.ts';
import { REPORT_STYLE } from '../../report/report-style.ts';
import { DASHBOARD_SCRIPT } from './page-script.ts';

const STYLE = `
body { max-width: 1500px; }
.layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(320px, 2fr); gap: 24px; }
#phases { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
.component { border-left: 3px solid #dee2e6; padding-left: 10px; margin: 8px 0; }
.judge { font-weight: 600; }
form.act { margin: 8px 0; display: flex; gap: 8px; } form.act input[name=reason] { flex: 1; }
.status { color: #868e96; font-size: 12px; }
`;

function actionForm(action: string, label: string, extra = ''): string {
  return `<form class="act" id="form-${action}"><input name="reason" required placeholder="reason for ${action} (required)" aria-label="reason for ${action}">${extra}<button id="do-${action}" type="submit">${label}</button></form>`;
}

const BODY = `<h1 id="title">shipshape dashboard</h1>
<p class="status"><span id="link">connecting</span> · <span id="updated"></span> · acting as <span id="actor"></span></p>
<div class="layout">
<main>
<h2>Release</h2>
<p id="release">no release yet</p>
<ul id="phases"></ul>
<div id="now"></div>
<section id="metrics"><h2>Error rate and latency</h2>
<p class="legend">Dashed lines: traffic steps. Red line: rollback. Ticks at the bottom: the judge's verdicts (green low, orange medium, violet inconclusive, red high).</p>
<div id="charts"></div></section>
<h2>Checks</h2><div id="checks"></div>
<h2>Actions</h2><div id="actions"></div>
</main>
<aside>
<h2>Act</h2>
${actionForm('promote', 'Promote')}
${actionForm('abort', 'Abort')}
${actionForm('rollback', 'Roll back', '<select name="component" id="rollback-component" hidden aria-label="component"></select>')}
<p id="result" role="status"></p>
<h2>Serving now</h2><div id="serving"></div>
<h2>Flags</h2><p id="kill"></p><div id="flags"></div>
<h2>History</h2><div id="history"></div>
</aside>
</div>`;

/**
 * The dashboard's one page: uPlot, the report's chart code and the dashboard's script inlined, a CSP that admits
 * only them (by hash) and connections back to the dashboard itself. It holds no data: the state arrives over
 * `/events` once the page has loaded.
 */
export function dashboardPage(): string {
  const assets = chartAssets();
  return selfContainedPage({
    title: 'shipshape dashboard',
    body: BODY,
    styles: [assets.css, REPORT_STYLE, STYLE],
    scripts: [assets.script, CHART_SCRIPT, DASHBOARD_SCRIPT],
    connectSelf: true,
  });
}
