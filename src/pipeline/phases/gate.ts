import type { GateContext } from '../../checks/check.ts';
import { runGateChecks } from '../../checks/gate/index.ts';
import { gateEnv } from '../../config/dev-vars.ts';
import type { PhaseDef, PhaseOutcome } from '../context.ts';
import { emitCheck } from '../emit-check.ts';

/** Phase 1: every check runs (in parallel) and every failure is reported; any failure blocks the release. */
export const gatePhase: PhaseDef = {
  name: 'gate',
  title: 'Gate',
  dryRun: 'run',
  settle: 'all',
  onFailure: 'block',
  run: (ctx) =>
    runGate({
      config: ctx.config,
      env: ctx.env,
      now: ctx.now(),
      target: ctx.target,
      bus: ctx.bus,
      signal: ctx.signal,
      forceWindow: ctx.options.forceWindow,
    }),
};

/** The gate on its own (`shipshape check` runs exactly this). */
export async function runGate(input: GateContext): Promise<PhaseOutcome> {
  // The worker's local vars count as set, as wrangler dev would see them; the process env wins.
  const env = gateEnv(input.env, input.config.projectDir, input.config.worker.env);
  const results = await runGateChecks({ ...input, env });
  for (const result of results) emitCheck(input.bus, 'gate', result);
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    return { score: 0, status: 'fail', next: 'block', reason: failed.map((r) => r.name).join(', ') };
  }
  const warned = results.some((r) => r.status === 'warn');
  return { score: warned ? 4 : 5, status: warned ? 'warn' : 'pass', next: 'continue' };
}
