export { type E2eContext, type E2eOutcome, runE2e, versionOverrides } from './e2e.ts';
export {
  type HttpCheckSpec,
  missingHeaders,
  type Problem,
  responseProblems,
  versionProblems,
} from './expectations.ts';
export { type HealthContext, runHealthChecks } from './health.ts';
export { abortableSleep, HTTP_SCORE, type HttpCheckContext, runHttpCheck } from './http-check.ts';
export { firstDifference, type JsonDifference } from './json-subset.ts';
export { percentile, summarize } from './latency.ts';
export { e2ePhaseScore, healthPhaseScore } from './phase-score.ts';
export { type PinnedTarget, type ProbeResponse, ProbeTimeout, probe, reportedVersion } from './probe.ts';
