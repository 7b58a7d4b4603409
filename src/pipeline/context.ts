import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import type { CheckStatus, PhaseName, Reason, Severity } from '../events/types.ts';
import type { Artifact, BackupRef, Target } from '../targets/target.ts';

export interface DeployOptions {
  dryRun: boolean;
  skipE2e: boolean;
  forceWindow: { reason: string } | null;
  /** `--monitor DURATION`: overrides config.monitor.duration (ms). */
  monitorMs: number | null;
  /** `--bake DURATION`: overrides every step's bake (config.rollout.bake and per-step bakes), in ms. */
  bakeMs: number | null;
  message: string | null;
}

/** What a release learns as it goes; the journal holds the same facts as events. */
export interface ReleaseState {
  baseline: string | null;
  canary: string | null;
  artifact: Artifact | null;
  backups: BackupRef[];
  /** Set once the canary is in the deployment (even at 0%): from then on a failure must roll back. */
  inDeployment: boolean;
  /**
   * Set once unpinned requests could reach the canary (the rollout's first step). A first release stays
   * pinned-only until then, so a failure before it has served nobody and needs no rollback.
   */
  served: boolean;
  rollout: { severity: Severity; reasons: Reason[] } | null;
  /** Warnings that did not stop the release; a promoted release with any is a WARNING. */
  warnings: string[];
}

export interface ReleaseContext {
  releaseId: string;
  config: ResolvedConfig;
  target: Target;
  bus: EventBus;
  options: DeployOptions;
  env: Record<string, string | undefined>;
  now: () => Date;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal: AbortSignal;
  state: ReleaseState;
  /** `shipshape promote` / `shipshape abort` from another process. */
  manual: { poll(): Promise<'promote' | 'abort' | null> };
}

/** What the runner does after a phase. */
export type Next = 'continue' | 'block' | 'stop' | 'rollback' | 'aborted' | 'done';

export interface PhaseOutcome {
  score: number;
  status: CheckStatus;
  next: Next;
  critical?: boolean;
  reason?: string;
}

/**
 * One row of the phase table (semantic-release's habit: the lifecycle as data, one engine to run it).
 * - dryRun: what the phase does under --dry-run ('run' as usual, 'skip', or the phase's own dry behaviour).
 * - settle: 'all' runs every check before judging; 'fail-fast' stops at the first failure.
 * - onFailure: 'block' (nothing touched yet), 'stop' (nothing serves differently), 'rollback'.
 */
export interface PhaseDef {
  name: PhaseName;
  title: string;
  dryRun: 'run' | 'skip' | 'own';
  settle: 'all' | 'fail-fast';
  onFailure: 'block' | 'stop' | 'rollback';
  run(ctx: ReleaseContext): Promise<PhaseOutcome>;
}
