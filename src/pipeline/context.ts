import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import type { CheckStatus, PhaseName, Reason, Severity } from '../events/types.ts';
import type { BackupRef } from '../targets/target.ts';
import type { ReleasePlan } from './release-plan.ts';
import type { ReleaseUnit, StagedUnit } from './release-unit.ts';

export type { ReleaseUnit, StagedUnit } from './release-unit.ts';

export interface DeployOptions {
  dryRun: boolean;
  skipE2e: boolean;
  forceWindow: { reason: string } | null;
  /** `--skip-promotion-check --reason`: the promotion gate warns instead of blocking; the reason is journaled. */
  skipPromotion?: { reason: string } | null;
  /** `--monitor DURATION`: overrides config.monitor.duration (ms). */
  monitorMs: number | null;
  /** `--bake DURATION`: overrides every step's bake (config.rollout.bake and per-step bakes), in ms. */
  bakeMs: number | null;
  message: string | null;
  /** `--only NAME`: release this component alone. */
  only?: string | null;
}

export interface ReleaseContext {
  releaseId: string;
  /** The project's config (seen from the first unit; each unit carries its own view). */
  config: ResolvedConfig;
  /** Every component this release acts on, in release order (dependencies first). */
  units: ReleaseUnit[];
  bus: EventBus;
  options: DeployOptions;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** When the release started: the span before it is what the rollout's volume and query-time checks compare with. */
  startedAt?: Date;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal: AbortSignal;
  /** `shipshape promote` / `shipshape abort` from another process. */
  manual: { poll(): Promise<'promote' | 'abort' | null> };
  /**
   * Records, in the release's lease, the version a Worker goes back to should this process die (read by the
   * account's guard). Absent when nothing outside the process restores a release, or `rollback.onOrphan` resumes.
   */
  restoreOnLapse?: (worker: string, version: string) => Promise<void>;
  /**
   * Phases run outside a release (`check`, `verify`): the gate reads no deployed state through the targets and
   * no score stops the run early.
   */
  inspect?: boolean;
  /** What the phases have produced so far; each field is written once, by the phase named. */
  outputs: ReleaseOutputs;
}

/** The typed outputs phases hand on (the journal holds the same facts as events). */
export interface ReleaseOutputs {
  /** release: the plan assembled from the builds (components, changes, migrations, steps). */
  plan: ReleasePlan | null;
  /** release: the components put in their deployments at 0%, in release order. */
  staged: StagedUnit[];
  /** release: database backups taken before migrating. */
  backups: BackupRef[];
  /**
   * rollout: set once unpinned requests could reach a canary (the first step). A first release stays
   * pinned-only until then, so a failure before it has served nobody and needs no rollback.
   */
  served: boolean;
  rollout: { severity: Severity; reasons: Reason[]; decidedBy: string | null } | null;
  /** Warnings that did not stop the release; a promoted release with any is a WARNING. */
  warnings: string[];
  /**
   * release: a first version the platform served to everyone as soon as it was deployed (a new Worker on
   * Cloudflare), so a failure before the rollout cannot say nobody was served.
   */
  servedAtOnce?: boolean;
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
