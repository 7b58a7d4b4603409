import type { ResolvedConfig } from '../../config/resolved.ts';
import type { QueryTimeWindow, Target } from '../../targets/target.ts';
import type { CheckResult } from '../check.ts';
import { type Span, sideResult, spanMs, spanText } from './side-result.ts';

export const QUERY_TIME = 'query time';

/** The span before the release read for comparison: as long as the span judged, and at least this. */
const MIN_BEFORE_MS = 60_000;

export interface QueryTimeContext {
  target: Pick<Target, 'queryTimes'>;
  span: Span;
  releaseStartedAt: Date;
  config: Pick<ResolvedConfig, 'analysis'>;
}

interface DatabaseReading {
  database: string;
  binding: string;
  queries: number;
  p95: number;
  beforeQueries: number;
  beforeP95: number | null;
  /** Over the budget and worse than before (`analysis.latencyRatio`), or over it with nothing before to compare. */
  slow: boolean;
}

const ms = (x: number) => `${Math.round(x)} ms`;

/**
 * Each D1 database's query p95 over the span (after the migrations: during the rollout or the monitor window)
 * against `analysis.queryTime.p95` and against the same database before the release. Over the budget and more
 * than `analysis.latencyRatio` times its p95 before is a finding naming the database: a warning, or with
 * `onSlow: 'rollback'` a critical failure. Over the budget with no queries before the release to compare with
 * is a warning at most (the release may not be the cause). Fewer than `analysis.minSamples` queries: inconclusive.
 * @example emitCheck(bus, 'rollout', await queryTime(ctx), component)
 */
export async function queryTime(ctx: QueryTimeContext): Promise<CheckResult | null> {
  if (!ctx.target.queryTimes) return null;
  const length = Math.max(spanMs(ctx.span), MIN_BEFORE_MS);
  const before: Span = {
    since: new Date(ctx.releaseStartedAt.getTime() - length),
    until: ctx.releaseStartedAt,
  };
  const [now, earlier] = await Promise.all([ctx.target.queryTimes(ctx.span), ctx.target.queryTimes(before)]);
  return queryTimeResult({ now, earlier, span: ctx.span, before, config: ctx.config });
}

/** The query-time check's result from both spans' figures (see `queryTime`); null with no database. Pure. */
export function queryTimeResult(q: {
  now: QueryTimeWindow[];
  earlier: QueryTimeWindow[];
  span: Span;
  before: Span;
  config: Pick<ResolvedConfig, 'analysis'>;
}): CheckResult | null {
  const { p95: budget, onSlow } = q.config.analysis.queryTime;
  const { minSamples, latencyRatio } = q.config.analysis;
  if (q.now.length === 0) return null;
  const readings = q.now.map((w) => reading(w, q.earlier, { budget, minSamples, latencyRatio }));
  const counted = readings.filter((r) => r.queries >= minSamples);
  const evidence = {
    since: q.span.since.toISOString(),
    until: q.span.until.toISOString(),
    beforeSince: q.before.since.toISOString(),
    budgetMs: budget,
    databases: readings,
  };
  if (counted.length === 0) {
    const queries = readings.map((r) => `${r.database} ${r.queries}`).join(', ');
    return sideResult(QUERY_TIME, 'inconclusive', {
      message: `too few D1 queries over ${spanText(q.span)} to tell (${queries}; analysis.minSamples ${minSamples})`,
      evidence,
    });
  }
  const slow = counted.filter((r) => r.slow).sort((a, b) => b.p95 - a.p95);
  const [worst] = slow;
  if (!worst) {
    const text = counted.map((r) => `${r.database} p95 ${ms(r.p95)} (${r.queries} queries)`).join(', ');
    return sideResult(QUERY_TIME, 'pass', { message: `${text}, within ${ms(budget)}`, evidence });
  }
  const compared = worst.beforeP95 !== null;
  const was = compared
    ? `${ms(worst.beforeP95 as number)} before the release`
    : 'no queries before the release to compare with';
  const more = slow.length > 1 ? ` (and ${slow.length - 1} more database(s))` : '';
  return sideResult(QUERY_TIME, compared && onSlow === 'rollback' ? 'rollback' : 'warn', {
    message: `D1 database ${worst.database} (${worst.binding}): query p95 ${ms(worst.p95)} over ${worst.queries} queries is above ${ms(budget)} (${was})${more}`,
    hint: 'a dropped or missing index, a full table scan, a larger result? EXPLAIN QUERY PLAN the slow queries; analysis.queryTime.p95 sets the budget',
    evidence: { ...evidence, database: worst.database, p95: worst.p95, beforeP95: worst.beforeP95 },
  });
}

function reading(
  w: QueryTimeWindow,
  before: QueryTimeWindow[],
  t: { budget: number; minSamples: number; latencyRatio: number },
): DatabaseReading {
  const then = before.find((b) => b.databaseId === w.databaseId);
  const beforeQueries = then?.queries ?? 0;
  const beforeP95 = then && beforeQueries >= t.minSamples ? then.p95 : null;
  const over = w.p95 > t.budget;
  return {
    database: w.databaseName,
    binding: w.binding,
    queries: w.queries,
    p95: Number(w.p95.toFixed(1)),
    beforeQueries,
    beforeP95: beforeP95 === null ? null : Number(beforeP95.toFixed(1)),
    slow: over && (beforeP95 === null || w.p95 > beforeP95 * t.latencyRatio),
  };
}
