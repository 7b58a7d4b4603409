import { toShipshapeError } from '../../errors/shipshape-error.ts';
import type { ReleaseContext } from '../context.ts';
import { emitCheck } from '../emit-check.ts';
import { withRetries } from '../retry.ts';

/** One release step, retried on transient errors only, reported as a check (of a component when it names one). */
export type ReleaseStep = <T>(
  name: string,
  fn: () => Promise<T>,
  evidence?: (value: T) => Record<string, unknown>,
) => Promise<T>;

/** Steps that remember the highest attempt any of them needed (a retried release scores 4, not 5). */
export function releaseSteps(ctx: ReleaseContext): {
  step: (component?: string) => ReleaseStep;
  maxAttempt: () => number;
} {
  let maxAttempt = 1;
  const step =
    (component?: string): ReleaseStep =>
    async (name, fn, evidence = () => ({})) => {
      const label = component ? `${name} ${component}` : name;
      const started = Date.now();
      try {
        const { value, attempt } = await withRetries(() => fn(), {
          policy: ctx.config.release.retries,
          phase: 'release',
          name: label,
          bus: ctx.bus,
          sleep: ctx.sleep,
          signal: ctx.signal,
        });
        maxAttempt = Math.max(maxAttempt, attempt);
        emitCheck(
          ctx.bus,
          'release',
          {
            name: label,
            status: 'pass',
            score: attempt === 1 ? 5 : 4,
            message: attempt === 1 ? 'ok' : `ok on attempt ${attempt}`,
            evidence: evidence(value),
            attempt,
            durationMs: Date.now() - started,
          },
          component,
        );
        return value;
      } catch (err) {
        const e = toShipshapeError(err);
        emitCheck(
          ctx.bus,
          'release',
          {
            name: label,
            status: 'fail',
            score: 0,
            message: `${e.code}: ${e.message}`,
            hint: e.hint,
            // The build's whole output, shown with --verbose.
            evidence: { code: e.code, ...(e.details.output ? { output: e.details.output } : {}) },
            durationMs: Date.now() - started,
          },
          component,
        );
        throw err;
      }
    };
  return { step, maxAttempt: () => maxAttempt };
}
