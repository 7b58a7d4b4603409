import type { ResolvedConfig } from '../../config/resolved.ts';
import type { CheckResult } from '../check.ts';
import {
  type AnswerDifference,
  answerDifferences,
  beyondNoise,
  differenceKey,
  namesItsVersion,
} from './compare-answers.ts';
import { HTTP_SCORE } from './http-check.ts';
import { type PinnedTarget, probe } from './probe.ts';

export const COMPARISON = 'response comparison';

/** Only idempotent requests are ever sent to both versions. */
const IDEMPOTENT = new Set(['GET', 'HEAD']);
const TIMEOUT_MS = 10_000;
const MAX_VALUE = 200;
const MAX_FINDINGS = 20;

/** One version's side of the comparison: its target and the version every request pins. */
export interface CompareSide {
  target: PinnedTarget;
  version: string;
}

export interface CompareContext {
  baseline: CompareSide;
  canary: CompareSide;
  config: Pick<ResolvedConfig, 'analysis' | 'health' | 'e2e' | 'rollout'>;
  signal?: AbortSignal;
}

export interface CompareRequest {
  method: string;
  path: string;
}

/** A difference beyond the noise, with the request it came from and values cut to ~200 characters. */
export interface ComparisonFinding {
  method: string;
  path: string;
  part: AnswerDifference['part'];
  jsonPath: string | null;
  header?: string;
  baseline: string;
  canary: string;
}

/**
 * The requests compared: `analysis.compare.paths` as GETs, else `rollout.traffic.paths` and the GET/HEAD paths
 * of the e2e endpoints and the health checks, once each.
 * @example comparisonRequests(config) // [{ method: 'GET', path: '/health' }, …]
 */
export function comparisonRequests(config: CompareContext['config']): CompareRequest[] {
  const configured = config.analysis.compare.paths;
  const all = configured.length
    ? configured.map((path) => ({ method: 'GET', path }))
    : [
        ...config.rollout.traffic.paths.map((p) => ({ method: 'GET', path: p.path })),
        ...[...config.e2e.endpoints, ...config.health.checks].filter((c) => IDEMPOTENT.has(c.method)),
      ];
  const seen = new Map(all.map((r) => [`${r.method} ${r.path}`, { method: r.method, path: r.path }]));
  return [...seen.values()];
}

/**
 * One path, `analysis.compare.samples` rounds of baseline, canary, baseline: the differences between the
 * canary and the baseline beyond what the baseline's two answers differ on (Diffy's noise), and the ignored
 * paths. Refuses any method but GET and HEAD before sending anything.
 * @example await comparePath(ctx, { method: 'GET', path: '/api/items' }) // [{ jsonPath: '$.price', … }]
 */
export async function comparePath(
  ctx: CompareContext,
  request: CompareRequest,
): Promise<ComparisonFinding[]> {
  if (!IDEMPOTENT.has(request.method)) {
    throw new Error(`response comparison sends only GET and HEAD, not ${request.method} ${request.path}`);
  }
  const settings = ctx.config.analysis.compare;
  const ask = (side: CompareSide) =>
    probe(side.target, request.path, {
      method: request.method,
      headers: {},
      version: side.version,
      timeoutMs: TIMEOUT_MS,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  const noise: AnswerDifference[] = [];
  const differences: AnswerDifference[] = [];
  for (let i = 0; i < settings.samples; i++) {
    const first = await ask(ctx.baseline);
    const canary = await ask(ctx.canary);
    const second = await ask(ctx.baseline);
    noise.push(...answerDifferences(first, second, settings.headers));
    differences.push(
      ...answerDifferences(first, canary, settings.headers).filter(
        (d) => !namesItsVersion(d, ctx.baseline.version, ctx.canary.version),
      ),
    );
  }
  return beyondNoise(differences, noise, settings.ignore).map((d) => ({
    method: request.method,
    path: request.path,
    part: d.part,
    jsonPath: d.jsonPath,
    ...(d.header ? { header: d.header } : {}),
    baseline: shown(d.baseline, d.jsonPath !== null),
    canary: shown(d.canary, d.jsonPath !== null),
  }));
}

/**
 * Phase 3's `response comparison`: every request of `comparisonRequests` compared between the baseline and
 * the canary. A finding is a warn (one point) or, with `onDifference: 'rollback'`, a critical failure.
 * @example emitCheck(bus, 'verify', await compareResponses(ctx), component)
 */
export async function compareResponses(ctx: CompareContext): Promise<CheckResult> {
  const started = performance.now();
  const settings = ctx.config.analysis.compare;
  const requests = comparisonRequests(ctx.config);
  const findings: ComparisonFinding[] = [];
  const unreachable: string[] = [];
  for (const request of requests) {
    try {
      findings.push(...(await comparePath(ctx, request)));
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      unreachable.push(
        `${request.method} ${request.path}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  const durationMs = Math.round(performance.now() - started);
  const compared = requests.length - unreachable.length;
  const base = {
    baselineVersion: ctx.baseline.version,
    canaryVersion: ctx.canary.version,
    samples: settings.samples,
  };
  if (compared === 0) {
    return comparisonSkipped(`no request could be compared (${unreachable[0] ?? 'no GET path to ask'})`, {
      ...base,
      unreachable,
    });
  }
  const [first] = findings;
  if (!first) {
    const paths = requests.map((r) => `${r.method} ${r.path}`).join(', ');
    return {
      name: COMPARISON,
      status: 'pass',
      score: HTTP_SCORE.pass,
      message: `the canary answers ${paths} as the baseline does (${settings.samples} samples each, noise excluded)`,
      evidence: { ...base, requests: requests.length, unreachable },
      durationMs,
    };
  }
  const rollback = settings.onDifference === 'rollback';
  const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : '';
  return {
    name: COMPARISON,
    status: rollback ? 'fail' : 'warn',
    score: rollback ? HTTP_SCORE.fail : HTTP_SCORE.warn,
    message: `${first.method} ${first.path}: ${differenceKey(first)} differs from the baseline (baseline ${first.baseline}, canary ${first.canary})${more}`,
    hint: 'an intended change? list its JSON path in analysis.compare.ignore; noise the baseline shows itself is never reported',
    evidence: {
      ...base,
      path: first.path,
      jsonPath: first.jsonPath,
      baseline: first.baseline,
      canary: first.canary,
      findings: findings.slice(0, MAX_FINDINGS),
      requests: requests.length,
      unreachable,
    },
    ...(rollback ? { critical: true } : {}),
    durationMs,
  };
}

/** The comparison when there is nothing to compare with (a first release) or nothing could be asked. */
export function comparisonSkipped(reason: string, evidence: Record<string, unknown> = {}): CheckResult {
  return { name: COMPARISON, status: 'skip', score: 0, message: `skipped: ${reason}`, evidence };
}

/** A value as a person reads it: JSON in a JSON body, `(missing)` when absent, cut to ~200 characters. */
function shown(value: unknown, json: boolean): string {
  const text =
    value === undefined ? '(missing)' : typeof value === 'string' && !json ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}
