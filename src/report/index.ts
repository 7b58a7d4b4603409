export { captureIO } from './capture-io.ts';
export { chartAssets } from './chart-assets.ts';
export { type ChartLine, type ChartSpec, chartSpecs, pointCount } from './chart-data.ts';
export { CHART_SCRIPT } from './chart-script.ts';
export { type Bands, DEFAULT_BANDS, formatDuration, shortId } from './format.ts';
export { renderHtml } from './html.ts';
export { escapeHtml, type PageParts, selfContainedPage } from './html-page.ts';
export { type MarkdownOptions, renderMarkdown } from './markdown.ts';
export { POSTMORTEM_OUTCOMES, renderPostmortem } from './postmortem.ts';
export { redactEvent } from './redact-event.ts';
export { bandOf, type ReleaseStatus, releaseStatus } from './release-status.ts';
export {
  createReporter,
  type ReporterMode,
  type ReporterOptions,
  reporterMode,
} from './reporter.ts';
export type { Reporter } from './reporter-type.ts';
export {
  type ChartMark,
  type ComponentSeries,
  releaseSeries,
  type SeriesPoint,
  type VersionSeries,
} from './series.ts';
export {
  type CheckSummary,
  type PhaseSummary,
  type ReleaseSummary,
  summarize,
  type VersionSummary,
} from './summarize.ts';
