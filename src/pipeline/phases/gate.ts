import type { CheckResult, GateContext } from '../../checks/check.ts';
import { gateChecks, runGateChecks } from '../../checks/gate/index.ts';
import { gateEnv } from '../../config/dev-vars.ts';
import type { PhaseDef, PhaseOutcome } from '../context.ts';
import { emitCheck } from '../emit-check.ts';
import { componentOf } from './release.ts';

/** Checks that read one component's own files, secrets or build: each further component runs them again. */
const PER_COMPONENT = new Set(['env', 'bindings', 'migrations', 'promotion']);

/**
 * Phase 1: every check runs (in parallel) and every failure is reported; any failure blocks the release. The
 * project's checks run once; each component's own (env, bindings, migrations) run for every component.
 */
export const gatePhase: PhaseDef = {
  name: 'gate',
  title: 'Gate',
  dryRun: 'run',
  settle: 'all',
  onFailure: 'block',
  async run(ctx) {
    const [first, ...others] = ctx.units;
    const base = {
      env: ctx.env,
      now: ctx.now(),
      bus: ctx.bus,
      signal: ctx.signal,
      forceWindow: ctx.options.forceWindow,
      skipPromotion: ctx.options.skipPromotion ?? null,
    };
    const results: Array<{ result: CheckResult; component?: string }> = [];
    // Outside a release (`check`) nothing deployed is read through a target that may not be running.
    const targetOf = (unit: typeof first) => (ctx.inspect ? null : unit.target);
    const firstResults = await gateResults({ ...base, config: first.config, target: targetOf(first) });
    results.push(...firstResults.map((result) => ({ result, component: componentOf(first) })));
    for (const unit of others) {
      const input = { ...base, config: unit.config, target: targetOf(unit) };
      const checks = gateChecks(unit.config).filter((c) => PER_COMPONENT.has(c.name));
      const own = await gateResults(input, checks);
      results.push(...own.map((result) => ({ result, component: componentOf(unit) })));
    }
    for (const { result, component } of results) emitCheck(ctx.bus, 'gate', result, component);
    return gateOutcome(results.map((r) => r.result));
  },
};

/** The gate on its own (`shipshape check` runs exactly this for one component). */
export async function runGate(input: GateContext): Promise<PhaseOutcome> {
  const results = await gateResults(input);
  for (const result of results) emitCheck(input.bus, 'gate', result);
  return gateOutcome(results);
}

async function gateResults(
  input: GateContext,
  checks?: ReturnType<typeof gateChecks>,
): Promise<CheckResult[]> {
  // The worker's local vars count as set, as wrangler dev would see them; the process env wins.
  const env = gateEnv(input.env, input.config.worker.projectDir, input.config.worker.env);
  return runGateChecks({ ...input, env }, { checks });
}

function gateOutcome(results: CheckResult[]): PhaseOutcome {
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    return { score: 0, status: 'fail', next: 'block', reason: failed.map((r) => r.name).join(', ') };
  }
  const warned = results.some((r) => r.status === 'warn');
  return { score: warned ? 4 : 5, status: warned ? 'warn' : 'pass', next: 'continue' };
}
