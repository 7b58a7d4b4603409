import { build, type Histogram } from 'hdr-histogram-js';
import { routePattern } from '../route-pattern.ts';
import type { MetricWindow, RouteWindow } from '../target.ts';

/**
 * Upper bounds (ms) of the latency buckets returned with every window, about 1.25x apart so the canary judge's
 * latency test can tell a 25% regression; the last (1e9, finite so it survives JSON) catches the rest.
 */
export const LATENCY_BOUNDS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600,
  800, 1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000, 10000, 12000, 15000, 20000, 25000, 30000,
  40000, 50000, 60000, 1e9,
];

/** Index of the first bound >= ms (binary search: this runs once per request). */
export function boundIndex(ms: number): number {
  let lo = 0;
  let hi = LATENCY_BOUNDS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms <= LATENCY_BOUNDS[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** How long per-second buckets are kept (the brief asks for at least one hour). */
export const RETENTION_MS = 2 * 60 * 60 * 1000;

/** Route patterns kept per version per second; the rest are counted under OTHER_ROUTE. */
export const ROUTES_PER_SECOND = 32;
/** Version keys kept per version per second: enough to count a small team's users, bounded for a flood. */
export const KEYS_PER_SECOND = 1000;
/** Routes a window reports, busiest first. */
export const ROUTES_PER_WINDOW = 20;
const OTHER_ROUTE = '(other)';
/** Raw path → pattern, so the hot path pays one map lookup per request; cleared when it grows past this. */
const PATTERN_CACHE_LIMIT = 4096;

interface RouteBucket {
  requests: number;
  errors: number;
  coarse: Uint32Array;
}

export interface Bucket {
  requests: number;
  /** Requests from users: not shipshape's own (generated, pinned checks). */
  organic: number;
  /** Distinct Cloudflare-Workers-Version-Key values of users' requests (at most KEYS_PER_SECOND). */
  keys: Set<string>;
  errors: number;
  threw: number;
  /** Latency in microseconds. */
  histogram: Histogram;
  coarse: Uint32Array;
  routes: Map<string, RouteBucket>;
}

export interface Sample {
  version: string;
  /** Request path as received (query included); grouped into a route pattern here. */
  path?: string;
  status: number;
  threw: boolean;
  latencyMs: number;
  at: number;
  /** Sent by shipshape itself (generated traffic, a pinned check): not counted as a user's request. */
  synthetic?: boolean;
  /** The request's Cloudflare-Workers-Version-Key: one client, kept on one version. */
  key?: string | null;
}

function newHistogram(): Histogram {
  return build({ bitBucketSize: 'packed', numberOfSignificantValueDigits: 2, lowestDiscernibleValue: 1 });
}

/** Every request the router served, per version per second: counts and an HDR latency histogram. */
export class MetricsStore {
  private readonly versions = new Map<string, Map<number, Bucket>>();
  /** The bucket written last, per version: nearly every request lands in the same second as the one before. */
  private readonly current = new Map<string, { second: number; bucket: Bucket }>();
  private lastPrune = 0;
  private readonly patterns = new Map<string, string>();

  record(sample: Sample): void {
    const second = Math.floor(sample.at / 1000);
    const cached = this.current.get(sample.version);
    const bucket =
      cached && cached.second === second ? cached.bucket : this.bucketFor(sample.version, second);
    const error = sample.status >= 500 || sample.threw;
    bucket.requests++;
    if (!sample.synthetic) {
      bucket.organic++;
      if (sample.key && bucket.keys.size < KEYS_PER_SECOND) bucket.keys.add(sample.key);
    }
    if (error) bucket.errors++;
    if (sample.threw) bucket.threw++;
    bucket.histogram.recordValue(Math.max(1, Math.round(sample.latencyMs * 1000)));
    const index = boundIndex(sample.latencyMs);
    bucket.coarse[index]++;
    if (sample.path !== undefined) {
      const route = this.routeBucket(bucket, this.pattern(sample.path));
      route.requests++;
      if (error) route.errors++;
      route.coarse[index]++;
    }
    if (sample.at - this.lastPrune > 10_000) this.prune(sample.at);
  }

  private pattern(path: string): string {
    let route = this.patterns.get(path);
    if (route === undefined) {
      if (this.patterns.size >= PATTERN_CACHE_LIMIT) this.patterns.clear();
      route = routePattern(path);
      this.patterns.set(path, route);
    }
    return route;
  }

  private routeBucket(bucket: Bucket, pattern: string): RouteBucket {
    let route = bucket.routes.get(pattern);
    if (route) return route;
    const key = bucket.routes.size >= ROUTES_PER_SECOND ? OTHER_ROUTE : pattern;
    route = bucket.routes.get(key);
    if (!route) {
      route = { requests: 0, errors: 0, coarse: new Uint32Array(LATENCY_BOUNDS.length) };
      bucket.routes.set(key, route);
    }
    return route;
  }

  private bucketFor(version: string, second: number): Bucket {
    let buckets = this.versions.get(version);
    if (!buckets) {
      buckets = new Map();
      this.versions.set(version, buckets);
    }
    let bucket = buckets.get(second);
    if (!bucket) {
      bucket = {
        requests: 0,
        organic: 0,
        keys: new Set(),
        errors: 0,
        threw: 0,
        histogram: newHistogram(),
        coarse: new Uint32Array(LATENCY_BOUNDS.length),
        routes: new Map(),
      };
      buckets.set(second, bucket);
    }
    this.current.set(version, { second, bucket });
    return bucket;
  }

  /** Figures for one version over [since, until), by whole seconds. */
  window(version: string, since: Date, until: Date): MetricWindow {
    const from = Math.floor(since.getTime() / 1000);
    const to = Math.ceil(until.getTime() / 1000);
    const merged = newHistogram();
    const coarse = LATENCY_BOUNDS.map(() => 0);
    const routes = new Map<string, RouteBucket>();
    let requests = 0;
    let organic = 0;
    let errors = 0;
    const keys = new Set<string>();
    for (const [second, bucket] of this.versions.get(version) ?? []) {
      if (second < from || second >= to) continue;
      requests += bucket.requests;
      organic += bucket.organic;
      errors += bucket.errors;
      for (const key of bucket.keys) keys.add(key);
      merged.add(bucket.histogram);
      bucket.coarse.forEach((n, i) => {
        coarse[i] += n;
      });
      for (const [pattern, r] of bucket.routes) addRoute(routes, pattern, r);
    }
    const at = (p: number) => (requests === 0 ? 0 : merged.getValueAtPercentile(p) / 1000);
    const result: MetricWindow = {
      version,
      since: since.toISOString(),
      until: until.toISOString(),
      requests,
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      p50: at(50),
      p95: at(95),
      p99: at(99),
      // Dense: empty buckets included, so each count's lower bound is the bound before it.
      latencyBuckets: LATENCY_BOUNDS.map((bound, i): [number, number] => [bound, coarse[i]]),
      organic,
      clients: keys.size,
      routes: busiest(routes),
    };
    merged.destroy();
    return result;
  }

  /** One version's latency at each percentile over [since, until), in ms; zeros when it has no requests. */
  percentiles(version: string, since: Date, until: Date, ps: number[]): number[] {
    const merged = newHistogram();
    for (const s of this.seconds(version, since.getTime(), until.getTime())) merged.add(s.histogram);
    const values = ps.map((p) => (merged.totalCount === 0 ? 0 : merged.getValueAtPercentile(p) / 1000));
    merged.destroy();
    return values;
  }

  /**
   * Each second of one version with traffic in [since, until) (ms since the epoch), in time order: what the
   * Cloudflare API stand-in groups into analytics rows. The histograms are the store's own: read, never change.
   */
  seconds(version: string, since: number, until: number): Array<{ second: number } & Readonly<Bucket>> {
    const from = Math.floor(since / 1000);
    const to = Math.ceil(until / 1000);
    const out: Array<{ second: number } & Bucket> = [];
    for (const [second, bucket] of this.versions.get(version) ?? []) {
      if (second >= from && second < to) out.push({ second, ...bucket });
    }
    return out.sort((a, b) => a.second - b.second);
  }

  private prune(now: number): void {
    this.lastPrune = now;
    const oldest = Math.floor((now - RETENTION_MS) / 1000);
    for (const [version, buckets] of this.versions) {
      for (const [second, bucket] of buckets) {
        if (second >= oldest) continue;
        bucket.histogram.destroy();
        buckets.delete(second);
        if (this.current.get(version)?.bucket === bucket) this.current.delete(version);
      }
    }
  }
}

function addRoute(routes: Map<string, RouteBucket>, pattern: string, r: RouteBucket): void {
  const into = routes.get(pattern);
  if (!into) {
    routes.set(pattern, { requests: r.requests, errors: r.errors, coarse: Uint32Array.from(r.coarse) });
    return;
  }
  into.requests += r.requests;
  into.errors += r.errors;
  r.coarse.forEach((n, i) => {
    into.coarse[i] += n;
  });
}

/** The window's busiest named routes (the overflow bucket is no route to judge). */
function busiest(routes: Map<string, RouteBucket>): RouteWindow[] {
  return [...routes]
    .filter(([pattern]) => pattern !== OTHER_ROUTE)
    .sort((a, b) => b[1].requests - a[1].requests)
    .slice(0, ROUTES_PER_WINDOW)
    .map(([route, r]) => ({
      route,
      requests: r.requests,
      errors: r.errors,
      latencyBuckets: LATENCY_BOUNDS.map((bound, i): [number, number] => [bound, r.coarse[i]]),
    }));
}
