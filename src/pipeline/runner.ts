import { toShipshapeError } from '../errors/shipshape-error.ts';
import { phaseNumber } from '../events/phases.ts';
import type { PhaseName } from '../events/types.ts';
import type { Next, PhaseDef, PhaseOutcome, ReleaseContext } from './context.ts';
import { PHASES } from './phases/index.ts';
import { bestReachable, decideVerdict, type Verdict, type VerdictInput } from './score.ts';

export interface PipelineResult extends Verdict {
  phases: Partial<Record<PhaseName, number>>;
  stop: VerdictInput['stop'];
  reason: string | null;
}

/**
 * The one engine: runs the phase table in order, emits phase events, and stops as each row says. It never
 * switches traffic back itself; the caller performs the rollback the verdict asks for.
 */
export async function runPipeline(
  ctx: ReleaseContext,
  options: { from?: PhaseName; phases?: Partial<Record<PhaseName, number>>; table?: PhaseDef[] } = {},
): Promise<PipelineResult> {
  const table = options.table ?? PHASES;
  const phases: Partial<Record<PhaseName, number>> = { ...options.phases };
  const done: PhaseName[] = Object.keys(phases) as PhaseName[];
  let stop: VerdictInput['stop'] = null;
  let critical = false;
  let reason: string | null = null;
  const startAt = options.from ? table.findIndex((p) => p.name === options.from) : 0;

  for (const [index, phase] of table.entries()) {
    if (index < startAt) continue;
    if (ctx.options.dryRun && phase.dryRun === 'skip') continue;
    ctx.bus.emit({ type: 'phase.started', phase: phase.name, index: phaseNumber(phase.name) });
    const started = Date.now();
    const outcome = await runPhase(phase, ctx);
    phases[phase.name] = outcome.score;
    done.push(phase.name);
    ctx.bus.emit({
      type: 'phase.finished',
      phase: phase.name,
      score: outcome.score,
      status: outcome.status,
      durationMs: Date.now() - started,
    });
    if (outcome.critical) critical = true;
    if (outcome.next === 'done') break;
    if (outcome.next !== 'continue') {
      stop = { phase: phase.name, kind: stopKind(outcome.next) };
      reason = outcome.reason ?? null;
      break;
    }
    // Once users could reach the new version, stop as soon as the release can no longer pass.
    if (
      ctx.outputs.staged.length > 0 &&
      !ctx.options.dryRun &&
      !ctx.inspect &&
      bestReachable(phases, done) < ctx.config.score.warn
    ) {
      stop = { phase: phase.name, kind: 'rollback' };
      reason = `score can no longer reach ${ctx.config.score.warn}`;
      break;
    }
  }
  const verdict = decideVerdict({
    phases,
    stop,
    critical,
    thresholds: ctx.config.score,
    dryRun: ctx.options.dryRun,
    warnings: ctx.outputs.warnings.length,
  });
  return { ...verdict, phases, stop, reason };
}

async function runPhase(phase: PhaseDef, ctx: ReleaseContext): Promise<PhaseOutcome> {
  try {
    return await phase.run(ctx);
  } catch (err) {
    const error = toShipshapeError(err);
    ctx.bus.emit({ type: 'error', code: error.code, message: error.message, hint: error.hint });
    const next: Next =
      phase.onFailure === 'block' ? 'block' : phase.onFailure === 'stop' ? 'stop' : 'rollback';
    return { score: 0, status: 'fail', next, reason: error.message };
  }
}

function stopKind(next: Next): 'block' | 'stop' | 'rollback' | 'aborted' {
  if (next === 'block' || next === 'stop' || next === 'aborted') return next;
  return 'rollback';
}
