import { formatDuration } from '../../config/duration.ts';
import type { ResolvedConfig } from '../../config/resolved.ts';
import type { EventBus } from '../../events/bus.ts';
import type { PhaseName } from '../../events/types.ts';
import type { CheckResult } from '../check.ts';
import { type HttpCheckSpec, type Problem, responseEvidence, responseProblems } from './expectations.ts';
import { type PinnedTarget, type ProbeResponse, ProbeTimeout, probe } from './probe.ts';

/** What every HTTP check needs: the pinned version, the target, the bus for retry events. */
export interface HttpCheckContext {
  target: PinnedTarget;
  version: string;
  /** Other workers pinned in the same header (a release of several components): worker name → version. */
  pins?: Record<string, string>;
  config: ResolvedConfig;
  bus: EventBus;
  signal?: AbortSignal;
  /** Waits between attempts; defaults to a timer that an abort cuts short. */
  sleep?(ms: number): Promise<void>;
}

/** Scores of one HTTP check: passed first time, passed after a retry, failed. */
export const HTTP_SCORE = { pass: 5, warn: 4, fail: 0 } as const;

/** Judges one response; empty means pass. Defaults to the spec's expectations. */
type Judge = (response: ProbeResponse) => Problem[];

/**
 * Runs one check against the pinned version with its retries (a `retry.scheduled` event before each),
 * and returns one result: pass on the first attempt, warn when it passed only after a retry, fail
 * otherwise. A timeout says which URL, which version and which attempt.
 */
export async function runHttpCheck(
  ctx: HttpCheckContext,
  phase: PhaseName,
  spec: HttpCheckSpec,
  options: { judge?: Judge; configKey?: string } = {},
): Promise<CheckResult> {
  const judge = options.judge ?? ((r: ProbeResponse) => responseProblems(r, spec, ctx.version));
  const configKey = options.configKey ?? `health.checks["${spec.name}"]`;
  const started = performance.now();
  const url = await fullUrl(ctx.target, spec.path);
  const attempts = Math.max(1, spec.retries);
  const history: Array<Record<string, unknown>> = [];
  let last: { message: string; evidence: Record<string, unknown>; pinIgnored: boolean } | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (ctx.signal?.aborted) break;
    const outcome = await attemptOnce(ctx, spec, judge, url, attempt, attempts);
    history.push({
      attempt,
      ok: outcome.ok,
      message: outcome.message,
      latencyMs: outcome.evidence.latencyMs,
    });
    const base = { name: spec.name, critical: spec.critical ?? false, attempt, durationMs: elapsed(started) };
    const evidence = {
      method: spec.method,
      url,
      version: ctx.version,
      ...outcome.evidence,
      attempts: history,
    };
    if (outcome.ok) {
      const retried = attempt > 1;
      return {
        ...base,
        status: retried ? 'warn' : 'pass',
        score: retried ? HTTP_SCORE.warn : HTTP_SCORE.pass,
        message: retried
          ? `${spec.method} ${spec.path} passed on attempt ${attempt} of ${attempts} (earlier: ${last?.message})`
          : `${spec.method} ${spec.path} ${outcome.evidence.status} in ${formatDuration(Number(outcome.evidence.latencyMs))}`,
        evidence,
      };
    }
    last = { message: outcome.message, evidence, pinIgnored: outcome.pinIgnored };
    if (attempt < attempts && !ctx.signal?.aborted) {
      ctx.bus.emit({
        type: 'retry.scheduled',
        phase,
        name: spec.name,
        // The attempt that failed, as the release's retries report it ("attempt 1 failed: …; waiting 2s").
        attempt,
        delayMs: spec.retryDelay,
        reason: outcome.message,
      });
      await (ctx.sleep ?? abortableSleep(ctx.signal))(spec.retryDelay);
    }
  }
  const attempt = history.length;
  return {
    name: spec.name,
    status: 'fail',
    score: HTTP_SCORE.fail,
    // A response from another version means nothing was verified: treat it as critical whatever the config says.
    critical: (spec.critical ?? false) || (last?.pinIgnored ?? false),
    attempt,
    durationMs: elapsed(started),
    message:
      ctx.signal?.aborted && !last
        ? `${spec.name}: cancelled`
        : `${spec.name}: ${last?.message ?? 'cancelled'}`,
    hint: last?.pinIgnored
      ? 'The target routed the request by percentage: the version must be in the deployment (at 0%) for the override header to apply.'
      : `Check ${spec.method} ${url} on version ${ctx.version}; the expectation is ${configKey} in the config.`,
    evidence: last?.evidence ?? { method: spec.method, url, version: ctx.version, attempts: history },
  };
}

async function attemptOnce(
  ctx: HttpCheckContext,
  spec: HttpCheckSpec,
  judge: Judge,
  url: string,
  attempt: number,
  attempts: number,
): Promise<{ ok: boolean; message: string; evidence: Record<string, unknown>; pinIgnored: boolean }> {
  const where = `(version ${ctx.version}, attempt ${attempt} of ${attempts})`;
  try {
    const response = await probeSpec(ctx, spec);
    const problems = judge(response);
    const evidence = { ...responseEvidence(response), problems: problems.map((p) => p.message) };
    if (problems.length === 0) return { ok: true, message: 'ok', evidence, pinIgnored: false };
    const message = `${spec.method} ${url} ${problems.map((p) => p.message).join('; ')} ${where}`;
    return { ok: false, message, evidence, pinIgnored: problems.some((p) => p.kind === 'version') };
  } catch (err) {
    const message =
      err instanceof ProbeTimeout
        ? `${spec.method} ${url} timed out after ${formatDuration(spec.timeout)} ${where}`
        : `${spec.method} ${url} failed: ${errorText(err)} ${where}`;
    return {
      ok: false,
      message,
      evidence: { error: errorText(err), timedOut: err instanceof ProbeTimeout },
      pinIgnored: false,
    };
  }
}

/** The URL a person can paste: the target's base URL joined with the path. */
export async function fullUrl(target: PinnedTarget, path: string): Promise<string> {
  try {
    return `${(await target.url()).replace(/\/+$/, '')}${path}`;
  } catch {
    return path;
  }
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** A sleep that ends early when `signal` aborts (the caller then sees the abort and stops). */
export function abortableSleep(signal?: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
}

/** One request for a check's spec, pinned to the version under test. */
export function probeSpec(ctx: HttpCheckContext, spec: HttpCheckSpec): Promise<ProbeResponse> {
  return probe(ctx.target, spec.path, {
    method: spec.method,
    headers: spec.requestHeaders,
    version: ctx.version,
    timeoutMs: spec.timeout,
    signal: ctx.signal,
  });
}
