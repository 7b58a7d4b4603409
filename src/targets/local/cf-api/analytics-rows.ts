import { build, type Histogram } from 'hdr-histogram-js';
import type { CfContext } from './context.ts';
import { FILTER_KEYS } from './graphql-schema.ts';

/** One `workersInvocationsAdaptive` row with every field; the query's selection picks from it. */
export interface AnalyticsRow {
  sum: { requests: number; errors: number; subrequests: number };
  quantiles: Record<string, number>;
  dimensions: Record<string, string>;
  avg: { sampleInterval: number };
}

export class AnalyticsInputError extends Error {}

/** Cloudflare's adaptive datasets return at most 10,000 rows per query. */
const MAX_LIMIT = 10_000;

const iso = (second: number) => new Date(second * 1000).toISOString().replace('.000Z', 'Z');
const floorTo = (second: number, size: number) => iso(Math.floor(second / size) * size);

function dimensionValue(
  name: string,
  second: number,
  script: string,
  version: string,
  status: string,
): string {
  switch (name) {
    case 'datetime':
      return iso(second);
    case 'datetimeMinute':
      return floorTo(second, 60);
    case 'datetimeFiveMinutes':
      return floorTo(second, 300);
    case 'datetimeFifteenMinutes':
      return floorTo(second, 900);
    case 'datetimeHour':
      return floorTo(second, 3600);
    case 'date':
      return iso(second).slice(0, 10);
    case 'scriptName':
      return script;
    case 'scriptVersion':
      return version;
    default:
      return status;
  }
}

/**
 * The router's real per-version, per-second counts as Cloudflare's `workersInvocationsAdaptive` rows, grouped by
 * the dimensions the query asks for. As in production: `errors` counts invocations that threw (a 5xx the worker
 * returns is a success), `status` is `success` or `scriptThrewException`, data newer than the analytics lag is
 * not there yet, and with sampling the counts are estimates.
 *
 * cpuTime quantiles are wall time, the same figures as wallTime: the router's time from a request reaching the
 * data plane to the worker's whole response. workerd gives no CPU time per request (its server reports 0 to tail
 * workers, and its process CPU cannot be split between concurrent requests), so none is made up here.
 */
export function analyticsRows(
  ctx: CfContext,
  args: { limit?: unknown; filter?: unknown; orderBy?: unknown },
  dimensions: string[],
): AnalyticsRow[] {
  const filter = (args.filter ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(filter)) {
    if (!FILTER_KEYS.has(key)) throw new AnalyticsInputError(`unknown filter field ${key}`);
  }
  const limit = Number(args.limit ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AnalyticsInputError(`limit must be from 1 to ${MAX_LIMIT}`);
  }
  const time = (key: string) => (filter[key] === undefined ? undefined : Date.parse(String(filter[key])));
  const now = Date.now() - ctx.imperfections.analyticsLagMs;
  const since = Math.max(
    time('datetime_geq') ?? -Infinity,
    (time('datetime_gt') ?? -Infinity) + 1000,
    now - 2 * 3600_000,
  );
  const until = Math.min(time('datetime_leq') ?? Infinity, (time('datetime_lt') ?? Infinity) - 1, now) + 1;
  if (Number.isNaN(since) || Number.isNaN(until))
    throw new AnalyticsInputError('datetime filters must be ISO times');
  const inSet = (value: string, one: unknown, many: unknown) =>
    (one === undefined || one === value) && (!Array.isArray(many) || many.includes(value));
  const rate = ctx.imperfections.sampleRate;
  const groups = new Map<
    string,
    { dims: Record<string, string>; requests: number; errors: number; h: Histogram }
  >();
  for (const v of ctx.platform.store.list()) {
    if (!inSet(v.worker, filter.scriptName, filter.scriptName_in)) continue;
    if (!inSet(v.id, filter.scriptVersion, filter.scriptVersion_in)) continue;
    for (const s of ctx.platform.metrics.seconds(v.id, since, until)) {
      for (const [status, count] of [
        ['success', s.requests - s.threw],
        ['scriptThrewException', s.threw],
      ] as const) {
        if (count === 0 || !inSet(status, filter.status, filter.status_in) || filter.status_neq === status)
          continue;
        const dims = Object.fromEntries(
          dimensions.map((d) => [d, dimensionValue(d, s.second, v.worker, v.id, status)]),
        );
        const key = JSON.stringify(dims);
        let g = groups.get(key);
        if (!g) {
          g = {
            dims,
            requests: 0,
            errors: 0,
            h: build({ bitBucketSize: 'packed', numberOfSignificantValueDigits: 2 }),
          };
          groups.set(key, g);
        }
        g.requests += count;
        if (status === 'scriptThrewException') g.errors += count;
        g.h.add(s.histogram);
      }
    }
  }
  const rows: AnalyticsRow[] = [];
  for (const g of groups.values()) {
    const requests = sampled(g.requests, rate);
    const errors = Math.min(requests, sampled(g.errors, rate));
    const quantiles: Record<string, number> = {};
    for (const [suffix, p] of [
      ['P25', 25],
      ['P50', 50],
      ['P75', 75],
      ['P90', 90],
      ['P99', 99],
      ['P999', 99.9],
    ] as const) {
      // The histogram holds microseconds, Cloudflare's unit for cpuTime and wallTime (both wall time here).
      const value = g.h.getValueAtPercentile(p);
      quantiles[`cpuTime${suffix}`] = value;
      quantiles[`wallTime${suffix}`] = value;
    }
    g.h.destroy();
    if (requests === 0) continue;
    rows.push({
      sum: { requests, errors, subrequests: 0 },
      quantiles,
      dimensions: g.dims,
      avg: { sampleInterval: 1 / rate },
    });
  }
  return order(rows, args.orderBy).slice(0, limit);
}

/** A sampled count scaled back up (1/rate per kept request), as Cloudflare's adaptive sampling estimates it. */
function sampled(count: number, rate: number): number {
  if (rate >= 1) return count;
  let kept = 0;
  if (count < 1000) {
    for (let i = 0; i < count; i++) if (Math.random() < rate) kept++;
  } else {
    const mean = count * rate;
    const sd = Math.sqrt(mean * (1 - rate));
    const u = Math.random() || 1e-12;
    kept = Math.max(
      0,
      Math.round(mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random())),
    );
  }
  return Math.round(kept / rate);
}

function order(rows: AnalyticsRow[], orderBy: unknown): AnalyticsRow[] {
  const keys = (Array.isArray(orderBy) ? orderBy : orderBy ? [orderBy] : []).map(String);
  const value = (row: AnalyticsRow, path: string): string | number => {
    const [group, name] =
      path.includes('_') && path.startsWith('sum_') ? ['sum', path.slice(4)] : ['dimensions', path];
    return (row as unknown as Record<string, Record<string, string | number>>)[group]?.[name] ?? '';
  };
  return rows.sort((a, b) => {
    for (const key of keys) {
      const m = /^(.*)_(ASC|DESC)$/.exec(key);
      if (!m) throw new AnalyticsInputError(`orderBy ${key} must end with _ASC or _DESC`);
      const x = value(a, m[1]);
      const y = value(b, m[1]);
      const c = x < y ? -1 : x > y ? 1 : 0;
      if (c !== 0) return m[2] === 'ASC' ? c : -c;
    }
    return 0;
  });
}
