import type { MetricWindow, Target } from '../targets/target.ts';
import type { Buckets } from './buckets.ts';
import type { Counts } from './judge-state.ts';

/** Canary and baseline over the same span: the judge compares like with like. */
export interface WindowPair {
  canary: MetricWindow;
  baseline: MetricWindow | null;
}

/**
 * Reads both versions' figures over [since, until) in parallel. Targets count whole seconds, so callers
 * keep `since`/`until` on second boundaries and chain windows end to start (nothing counted twice).
 */
export async function readWindows(
  target: Pick<Target, 'metrics'>,
  q: { canary: string; baseline: string | null; since: Date; until: Date },
): Promise<WindowPair> {
  const [canary, baseline] = await Promise.all([
    target.metrics({ version: q.canary, since: q.since, until: q.until }),
    q.baseline
      ? target.metrics({ version: q.baseline, since: q.since, until: q.until })
      : Promise.resolve(null),
  ]);
  return { canary, baseline };
}

/** Rounds a time down to a whole second. */
export function wholeSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * Targets may leave out empty buckets; every bound seen so far is remembered so each histogram handed to
 * the judge is dense (a bucket's lower bound is then the bound before it, not a guess).
 */
export class BucketBounds {
  private readonly bounds = new Set<number>();

  toCounts(window: MetricWindow): Counts {
    for (const [bound] of window.latencyBuckets) this.bounds.add(bound);
    for (const r of window.routes ?? []) for (const [bound] of r.latencyBuckets) this.bounds.add(bound);
    const counts: Counts = {
      requests: window.requests,
      errors: window.errors,
      p95: window.p95,
      latencyBuckets: this.densify(window.latencyBuckets),
    };
    if (window.routes)
      counts.routes = window.routes.map((r) => ({ ...r, latencyBuckets: this.densify(r.latencyBuckets) }));
    return counts;
  }

  private densify(buckets: Buckets): Buckets {
    if (buckets.length === 0) return buckets;
    const counts = new Map(buckets);
    return [...this.bounds]
      .sort((a, b) => a - b)
      .map((bound): [number, number] => [bound, counts.get(bound) ?? 0]);
  }
}
