import type { ResolvedConfig } from '../../config/resolved.ts';
import type { CheckResult, GateCheck, GateContext } from '../check.ts';
import { timed } from '../shared/result.ts';
import { bindingsCheck } from './bindings.ts';
import { consoleLogCheck } from './console-log.ts';
import { deployWindowCheck } from './deploy-window.ts';
import { envCheck } from './env.ts';
import { branchCheck, cleanTreeCheck } from './git.ts';
import { migrationsCheck } from './migrations.ts';
import { incidentsGateOn, platformIncidentsCheck } from './platform-incidents.ts';
import { promotionCheck } from './promotion.ts';
import { toolchainCheck } from './toolchain.ts';
import { userCommandCheck } from './user-command.ts';

/**
 * The built-in gate checks the config turns on, in report order: window, platform incidents, promotion, git, env,
 * wrangler, migrations (sequence + lint), `console.log`, then each user check.
 * @example const checks = [...gateChecks(config), migrationsLintCheck]
 */
export function gateChecks(config: ResolvedConfig): GateCheck[] {
  const gates = config.gates;
  const checks: GateCheck[] = [deployWindowCheck];
  if (incidentsGateOn(config)) checks.push(platformIncidentsCheck);
  if (gates.promotedIn !== null && gates.promotedIn !== config.env) checks.push(promotionCheck);
  if (gates.branch !== false) checks.push(branchCheck(gates.branch));
  if (gates.cleanTree) checks.push(cleanTreeCheck);
  checks.push(envCheck, toolchainCheck, bindingsCheck, migrationsCheck);
  if (gates.consoleLog.enabled) checks.push(consoleLogCheck);
  for (const check of gates.checks) checks.push(userCommandCheck(check));
  return checks;
}

export interface RunGateOptions {
  /** Defaults to `gateChecks(ctx.config)`; pass a longer list to add checks (e.g. the migrations lint). */
  checks?: GateCheck[];
  /** Called as each result lands, for a live view; the returned array is still complete and ordered. */
  onResult?: (result: CheckResult) => void;
}

/**
 * Runs every gate check in parallel and returns every result in the checks' order: it never stops at the
 * first failure, and a check that throws becomes a failing result. Any 'fail' blocks the release.
 * @example const results = await runGateChecks(ctx); const blocked = results.some((r) => r.status === 'fail')
 */
export async function runGateChecks(ctx: GateContext, options: RunGateOptions = {}): Promise<CheckResult[]> {
  const checks = options.checks ?? gateChecks(ctx.config);
  const settled = await Promise.all(
    checks.map(async (check) => {
      const results = (await timed(check.name, () => check.run(ctx))).map((r) => ({
        ...r,
        // A failing gate check always blocks the release.
        critical: r.status === 'fail' ? true : r.critical,
      }));
      for (const r of results) options.onResult?.(r);
      return results;
    }),
  );
  return settled.flat();
}
