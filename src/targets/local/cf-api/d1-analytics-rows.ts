import { AnalyticsInputError } from './analytics-rows.ts';
import type { CfContext } from './context.ts';

const FILTER_KEYS = new Set(['databaseId', 'datetimeMinute_geq', 'datetimeMinute_lt']);
const MINUTE = 60_000;

/**
 * `d1AnalyticsAdaptiveGroups` without dimensions, from the local platform's own timing of every D1 query
 * (d1-timing.ts): one group for the database over whole minutes [geq, lt), behind the stand-in's analytics lag,
 * with its queries (all counted as reads: the runtime's timing does not tell reads from writes) and
 * `queryBatchTimeMs` quantiles. The filter fields are the ones shipshape sends; others are refused.
 */
export function d1AnalyticsRows(
  ctx: CfContext,
  args: { limit?: unknown; filter?: unknown },
): Array<Record<string, unknown>> {
  const filter = (args.filter ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(filter))
    if (!FILTER_KEYS.has(key)) throw new AnalyticsInputError(`unknown filter field ${key}`);
  if (typeof filter.databaseId !== 'string') throw new AnalyticsInputError('filter.databaseId is required');
  const minute = (key: string) => Math.floor(Date.parse(String(filter[key])) / MINUTE) * MINUTE;
  const settled = Date.now() - ctx.imperfections.analyticsLagMs;
  const since = new Date(minute('datetimeMinute_geq'));
  const until = new Date(Math.min(minute('datetimeMinute_lt'), settled));
  if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime()))
    throw new AnalyticsInputError('datetimeMinute filters must be ISO times');
  const times = ctx.platform.d1Times;
  const queries = until > since ? times.window(filter.databaseId, since, until).requests : 0;
  if (queries === 0) return [];
  const [p50, p90, p99] = times.percentiles(filter.databaseId, since, until, [50, 90, 99]);
  return [
    {
      sum: { readQueries: queries, writeQueries: 0 },
      quantiles: { queryBatchTimeMsP50: p50, queryBatchTimeMsP90: p90, queryBatchTimeMsP99: p99 },
    },
  ];
}
