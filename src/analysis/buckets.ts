/**
 * Latency histograms as the target reports them: `[upperBoundMs, count]`, each count holding the requests
 * whose latency falls in (previous bound, upper bound]; the last bound may be Infinity.
 */
export type Buckets = Array<[number, number]>;

/** Adds histograms bucket by bucket (bounds are unioned; counts on the same bound are summed). */
export function mergeBuckets(a: Buckets, b: Buckets): Buckets {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  if (a.length === b.length) {
    const out: Buckets = new Array(a.length);
    let same = true;
    for (let i = 0; i < a.length && same; i++) {
      same = a[i][0] === b[i][0];
      out[i] = [a[i][0], a[i][1] + b[i][1]];
    }
    if (same) return out;
  }
  const byBound = new Map<number, number>();
  for (const [bound, count] of a) byBound.set(bound, (byBound.get(bound) ?? 0) + count);
  for (const [bound, count] of b) byBound.set(bound, (byBound.get(bound) ?? 0) + count);
  return [...byBound.entries()].sort((x, y) => x[0] - y[0]);
}

export function totalCount(buckets: Buckets): number {
  let total = 0;
  for (const [, count] of buckets) total += count;
  return total;
}

/**
 * Requests certainly slower than `thresholdMs`: those in buckets whose lower bound is at least the
 * threshold. Undercounts when the threshold falls inside a bucket, which errs on the side of no rollback.
 */
export function countAbove(buckets: Buckets, thresholdMs: number): number {
  let lower = 0;
  let count = 0;
  for (const [bound, n] of buckets) {
    if (lower >= thresholdMs) count += n;
    lower = bound;
  }
  return count;
}

/**
 * The smallest bucket bound b such that at most `share` of the requests are slower than b (so b is an
 * upper estimate of the (1-share) quantile that sits exactly on a bound). Null for an empty histogram.
 */
export function boundAtQuantile(buckets: Buckets, share: number): number | null {
  const total = totalCount(buckets);
  if (total === 0) return null;
  let seen = 0;
  for (const [bound, n] of buckets) {
    seen += n;
    if (total - seen <= share * total && Number.isFinite(bound)) return bound;
  }
  return null;
}

/** A quantile (0-1) by linear interpolation inside the bucket that holds it; 0 for no requests. */
export function quantile(buckets: Buckets, q: number): number {
  const total = totalCount(buckets);
  if (total === 0) return 0;
  const rank = q * total;
  let seen = 0;
  let lower = 0;
  for (const [bound, n] of buckets) {
    if (n > 0 && seen + n >= rank) {
      if (!Number.isFinite(bound)) return lower;
      return lower + ((rank - seen) / n) * (bound - lower);
    }
    seen += n;
    lower = bound;
  }
  return lower;
}

/**
 * Requests that may be slower than `thresholdMs`: those in every bucket whose upper bound exceeds it.
 * Overcounts when the threshold falls inside a bucket, which errs against an early promotion.
 */
export function countMaybeAbove(buckets: Buckets, thresholdMs: number): number {
  let count = 0;
  for (const [bound, n] of buckets) if (bound > thresholdMs) count += n;
  return count;
}
