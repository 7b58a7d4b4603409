import type { ResolvedConfig } from '../config/resolved.ts';
import type { Reason, Severity, VerdictAction } from '../events/types.ts';
import type { Counts, JudgeState } from './judge-state.ts';

/** What the judge decides after one interval. */
export interface Verdict {
  action: VerdictAction;
  severity: Severity;
  /** The deciding reason first (`decision`), then every other rule's finding. */
  reasons: Reason[];
  /** The rule that decided this verdict, with its sentence. */
  decision: Reason;
  /** Bands that did not act because a rollback would not help: the release is a WARNING. */
  warnings: Reason[];
  /** A promote before the bake is over: the canary is proven no worse and the minimum bake has passed. */
  early?: boolean;
}

export interface JudgeSettings {
  analysis: ResolvedConfig['analysis'];
  monitor: Pick<ResolvedConfig['monitor'], 'interval' | 'sustained'>;
  onInconclusive: 'rollback' | 'pause';
}

/** One look at the windows: the interval's figures plus where the step stands in time. */
export interface Observation {
  canary: Counts;
  /** Null on a first release or once the canary serves 100% and the baseline gets nothing. */
  baseline: Counts | null;
  phase: 'bake' | 'monitor';
  /** Length of this interval. */
  intervalMs: number;
  /** Time since the step (or the monitor window) began, this interval included. */
  elapsedMs: number;
  /** The step's bake (or the monitor's duration). */
  bakeMs: number;
  maxExtensionMs: number;
  /** Shortest bake before a step may end early on proven non-inferiority; absent: never early. */
  minBakeMs?: number;
}

export interface JudgeResult {
  state: JudgeState;
  verdict: Verdict;
  /** Inconclusive past the longest extension with `onInconclusive: 'pause'`: wait for a person. */
  pause: boolean;
}
