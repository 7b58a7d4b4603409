import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import type { Reason, Severity } from '../events/types.ts';
import type { Target } from '../targets/target.ts';
import type { RolloutPlan } from './rollout-plan.ts';
import type { TrafficConfig } from './traffic.ts';

/** One component's canary, judged against its own baseline on its own target. */
export interface RolloutUnit {
  component: string;
  target: Target;
  canary: string;
  baseline: string | null;
  /** The requests generated at this component while it rolls out (its own paths); default: the config's. */
  traffic?: TrafficConfig;
}

export interface RolloutDeps {
  /** The changed components in release order: a dependency is at 100% before its dependants take traffic. */
  units: RolloutUnit[];
  /** Whether events name the component (a project with components); default: when there are several units. */
  named?: boolean;
  bus: EventBus;
  plan: RolloutPlan;
  config: Pick<ResolvedConfig, 'rollout' | 'analysis' | 'monitor'>;
  signal: AbortSignal;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): Date;
  /** `shipshape promote` / `shipshape abort` from another process, polled every interval. */
  manual: { poll(): Promise<'promote' | 'abort' | null> };
  onStep?(step: { index: number; percent: number; component: string }): Promise<void>;
}

export interface RolloutResult {
  outcome: 'promoted' | 'rolled_back' | 'aborted';
  score: number;
  severity: Severity;
  /** The deciding reason first. */
  reasons: Reason[];
  /** Bands that warned instead of rolling back: the release should be marked WARNING. */
  warnings: Reason[];
  /** The component whose signal decided a rollback or abort. */
  decidedBy: string | null;
  /** Time from the canary's first traffic to the rollback verdict. */
  detectedAtMs?: number;
  /** Plan index of the step where the rollout stopped. */
  step?: number;
}
