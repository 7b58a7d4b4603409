import { componentName } from '../config/resolved.ts';
import { EXIT, toShipshapeError } from '../errors/shipshape-error.ts';
import type { Outcome } from '../events/types.ts';
import type { ReleaseContext, StagedUnit } from './context.ts';
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
  const { staged, warnings } = ctx.outputs;
  if (result.rollback && staged.length > 0) {
    const reason = result.reason ?? `score ${result.score} below ${ctx.config.score.warn}`;
    try {
      // A project with components takes every staged component back, each named in the events.
      const acted = staged[0].config.component.implicit
        ? await rollBackOne(ctx, staged[0], reason)
        : await rollBackComponents(ctx, reason);
      if (!acted) {
        // Stopped before its rollout, a first release only ever answered pinned checks: nothing to undo, and no
        // earlier version is put back in front of users who never had it. Failed, but stopped by its own
        // checks as a rollback would be: exit 1, not an internal failure.
        ctx.bus.emit({
          type: 'log',
          level: ctx.outputs.servedAtOnce ? 'warn' : 'info',
          message: ctx.outputs.servedAtOnce ? SERVED_AT_ONCE : NOTHING_SERVED,
        });
        outcome = 'failed';
        exitCode = EXIT.rolledBack;
      }
    } catch (err) {
      const error = toShipshapeError(err);
      ctx.bus.emit({ type: 'error', code: error.code, message: error.message, hint: error.hint });
      outcome = 'failed';
      exitCode = EXIT.rollbackFailed;
    }
  }
  const [first] = staged;
  const decidedBy = ctx.outputs.rollout?.decidedBy;
  ctx.bus.emit({
    type: 'release.finished',
    score: result.score,
    outcome,
    phases: result.phases,
    durationMs: Date.now() - started,
    version: first?.canary ?? null,
    baseline: first ? first.baseline : null,
    ...(warnings.length ? { warnings } : {}),
    ...(first && componentName(first.config)
      ? { components: staged.map((u) => ({ name: u.name, version: u.canary, baseline: u.baseline })) }
      : {}),
    ...(decidedBy && outcome !== 'promoted' ? { decidedBy } : {}),
  });
  return { releaseId: ctx.releaseId, outcome, score: result.score, exitCode };
}

/** The project's one worker back to its baseline, or withdrawn when its first release has served; false: nothing to do. */
async function rollBackOne(ctx: ReleaseContext, unit: StagedUnit, reason: string): Promise<boolean> {
  const deps = { ...rollbackDeps(ctx), config: unit.config, target: unit.target };
  if (unit.baseline)
    await performRollback(deps, { releaseId: ctx.releaseId, from: unit.canary, to: unit.baseline, reason });
  else if (ctx.outputs.served)
    await withdraw(deps, { releaseId: ctx.releaseId, canary: unit.canary, reason });
  else return false;
  return true;
}

function rollbackDeps(ctx: ReleaseContext) {
  const target = ctx.units[0].target;
  return { config: ctx.config, target, bus: ctx.bus, env: ctx.env, sleep: ctx.sleep };
}

/**
 * Every component of the release back to what served before, in reverse release order (dependants first);
 * a component's first release goes back to pinned-only once it has served, and is left pinned-only before.
 */
async function rollBackComponents(ctx: ReleaseContext, reason: string): Promise<boolean> {
  const staged = ctx.outputs.staged;
  const components = [...staged]
    .reverse()
    .filter((u) => u.baseline !== null || ctx.outputs.served)
    .map((u) => ({ name: u.name, config: u.config, target: u.target, from: u.canary, to: u.baseline }));
  if (components.length === 0) return false;
  const decided = staged.find((u) => u.name === ctx.outputs.rollout?.decidedBy) ?? staged[0];
  await performRollback(rollbackDeps(ctx), {
    releaseId: ctx.releaseId,
    from: decided.canary,
    to: decided.baseline,
    reason,
    components,
  });
  return true;
}

const NOTHING_SERVED =
  'nothing was served by the new version: it stays pinned-only (unpinned requests get 503 "no version serving yet")';

const SERVED_AT_ONCE =
  "the new Worker's first version serves everyone already (the platform takes a new Worker no other way) and no earlier version exists to return to: fix it and deploy again";

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
