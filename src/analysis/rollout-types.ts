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
  /**
   * `preview`: its platform has no traffic split and no figures per version (Pages on Cloudflare). It is made
   * production at once when its turn comes, with no steps, no generated traffic and no judge of its own: its
   * pinned checks ran on its preview address before, and the other components' judgement decides for it too.
   */
  strategy?: 'split' | 'preview';
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
  /**
   * The checks beside the judge (response comparison, traffic volume, query time), once a step's bake or the
   * monitor window has ended without a rollback: a finding that acts `rollback` rolls the release back.
   */
  afterWatch?(end: WatchEnd): Promise<SideFinding[]>;
}

/** A bake or the monitor window that ended well: whole seconds [since, until) of it. */
export interface WatchEnd {
  unit: RolloutUnit;
  /** Plan index of the step; null in the monitor window. */
  step: number | null;
  /** The canary's percent; null in the monitor window. */
  percent: number | null;
  since: Date;
  until: Date;
}

/** What a check beside the judge found: a warning on record, or a rollback. */
export interface SideFinding {
  act: 'warn' | 'rollback';
  reason: Reason;
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
