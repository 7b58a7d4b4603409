import { EXIT, toShipshapeError } from '../errors/shipshape-error.ts';
import type { Outcome } from '../events/types.ts';
import type { ReleaseContext } from './context.ts';
import { performRollback } from './rollback.ts';
import type { PipelineResult } from './runner.ts';
import { withdraw } from './withdraw.ts';

export interface DeployResult {
  releaseId: string;
  outcome: Outcome;
  score: number;
  exitCode: number;
}

/** Applies the verdict (rolling back when it says so) and closes the release with its outcome. */
export async function finish(
  ctx: ReleaseContext,
  result: PipelineResult,
  started: number,
): Promise<DeployResult> {
  let { outcome } = result;
  let exitCode = exitFor(outcome);
  if (result.rollback && ctx.state.inDeployment) {
    const reason = result.reason ?? `score ${result.score} below ${ctx.config.score.warn}`;
    try {
      if (ctx.state.baseline) {
        await performRollback(rollbackDeps(ctx), {
          releaseId: ctx.releaseId,
          from: ctx.state.canary,
          to: ctx.state.baseline,
          reason,
        });
      } else if (!ctx.state.served) {
        // A first release stopped before its rollout: it only ever answered pinned checks. Nothing to undo,
        // and no earlier version is put back in front of users who never had it.
        ctx.bus.emit({
          type: 'log',
          level: 'info',
          message: `nothing was served by ${ctx.state.canary?.slice(0, 8)}: it stays pinned-only (unpinned requests get 503 "no version serving yet")`,
        });
        // Failed, but stopped by its own checks as a rollback would be: exit 1, not an internal failure.
        outcome = 'failed';
        exitCode = EXIT.rolledBack;
      } else {
        await withdraw(rollbackDeps(ctx), { releaseId: ctx.releaseId, canary: ctx.state.canary, reason });
      }
    } catch (err) {
      const error = toShipshapeError(err);
      ctx.bus.emit({ type: 'error', code: error.code, message: error.message, hint: error.hint });
      outcome = 'failed';
      exitCode = EXIT.rollbackFailed;
    }
  }
  ctx.bus.emit({
    type: 'release.finished',
    score: result.score,
    outcome,
    phases: result.phases,
    durationMs: Date.now() - started,
    version: ctx.state.canary,
    baseline: ctx.state.baseline,
    ...(ctx.state.warnings.length ? { warnings: ctx.state.warnings } : {}),
  });
  return { releaseId: ctx.releaseId, outcome, score: result.score, exitCode };
}

function rollbackDeps(ctx: ReleaseContext) {
  return { config: ctx.config, target: ctx.target, bus: ctx.bus, env: ctx.env, sleep: ctx.sleep };
}

export function exitFor(outcome: Outcome): number {
  switch (outcome) {
    case 'promoted':
    case 'planned':
      return EXIT.ok;
    case 'rolled_back':
    case 'aborted':
      return EXIT.rolledBack;
    case 'blocked':
      return EXIT.blocked;
    default:
      return EXIT.failed;
  }
}
