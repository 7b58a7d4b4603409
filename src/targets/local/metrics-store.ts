import { build, type Histogram } from 'hdr-histogram-js';
import type { MetricWindow } from '../target.ts';

/** Upper bounds (ms) of the coarse latency buckets returned with every window; the last catches the rest. */
export const LATENCY_BOUNDS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000, 1e9,
];

/** How long per-second buckets are kept (the brief asks for at least one hour). */
export const RETENTION_MS = 2 * 60 * 60 * 1000;

interface Bucket {
  requests: number;
  errors: number;
  threw: number;
  /** Latency in microseconds. */
  histogram: Histogram;
  coarse: number[];
}

export interface Sample {
  version: string;
  status: number;
  threw: boolean;
  latencyMs: number;
  at: number;
}

function newHistogram(): Histogram {
  return build({ bitBucketSize: 'packed', numberOfSignificantValueDigits: 2, lowestDiscernibleValue: 1 });
}

/** Every request the router served, per version per second: counts and an HDR latency histogram. */
export class MetricsStore {
  private readonly versions = new Map<string, Map<number, Bucket>>();
  private lastPrune = 0;

  record(sample: Sample): void {
    const second = Math.floor(sample.at / 1000);
    let buckets = this.versions.get(sample.version);
    if (!buckets) {
      buckets = new Map();
      this.versions.set(sample.version, buckets);
    }
    let bucket = buckets.get(second);
    if (!bucket) {
      bucket = {
        requests: 0,
        errors: 0,
        threw: 0,
        histogram: newHistogram(),
        coarse: LATENCY_BOUNDS.map(() => 0),
      };
      buckets.set(second, bucket);
    }
    bucket.requests++;
    if (sample.status >= 500 || sample.threw) bucket.errors++;
    if (sample.threw) bucket.threw++;
    bucket.histogram.recordValue(Math.max(1, Math.round(sample.latencyMs * 1000)));
    bucket.coarse[LATENCY_BOUNDS.findIndex((b) => sample.latencyMs <= b)]++;
    if (sample.at - this.lastPrune > 10_000) this.prune(sample.at);
  }

  /** Figures for one version over [since, until), by whole seconds. */
  window(version: string, since: Date, until: Date): MetricWindow {
    const from = Math.floor(since.getTime() / 1000);
    const to = Math.ceil(until.getTime() / 1000);
    const merged = newHistogram();
    const coarse = LATENCY_BOUNDS.map(() => 0);
    let requests = 0;
    let errors = 0;
    for (const [second, bucket] of this.versions.get(version) ?? []) {
      if (second < from || second >= to) continue;
      requests += bucket.requests;
      errors += bucket.errors;
      merged.add(bucket.histogram);
      bucket.coarse.forEach((n, i) => {
        coarse[i] += n;
      });
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
      latencyBuckets: LATENCY_BOUNDS.map((bound, i): [number, number] => [bound, coarse[i]]).filter(
        ([, n]) => n > 0,
      ),
    };
    merged.destroy();
    return result;
  }

  private prune(now: number): void {
    this.lastPrune = now;
    const oldest = Math.floor((now - RETENTION_MS) / 1000);
    for (const buckets of this.versions.values()) {
      for (const [second, bucket] of buckets) {
        if (second >= oldest) continue;
        bucket.histogram.destroy();
        buckets.delete(second);
      }
    }
  }
}
