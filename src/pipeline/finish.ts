import { EXIT, toShipshapeError } from '../errors/shipshape-error.ts';
import type { Outcome } from '../events/types.ts';
import { lastPromotedVersion, listReleases } from '../state/history.ts';
import type { ReleaseContext } from './context.ts';
import { performRollback } from './rollback.ts';
import type { PipelineResult } from './runner.ts';

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
    const to =
      ctx.state.baseline ??
      lastPromotedVersion(listReleases(ctx.config.projectDir, { env: ctx.config.env }), ctx.state.canary);
    try {
      await performRollback(
        { config: ctx.config, target: ctx.target, bus: ctx.bus, env: ctx.env, sleep: ctx.sleep },
        {
          releaseId: ctx.releaseId,
          from: ctx.state.canary,
          to,
          reason: result.reason ?? `score ${result.score} below ${ctx.config.score.warn}`,
        },
      );
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
  });
  return { releaseId: ctx.releaseId, outcome, score: result.score, exitCode };
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
