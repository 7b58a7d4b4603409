import type { Reason, Severity } from '../events/types.ts';
import { eValue } from './e-process.ts';
import type { JudgeState } from './judge-state.ts';

/**
 * What one rule says about the latest interval. `hold` keeps the step going past its bake (up to the
 * longest extension); `warn` only puts a warning on record. `atEnd` is what a hold becomes once the
 * extension is over (absent: a warning).
 */
export interface Finding {
  act: 'rollback' | 'hold' | 'warn' | null;
  severity: Severity;
  reason: Reason;
  atEnd?: { act: 'rollback' | 'warn'; severity: Severity; reason: Reason };
}

/**
 * How the false-rollback budget `alpha` is shared between the sequential tests: by the union bound the
 * chance that ANY of them fires on a healthy canary is at most alpha. The relative error test, the one
 * that catches most regressions, gets the largest share; the per-route tests share theirs over
 * MAX_ROUTES slots (route-judge.ts). The non-inferiority tests guard the other error (promoting a worse
 * canary early) and have their own alpha (non-inferiority.ts).
 */
export const ALPHA_SHARE = {
  relErrors: 0.35,
  relLatency: 0.1,
  refErrors: 0.1,
  refLatency: 0.05,
  absErrors: 0.1,
  absLatency: 0.05,
} as const;

export type ShareTest = keyof typeof ALPHA_SHARE;

/** The e-value a test must reach to count as proof. */
export const thresholdOf = (alpha: number, test: ShareTest) => 1 / (alpha * ALPHA_SHARE[test]);

export const provenTest = (state: JudgeState, alpha: number, test: ShareTest) =>
  eValue(state.evidence[test]) >= thresholdOf(alpha, test);

export const round = (x: number, digits = 4) => Number(x.toFixed(digits));
export const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
