import type { CheckResult } from '../check.ts';
import { type HttpCheckSpec, missingHeaders, versionProblems } from './expectations.ts';
import { type HttpCheckContext, runHttpCheck } from './http-check.ts';

export type HealthContext = HttpCheckContext;

/**
 * Phase 3: every `health.checks` entry against the new version pinned by header, one after another (as a
 * person would, and so latencies are not measured under our own load), then `health.securityHeaders` as
 * the "security headers" check on the first check's path. Returns every result; score them with
 * `healthPhaseScore`.
 * @example const results = await runHealthChecks({ target, version: v.id, config, bus })
 */
export async function runHealthChecks(ctx: HealthContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const spec of ctx.config.health.checks) {
    results.push(await runHttpCheck(ctx, 'verify', spec));
  }
  const security = securityHeadersSpec(ctx);
  if (security) {
    const required = ctx.config.health.securityHeaders;
    results.push(
      await runHttpCheck(ctx, 'verify', security, {
        configKey: 'health.securityHeaders',
        judge: (response) => {
          const problems = versionProblems(response, ctx.version);
          const missing = missingHeaders(response, required);
          if (missing.length > 0)
            problems.push({
              kind: 'headers' as const,
              message: `missing security header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
            });
          return problems;
        },
      }),
    );
  }
  return results;
}

/** The security-headers probe: the first health check's request, judged on headers only. */
function securityHeadersSpec(ctx: HealthContext): HttpCheckSpec | null {
  const required = ctx.config.health.securityHeaders;
  if (required.length === 0) return null;
  const first = ctx.config.health.checks[0];
  return {
    name: 'security headers',
    path: first?.path ?? '/',
    method: first?.method ?? 'GET',
    status: first?.status ?? 200,
    headers: required,
    requestHeaders: first?.requestHeaders ?? {},
    maxLatency: first?.maxLatency ?? 2000,
    critical: false,
    retries: first?.retries ?? 3,
    retryDelay: first?.retryDelay ?? 2000,
    timeout: first?.timeout ?? 10_000,
  };
}
