import type { Split } from '../targets/target.ts';

export type PhaseName = 'gate' | 'release' | 'verify' | 'e2e' | 'rollout';
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
export type Outcome = 'promoted' | 'rolled_back' | 'aborted' | 'blocked' | 'failed' | 'planned';
export type VerdictAction = 'continue' | 'hold' | 'promote' | 'rollback';
export type Severity = 'none' | 'low' | 'medium' | 'high' | 'critical' | 'inconclusive';

/** Figures for one version over one window, as measured by the target. */
export interface VersionSample {
  version: string;
  role: 'canary' | 'baseline' | 'other';
  requests: number;
  errors: number;
  errorRate: number;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
}

export interface Reason {
  rule: string;
  message: string;
  figures?: Record<string, number | string>;
}

/** What every record carries; `release` is null outside a release (e.g. `shipshape flags set`). */
interface Base {
  v: 1;
  ts: string;
  release: string | null;
}

export type EventBody =
  | {
      type: 'release.started';
      worker: string;
      env: string | null;
      target: string;
      dryRun: boolean;
      baseline: string | null;
    }
  | { type: 'phase.started'; phase: PhaseName; index: number }
  | {
      type: 'check.finished';
      phase: PhaseName;
      name: string;
      status: CheckStatus;
      score: number;
      evidence: Record<string, unknown>;
      attempt: number;
      durationMs: number;
      message?: string;
      hint?: string;
      critical?: boolean;
    }
  | {
      type: 'retry.scheduled';
      phase: PhaseName;
      name: string;
      attempt: number;
      delayMs: number;
      reason: string;
    }
  | { type: 'phase.finished'; phase: PhaseName; score: number; status: CheckStatus; durationMs: number }
  | { type: 'wait.started'; phase: PhaseName; label: string; durationMs: number }
  | { type: 'version.uploaded'; version: string; hash: string; attempt: number }
  | {
      type: 'migrations.applied';
      binding: string;
      files: string[];
      backup: { kind: string; ref: string } | null;
    }
  | { type: 'traffic.changed'; split: Split[] }
  | {
      type: 'plan';
      steps: Array<{ percent: number; bakeMs: number } | { pause: 'manual' }>;
      monitorMs: number;
    }
  | {
      type: 'metrics.sampled';
      phase: PhaseName;
      step: number | null;
      windowMs: number;
      versions: VersionSample[];
    }
  | {
      type: 'verdict';
      action: VerdictAction;
      severity: Severity;
      /** The deciding reason first. */
      reasons: Reason[];
      /** The rule that decided this verdict, with its sentence. */
      decision?: Reason;
      /** Bands that did not roll back because a rollback would not help: a WARNING release. */
      warnings?: Reason[];
      /** The step ended before its bake: the canary was proven no worse than the baseline. */
      early?: boolean;
    }
  | { type: 'rollback.started'; reason: string; from: string | null; to: string | null }
  /** One step of a rollback done (traffic, hook:N, flags, health): a recovery completes only the others. */
  | { type: 'rollback.step'; step: string; to: string | null }
  | { type: 'rollback.finished'; ok: boolean; to: string | null; durationMs: number }
  | {
      type: 'release.finished';
      score: number;
      outcome: Outcome;
      phases: Partial<Record<PhaseName, number>>;
      durationMs: number;
      version: string | null;
      baseline: string | null;
      /** False when the run earned no release score (a manual rollback); absent means scored. */
      scored?: boolean;
      /** Warnings that did not stop the release (e.g. a band that a rollback would not help): WARNING. */
      warnings?: string[];
    }
  | { type: 'log'; level: 'info' | 'warn'; message: string; data?: Record<string, unknown> }
  | { type: 'error'; code: string; message: string; hint: string; stack?: string };

export type ShipshapeEvent = Base & EventBody;
export type EventType = ShipshapeEvent['type'];
export type EventOf<T extends EventType> = Extract<ShipshapeEvent, { type: T }>;
