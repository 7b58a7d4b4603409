import type { SideFinding, WatchEnd } from '../../analysis/rollout-types.ts';
import type { CheckResult } from '../../checks/check.ts';
import { COMPARISON, compareResponses } from '../../checks/http/compare-responses.ts';
import { QUERY_TIME, queryTime } from '../../checks/rollout/query-time.ts';
import { trafficVolume, VOLUME } from '../../checks/rollout/traffic-volume.ts';
import type { ReleaseContext, StagedUnit } from '../context.ts';
import { emitCheck } from '../emit-check.ts';
import { componentOf } from './release.ts';

/**
 * The checks beside the judge, once each step's bake and the monitor window have ended well: at a step below
 * 100%, the response comparison (as in verify, the canary now serving its share) and the canary's share of
 * users' requests; at 100% and in the monitor window, users' requests against before the release; everywhere,
 * D1 query time. Each is a `check.finished` of the rollout phase; a warning or a rollback finding goes back to the rollout.
 */
export function rolloutChecks(
  ctx: ReleaseContext,
  releaseStartedAt: Date,
): (end: WatchEnd) => Promise<SideFinding[]> {
  return async (end) => {
    const unit = ctx.outputs.staged.find((u) => u.name === end.unit.component);
    if (!unit || end.until <= end.since) return [];
    const { analysis } = unit.config;
    const split = end.percent !== null && end.percent < 100 && unit.baseline !== null;
    const span = { since: end.since, until: end.until };
    const checks: Array<[string, () => Promise<CheckResult | null>]> = [];
    if (split && analysis.compare.enabled && analysis.compare.steps)
      checks.push([COMPARISON, () => compareResponses(comparison(ctx, unit))]);
    if (analysis.volume.enabled && (split || end.percent === null || end.percent === 100))
      checks.push([
        VOLUME,
        () =>
          trafficVolume({
            target: unit.target,
            canary: unit.canary,
            baseline: unit.baseline,
            percent: end.percent,
            span,
            releaseStartedAt,
            config: unit.config,
            generated: end.unit.traffic?.enabled ?? false,
          }),
      ]);
    if (analysis.queryTime.enabled)
      checks.push([
        QUERY_TIME,
        () => queryTime({ target: unit.target, span, releaseStartedAt, config: unit.config }),
      ]);
    const findings: SideFinding[] = [];
    for (const [name, run] of checks) {
      const started = performance.now();
      const result = await settled(ctx, name, run);
      if (!result) continue;
      const where = end.percent === null ? 'monitor' : `step ${end.percent}%`;
      const placed = {
        ...result,
        durationMs: result.durationMs ?? Math.round(performance.now() - started),
        message: `${where}: ${result.message}`,
        evidence: { ...result.evidence, step: end.step, percent: end.percent },
      };
      emitCheck(ctx.bus, 'rollout', placed, componentOf(unit));
      if (placed.status === 'warn' || placed.status === 'fail') {
        const reason = { rule: name.replaceAll(' ', '-'), message: placed.message };
        findings.push({ act: placed.critical ? 'rollback' : 'warn', reason });
        if (!placed.critical) ctx.outputs.warnings.push(placed.message);
      }
    }
    return findings;
  };
}

/** Verify's comparison, now with the canary serving its share: both sides asked unpinned for other components. */
function comparison(ctx: ReleaseContext, unit: StagedUnit) {
  return {
    baseline: { target: unit.target, version: unit.baseline as string },
    canary: { target: unit.target, version: unit.canary },
    config: unit.config,
    signal: ctx.signal,
  };
}

/** A check that could not read its figures is skipped, saying why: it never stops the rollout by itself. */
async function settled(
  ctx: ReleaseContext,
  name: string,
  run: () => Promise<CheckResult | null>,
): Promise<CheckResult | null> {
  try {
    return await run();
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    const message = err instanceof Error ? err.message : String(err);
    return { name, status: 'skip', score: 0, message: `skipped: could not read: ${message}`, evidence: {} };
  }
}
