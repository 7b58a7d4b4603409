import type { PhaseName } from './phases.ts';
import type { Severity } from './severity.ts';

export type { PhaseName, Severity };
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
export type Outcome = 'promoted' | 'rolled_back' | 'aborted' | 'blocked' | 'failed' | 'planned';
export type VerdictAction = 'continue' | 'hold' | 'promote' | 'rollback';

/** One entry of a traffic split; a deployment has one or two, percents summing to 100. */
export interface Split {
  version: string;
  percent: number;
}

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
  /** Users' requests among `requests` (not shipshape's own), where the target tells them apart. */
  organic?: number;
  /** Distinct Cloudflare-Workers-Version-Key values among users' requests, where the target counts them. */
  clients?: number;
}

export interface Reason {
  rule: string;
  message: string;
  figures?: Record<string, number | string>;
}

/** The actions announced and audited (the `action` event). */
export type ActionName =
  | 'rollback'
  | 'promote'
  | 'abort'
  | 'emergency.stop'
  | 'emergency.resume'
  | 'flags.set'
  | 'flags.unset'
  | 'recover'
  | 'lock.takeover';

/** What every record carries; `release` is null outside a release (e.g. `shipshape flags set`). */
interface Base {
  v: 1;
  ts: string;
  release: string | null;
}

/** One component's line of the release plan (`deploy --dry-run --json` prints them in the plan event). */
export interface ComponentPlan {
  name: string;
  kind: 'worker' | 'pages';
  /** Its worker (or Pages project) name on the platform. */
  worker: string;
  dependsOn: string[];
  /**
   * How it takes traffic: `split` (a version beside the serving one, moved by steps and judged) or `preview`
   * (a Pages project on Cloudflare: verified on its own preview address, then made the production deployment).
   */
  strategy: 'split' | 'preview';
  /** `unchanged`: the serving version has the same bundle and no migration is pending: not redeployed. */
  change: 'new' | 'changed' | 'unchanged' | 'not selected';
  /** Bundle hash of this build (null when not built: not selected). */
  hash: string | null;
  serving: { version: string; hash: string | null } | null;
  builtWith: string | null;
  migrations: Array<{ binding: string; database: string; pending: string[] | null; error?: string }>;
  /** Health checks run against its new version, pinned. */
  checks: string[];
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
      component?: string;
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
  | { type: 'version.uploaded'; version: string; hash: string; attempt: number; component?: string }
  | {
      type: 'migrations.applied';
      component?: string;
      binding: string;
      files: string[];
      backup: { kind: string; ref: string } | null;
    }
  | { type: 'traffic.changed'; split: Split[]; component?: string }
  | {
      type: 'plan';
      steps: Array<{ percent: number; bakeMs: number } | { pause: 'manual' }>;
      monitorMs: number;
      /** The release plan: every component in release order, what changed and how it is released. */
      components?: ComponentPlan[];
    }
  | {
      type: 'metrics.sampled';
      component?: string;
      phase: PhaseName;
      step: number | null;
      windowMs: number;
      versions: VersionSample[];
    }
  | {
      type: 'verdict';
      component?: string;
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
  /**
   * One step of a rollback done (traffic or traffic:<component>, hook:N, flags, health, notify): a recovery
   * completes only the others.
   */
  | { type: 'rollback.step'; step: string; to: string | null; component?: string }
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
      /** Each released component's new and previous version (a release of several components). */
      components?: Array<{ name: string; version: string; baseline: string | null }>;
      /** The component whose signal decided a rollback. */
      decidedBy?: string;
    }
  /**
   * A person's (or the recovering platform's) action, with who and why: journaled in the release it concerns,
   * else in `.shipshape/actions.ndjson` (release null), and sent to the notifiers.
   */
  | {
      type: 'action';
      action: ActionName;
      /** git user.name <user.email> of the project, else the login name; `--actor` overrides. */
      actor: string;
      reason: string | null;
      component?: string;
      /** What the action changed, as short labelled values (versions, flags, the lock's previous holder). */
      detail?: Record<string, string>;
    }
  | { type: 'log'; level: 'info' | 'warn'; message: string; data?: Record<string, unknown> }
  | { type: 'error'; code: string; message: string; hint: string; stack?: string };

export type ShipshapeEvent = Base & EventBody;
export type EventType = ShipshapeEvent['type'];
export type EventOf<T extends EventType> = Extract<ShipshapeEvent, { type: T }>;
