import { toShipshapeError } from '../../errors/shipshape-error.ts';
import type { Split } from '../../targets/target.ts';
import type { PhaseDef, ReleaseContext } from '../context.ts';
import { emitCheck } from '../emit-check.ts';
import { withRetries } from '../retry.ts';
import { applyReleaseMigrations } from './release-migrations.ts';

/**
 * Phase 2: build, back up and migrate the database, upload at 0% and put the new version in the deployment at 0%
 * (so it can be pinned by header). Each step retried on transient errors only; fails fast.
 */
export const releasePhase: PhaseDef = {
  name: 'release',
  title: 'Release',
  dryRun: 'own',
  settle: 'fail-fast',
  onFailure: 'stop',
  async run(ctx) {
    let maxAttempt = 1;
    const step = async <T>(
      name: string,
      fn: () => Promise<T>,
      evidence: (value: T) => Record<string, unknown> = () => ({}),
    ): Promise<T> => {
      const started = Date.now();
      try {
        const { value, attempt } = await withRetries(() => fn(), {
          policy: ctx.config.release.retries,
          phase: 'release',
          name,
          bus: ctx.bus,
          sleep: ctx.sleep,
          signal: ctx.signal,
        });
        maxAttempt = Math.max(maxAttempt, attempt);
        emitCheck(ctx.bus, 'release', {
          name,
          status: 'pass',
          score: attempt === 1 ? 5 : 4,
          message: attempt === 1 ? 'ok' : `ok on attempt ${attempt}`,
          evidence: evidence(value),
          attempt,
          durationMs: Date.now() - started,
        });
        return value;
      } catch (err) {
        const e = toShipshapeError(err);
        emitCheck(ctx.bus, 'release', {
          name,
          status: 'fail',
          score: 0,
          message: `${e.code}: ${e.message}`,
          hint: e.hint,
          // The build's whole output, shown with --verbose.
          evidence: { code: e.code, ...(e.details.output ? { output: e.details.output } : {}) },
          durationMs: Date.now() - started,
        });
        throw err;
      }
    };

    try {
      const artifact = await step(
        'build',
        () => ctx.target.build(),
        (a) => ({ hash: a.hash, builtWith: a.builtWith ?? 'unknown' }),
      );
      ctx.state.artifact = artifact;
      if (ctx.options.dryRun) return { score: 5, status: 'pass', next: 'continue' };
      // Upload first: the target starts the new version before accepting it, so a worker that throws at load
      // is refused before any migration touches the database.
      const version = await step('upload', () =>
        ctx.target.upload(artifact, {
          message: ctx.options.message ?? `shipshape release ${ctx.releaseId}`,
          tag: ctx.releaseId,
        }),
      );
      ctx.state.canary = version.id;
      ctx.bus.emit({
        type: 'version.uploaded',
        version: version.id,
        hash: version.hash,
        attempt: maxAttempt,
      });
      await applyReleaseMigrations(ctx, step);
      const split = stagingSplit(ctx);
      await step(ctx.state.baseline ? 'deploy at 0%' : 'deploy at 0% (pinned only)', () =>
        ctx.target.setTraffic(split, `shipshape ${ctx.releaseId}: stage at 0%`),
      );
      ctx.state.inDeployment = true;
      ctx.bus.emit({ type: 'traffic.changed', split });
    } catch (err) {
      return { score: 0, status: 'fail', next: 'stop', reason: toShipshapeError(err).message };
    }
    return { score: maxAttempt === 1 ? 5 : 4, status: maxAttempt === 1 ? 'pass' : 'warn', next: 'continue' };
  },
};

/**
 * Baseline keeps 100% and the canary joins at 0%. A first release joins at 0% beside nothing (pinned-only):
 * it answers pinned requests for verify and e2e, and nobody else reaches it until the rollout moves traffic.
 */
function stagingSplit(ctx: ReleaseContext): Split[] {
  const canary = ctx.state.canary as string;
  if (!ctx.state.baseline) return [{ version: canary, percent: 0 }];
  return [
    { version: ctx.state.baseline, percent: 100 },
    { version: canary, percent: 0 },
  ];
}
