export { captureIO } from './capture-io.ts';
export { type Bands, DEFAULT_BANDS, formatDuration, shortId } from './format.ts';
export { type MarkdownOptions, renderMarkdown } from './markdown.ts';
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
  type CheckSummary,
  type PhaseSummary,
  type ReleaseSummary,
  summarize,
  type VersionSummary,
} from './summarize.ts';
