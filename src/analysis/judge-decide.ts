import { severityRank, worstSeverity } from '../events/severity.ts';
import type { Reason, Severity, VerdictAction } from '../events/types.ts';
import type { Finding } from './findings.ts';
import type { JudgeState } from './judge-state.ts';
import type { JudgeSettings, Observation, Verdict } from './judge-types.ts';

const secs = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms / 1000)} s` : 'an open-ended wait');

/** The finding that speaks for a group: the most severe, the first one on a tie. */
function lead(findings: Finding[]): Finding {
  return findings.reduce((best, f) => (severityRank(f.severity) > severityRank(best.severity) ? f : best));
}

/**
 * Turns the rules' findings into one verdict whose `decision` is the rule that decided it: a rollback
 * finding, a hold, too little data, proven non-inferiority (an early promote), or the bake's end.
 */
export function decide(
  findings: Finding[],
  state: JudgeState,
  obs: Observation,
  settings: JudgeSettings,
  /** The canary is proven no worse than the baseline and no route leans toward a regression. */
  nonInferior: boolean,
): { verdict: Verdict; pause: boolean } {
  const worst = worstSeverity(...findings.map((f) => f.severity));
  const canaryN = state.step.canary.requests;
  const { minSamples } = settings.analysis;
  const enough = canaryN >= minSamples;
  const base: Severity = canaryN > 0 ? 'low' : 'none';
  const warnings = findings.filter((f) => f.act === 'warn').map((f) => f.reason);
  const holds = findings.filter((f) => f.act === 'hold');
  const make = (
    action: VerdictAction,
    severity: Severity,
    decision: Reason,
    extra: Partial<Verdict> = {},
  ) => ({
    verdict: {
      action,
      severity,
      decision,
      reasons: [decision, ...findings.map((f) => f.reason).filter((r) => r !== decision)],
      warnings,
      ...extra,
    },
    pause: false,
  });
  const rollbacks = findings.filter((f) => f.act === 'rollback');
  if (rollbacks.length) return make('rollback', worst, lead(rollbacks).reason);
  const extensionOver = obs.elapsedMs >= obs.bakeMs + obs.maxExtensionMs;
  const where = obs.phase === 'monitor' ? 'monitor window' : 'bake';
  if (obs.elapsedMs < obs.bakeMs) {
    const early =
      obs.phase === 'bake' &&
      obs.minBakeMs !== undefined &&
      obs.elapsedMs >= obs.minBakeMs &&
      enough &&
      nonInferior &&
      holds.length === 0;
    if (early) {
      const decision: Reason = {
        rule: 'non-inferior',
        message: `canary proven no worse than the baseline over ${canaryN} requests after ${secs(obs.elapsedMs)} (minimum ${secs(obs.minBakeMs ?? 0)}): ending the ${secs(obs.bakeMs)} bake early`,
        figures: {
          requests: canaryN,
          elapsedMs: obs.elapsedMs,
          minBakeMs: obs.minBakeMs ?? 0,
          bakeMs: obs.bakeMs,
        },
      };
      return make('promote', worstSeverity(base, worst), decision, { early: true });
    }
    if (holds.length) return make('hold', worstSeverity(base, worst), lead(holds).reason);
    const decision: Reason = {
      rule: obs.phase === 'monitor' ? 'monitoring' : 'baking',
      message: `${canaryN} canary requests in ${secs(obs.elapsedMs)} of the ${secs(obs.bakeMs)} ${where}: nothing against the canary${warnings.length ? ' but warnings' : ''}`,
      figures: { requests: canaryN, elapsedMs: obs.elapsedMs, bakeMs: obs.bakeMs },
    };
    return make('continue', worstSeverity(base, worst), decision);
  }
  if (!enough) {
    const reason: Reason = {
      rule: 'inconclusive',
      message: `only ${canaryN} canary requests, ${minSamples} needed to judge`,
      figures: { requests: canaryN, minSamples },
    };
    if (!extensionOver) return make('hold', 'inconclusive', reason);
    if (settings.onInconclusive === 'rollback') return make('rollback', 'inconclusive', reason);
    return { ...make('hold', 'inconclusive', reason), pause: true };
  }
  // A hold lasts while the extension does; then each becomes what it says at the end (a band whose
  // canary is worse than the baseline rolls back; any other goes on with its warning on record).
  if (holds.length && !extensionOver) return make('hold', worstSeverity(base, worst), lead(holds).reason);
  const ends = holds.map((h) => h.atEnd ?? { act: 'warn' as const, severity: h.severity, reason: h.reason });
  const back = ends.filter((e) => e.act === 'rollback');
  if (back.length) return make('rollback', worstSeverity(...back.map((e) => e.severity)), back[0].reason);
  warnings.push(...ends.map((e) => e.reason));
  const severity = worstSeverity(
    base,
    severityRank(worst) > 0 ? worst : 'low',
    warnings.length ? 'medium' : 'none',
  );
  const decision: Reason = {
    rule: obs.phase === 'monitor' ? 'monitor-complete' : 'bake-complete',
    message: `${where} over with ${canaryN} canary requests and nothing against the canary${warnings.length ? `; ${warnings.length} warning(s) on record` : ''}`,
    figures: { requests: canaryN, elapsedMs: obs.elapsedMs, bakeMs: obs.bakeMs },
  };
  return make('promote', severity, decision);
}
