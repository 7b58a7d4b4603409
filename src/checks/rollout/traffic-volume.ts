import { rateReading, shareReading, type VolumeReading } from '../../analysis/traffic-volume.ts';
import type { ResolvedConfig } from '../../config/resolved.ts';
import type { MetricWindow, Target } from '../../targets/target.ts';
import type { CheckResult } from '../check.ts';
import { type Span, sideResult, spanMs, spanText } from './side-result.ts';

export const VOLUME = 'traffic volume';

export interface VolumeContext {
  target: Pick<Target, 'metrics'>;
  canary: string;
  baseline: string | null;
  /** The step's percent; null in the monitor window. At 100% (and in monitor) the rate is compared with before. */
  percent: number | null;
  /** The span judged, whole seconds. */
  span: Span;
  /** When the release started: the span before it, of the same length, is what the monitor compares with. */
  releaseStartedAt: Date;
  config: Pick<ResolvedConfig, 'analysis'>;
  /** shipshape's own traffic generator sends requests to this component during the rollout. */
  generated: boolean;
}

/** Users' requests in a window: all of them where the target cannot tell users from shipshape's own. */
const users = (w: Pick<MetricWindow, 'requests' | 'organic'> | null) => (w ? (w.organic ?? w.requests) : 0);

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * What a step's share is counted in. Users who send Cloudflare-Workers-Version-Key stay on one version, so their
 * requests are not independent draws of the split: where the target saw such keys, the share is the share of
 * clients (each counted once); else of requests, each routed on its own. Pure.
 * @example shareUnits({ clients: 3, organic: 900 }, { clients: 27, organic: 8100 }) // { canary: 3, baseline: 27, of: 'clients' }
 */
export function shareUnits(
  canary: Pick<MetricWindow, 'requests' | 'organic' | 'clients'> | null,
  baseline: Pick<MetricWindow, 'requests' | 'organic' | 'clients'> | null,
): { canary: number; baseline: number; of: 'clients' | 'requests' } {
  const clients = (canary?.clients ?? 0) + (baseline?.clients ?? 0);
  if (clients > 0) return { canary: canary?.clients ?? 0, baseline: baseline?.clients ?? 0, of: 'clients' };
  return { canary: users(canary), baseline: users(baseline), of: 'requests' };
}

/**
 * During a step below 100%, the canary's share of users' requests against its percent; at 100% and in the
 * monitor window, users' requests per second against the same-length span before the release. Generated traffic and pinned checks
 * are not users' requests. Outside `analysis.volume.band` is a finding: a warning, or with
 * `onChange: 'rollback'` a critical failure.
 * @example emitCheck(bus, 'rollout', await trafficVolume(ctx), component)
 */
export async function trafficVolume(ctx: VolumeContext): Promise<CheckResult> {
  const { band, onChange } = ctx.config.analysis.volume;
  const { minSamples } = ctx.config.analysis;
  const window = (version: string | null, span: Span) =>
    version ? ctx.target.metrics({ version, ...span }) : Promise.resolve(null);
  const [canary, baseline] = await Promise.all([
    window(ctx.canary, ctx.span),
    window(ctx.baseline, ctx.span),
  ]);
  // Where the target counts every request alike (Cloudflare's analytics), generated traffic would pass for users'.
  const blind = [canary, baseline].some((w) => w && w.organic === undefined);
  if (blind && ctx.generated)
    return sideResult(VOLUME, 'inconclusive', {
      message:
        "this target's figures do not tell shipshape's generated requests from users' (rollout.traffic.enabled): users' volume is not judged",
      evidence: { since: ctx.span.since.toISOString(), until: ctx.span.until.toISOString(), band },
    });
  const evidence: Record<string, unknown> = {
    since: ctx.span.since.toISOString(),
    until: ctx.span.until.toISOString(),
    band,
    canaryRequests: users(canary),
    baselineRequests: users(baseline),
  };
  let reading: VolumeReading;
  let what: string;
  if (ctx.percent !== null && ctx.percent < 100) {
    const units = shareUnits(canary, baseline);
    reading = shareReading({ ...units, percent: ctx.percent, band, minSamples });
    Object.assign(evidence, { percent: ctx.percent, counted: units.of });
    what = `the canary's share of users' ${units.of} at ${ctx.percent}% is ${pct(reading.observed)}`;
  } else {
    const length = spanMs(ctx.span);
    const before: Span = {
      since: new Date(ctx.releaseStartedAt.getTime() - length),
      until: ctx.releaseStartedAt,
    };
    const previous = ctx.baseline ? users(await window(ctx.baseline, before)) : 0;
    const now = users(canary) + users(baseline);
    reading = rateReading({ now, nowMs: length, before: previous, beforeMs: length, band, minSamples });
    Object.assign(evidence, { beforeSince: before.since.toISOString(), beforeRequests: previous });
    if (reading.verdict === 'inconclusive')
      return sideResult(VOLUME, 'inconclusive', {
        message: `${previous} users' requests in the ${spanText(ctx.span)} before the release: too few (analysis.minSamples ${minSamples}) to compare ${now} with`,
        evidence: { ...evidence, ratio: null },
      });
    what = `users' requests over ${spanText(ctx.span)} are ${now}, ${pct(reading.observed)} of the rate before the release (${previous})`;
  }
  evidence.observed = Number(reading.observed.toFixed(4));
  if (reading.verdict === 'inconclusive')
    return sideResult(VOLUME, 'inconclusive', {
      message: `${what} of ${reading.requests}: too few (analysis.minSamples ${minSamples}) to tell`,
      evidence,
    });
  const range = `expected ${ctx.percent ?? 100}% ±${Math.round(band * 100)}%`;
  if (reading.verdict === 'within')
    return sideResult(VOLUME, 'pass', { message: `${what} (${range})`, evidence });
  return sideResult(VOLUME, onChange === 'rollback' ? 'rollback' : 'warn', {
    message: `${what}: ${reading.verdict === 'below' ? 'a drop' : 'a rise'} beyond ${range}`,
    hint: 'users call less (or more) than before: a broken page or client, a redirect loop, a retry storm? analysis.volume.band sets what counts',
    evidence,
  });
}
