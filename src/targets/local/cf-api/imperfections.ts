import { parseDuration } from '../../../config/duration.ts';

/**
 * Production's imperfections, on demand (all off by default): analytics that lag and are sampled, rate limits
 * with Retry-After, server errors and slow answers at a chosen rate. Set at start from the environment
 * (SHIPSHAPE_CF_API_* variables) and changed at run time with `PUT /client/v4/_local/imperfections`.
 */
export interface Imperfections {
  /** Analytics rows newer than now - lag are not returned yet. */
  analyticsLagMs: number;
  /** Fraction of requests the analytics keep (1 = all); counts are scaled back up, as Cloudflare's ABR does. */
  sampleRate: number;
  /** Fraction of API calls answered 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** Fraction of API calls answered with `serverErrorStatus`. */
  serverErrorRate: number;
  serverErrorStatus: number;
  /** Fraction of API calls delayed by `slowMs` before being handled. */
  slowRate: number;
  slowMs: number;
}

export const NO_IMPERFECTIONS: Imperfections = {
  analyticsLagMs: 0,
  sampleRate: 1,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  serverErrorRate: 0,
  serverErrorStatus: 500,
  slowRate: 0,
  slowMs: 0,
};

/** Reads SHIPSHAPE_CF_API_ANALYTICS_LAG ("60s"), _SAMPLE_RATE, _429_RATE, _RETRY_AFTER, _5XX_RATE, _5XX_STATUS, _SLOW_RATE, _SLOW ("2s"). */
export function imperfectionsFromEnv(env: NodeJS.ProcessEnv): Imperfections {
  const raw: Record<string, unknown> = {};
  const pick = (name: string, key: keyof Imperfections, duration = false) => {
    const value = env[`SHIPSHAPE_CF_API_${name}`];
    if (value === undefined || value === '') return;
    raw[key] = duration ? durationMs(value) : Number(value);
  };
  pick('ANALYTICS_LAG', 'analyticsLagMs', true);
  pick('SAMPLE_RATE', 'sampleRate');
  pick('429_RATE', 'rateLimitRate');
  pick('RETRY_AFTER', 'retryAfterSeconds');
  pick('5XX_RATE', 'serverErrorRate');
  pick('5XX_STATUS', 'serverErrorStatus');
  pick('SLOW_RATE', 'slowRate');
  pick('SLOW', 'slowMs', true);
  return mergeImperfections(NO_IMPERFECTIONS, raw);
}

/** `base` with the valid keys of `patch` applied; a bad value is an Error naming the key. */
export function mergeImperfections(base: Imperfections, patch: Record<string, unknown>): Imperfections {
  const next = { ...base };
  const rates = ['sampleRate', 'rateLimitRate', 'serverErrorRate', 'slowRate'];
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in NO_IMPERFECTIONS)) throw new Error(`unknown setting ${key}`);
    const n = key === 'analyticsLagMs' || key === 'slowMs' ? durationMs(value) : Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${key} must be a non-negative number`);
    if (rates.includes(key) && n > 1) throw new Error(`${key} must be from 0 to 1`);
    if (key === 'sampleRate' && n === 0) throw new Error('sampleRate must be above 0');
    if (key === 'serverErrorStatus' && (n < 500 || n > 599 || !Number.isInteger(n)))
      throw new Error('serverErrorStatus must be a 5xx status');
    (next as Record<string, number>)[key] = n;
  }
  return next;
}

function durationMs(value: unknown): number {
  if (typeof value === 'number') return value;
  const text = String(value);
  if (/^\d+$/.test(text)) return Number(text);
  const ms = parseDuration(text);
  if (ms === null) throw new Error(`"${text}" is not a duration such as "60s" or "500ms"`);
  return ms;
}
