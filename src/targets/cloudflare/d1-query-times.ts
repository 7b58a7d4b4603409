import type { D1Binding } from '../../config/worker-config.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { QueryTimeWindow } from '../target.ts';
import { dataOf } from './analytics-errors.ts';
import { interpolatedP95, isoSecond } from './analytics-query.ts';
import type { MetricsDeps } from './metrics.ts';

const MINUTE = 60_000;

/**
 * D1's analytics for one database over [since, until): `d1AnalyticsAdaptiveGroups` without dimensions (one
 * group, so Cloudflare computes the quantiles over the whole span), its queries and `queryBatchTimeMs` quantiles
 * (server-side time of each batch, milliseconds). The dataset is grouped by the minute at finest.
 */
export const D1_TIMES_QUERY = `query ShipshapeD1Times($account: string!, $database: string!, $since: Time!, $until: Time!) {
  viewer { accounts(filter: {accountTag: $account}) {
    d1AnalyticsAdaptiveGroups(limit: 1, filter: {databaseId: $database, datetimeMinute_geq: $since, datetimeMinute_lt: $until}) {
      sum { readQueries writeQueries }
      quantiles { queryBatchTimeMsP50 queryBatchTimeMsP90 queryBatchTimeMsP99 }
    }
  } }
}`;

/**
 * Each D1 database's query times over the whole minutes of the span that have settled behind the analytics
 * lag. D1's analytics have P50, P90 and P99 but no P95: it is interpolated in rank between P90 and P99, as
 * the worker's wall time is (analytics-query.ts). A span without a settled whole minute is no queries.
 */
export async function readQueryTimes(
  deps: MetricsDeps,
  databases: Array<Pick<D1Binding, 'binding' | 'databaseName' | 'databaseId'>>,
  span: { since: Date; until: Date },
): Promise<QueryTimeWindow[]> {
  const settled = deps.now().getTime() - deps.lagMs;
  const since = Math.ceil(span.since.getTime() / MINUTE) * MINUTE;
  const until = Math.floor(Math.min(span.until.getTime(), settled) / MINUTE) * MINUTE;
  return Promise.all(
    databases.map(async (d) => {
      const base = { binding: d.binding, databaseName: d.databaseName, databaseId: d.databaseId };
      if (until <= since) return { ...base, queries: 0, p50: 0, p95: 0 };
      const body = await deps.graphql(D1_TIMES_QUERY, {
        account: deps.accountId,
        database: d.databaseId,
        since: isoSecond(since),
        until: isoSecond(until),
      });
      return { ...base, ...groupOf(dataOf(body, deps.accountId)) };
    }),
  );
}

function groupOf(data: unknown): { queries: number; p50: number; p95: number } {
  const accounts = (data as { viewer?: { accounts?: unknown } } | null)?.viewer?.accounts;
  if (!Array.isArray(accounts))
    throw new ShipshapeError('ANALYTICS_QUERY_FAILED', { reason: 'the answer has no viewer.accounts list' });
  const groups: unknown = accounts[0]?.d1AnalyticsAdaptiveGroups ?? [];
  if (!Array.isArray(groups))
    throw new ShipshapeError('ANALYTICS_QUERY_FAILED', { reason: 'd1AnalyticsAdaptiveGroups is not a list' });
  const [g] = groups as Array<Record<string, Record<string, unknown> | null>>;
  if (!g) return { queries: 0, p50: 0, p95: 0 };
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  const q = g.quantiles ?? {};
  const [p50, p90, p99] = [q.queryBatchTimeMsP50, q.queryBatchTimeMsP90, q.queryBatchTimeMsP99].map(num);
  return {
    queries: Math.round(num(g.sum?.readQueries) + num(g.sum?.writeQueries)),
    p50,
    p95: interpolatedP95(p90, p99),
  };
}
