import { PHASE_NAMES, phaseNumber, phaseTitle } from '../events/phases.ts';
import { worstSeverity } from '../events/severity.ts';
import type {
  CheckStatus,
  EventOf,
  Outcome,
  PhaseName,
  Reason,
  Severity,
  ShipshapeEvent,
  VerdictAction,
  VersionSample,
} from '../events/types.ts';
import type { Split } from '../targets/target.ts';
import { type Band, type Bands, DEFAULT_BANDS } from './format.ts';
import { releaseStatus } from './release-status.ts';

export interface CheckSummary {
  name: string;
  status: CheckStatus;
  score: number;
  message: string | null;
  hint: string | null;
  attempt: number;
  durationMs: number;
  critical: boolean;
  evidence: Record<string, unknown>;
}

export interface PhaseSummary {
  phase: PhaseName;
  /** 1-based position in the pipeline. */
  index: number;
  title: string;
  status: CheckStatus | 'running' | 'pending';
  score: number | null;
  durationMs: number | null;
  checks: CheckSummary[];
  retries: number;
}

export interface VersionSummary {
  version: string;
  role: VersionSample['role'];
  /** Share of traffic in the last split seen (0 when absent from it). */
  percent: number;
  last: VersionSample | null;
  peakErrorRate: number;
  peakP95: number;
}

export interface ReleaseSummary {
  release: string | null;
  worker: string | null;
  env: string | null;
  target: string | null;
  dryRun: boolean;
  baseline: string | null;
  /** The version this release shipped (or tried to). */
  version: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number;
  phases: PhaseSummary[];
  /** Total 0-100 once the release finished; null while it runs and for runs that earn none (dry run, manual rollback). */
  score: number | null;
  /** The outcome decides it (release-status.ts); null when no score was earned. */
  band: Band | null;
  /** PASS / WARNING / FAILED, or PLANNED / ROLLED BACK / RUNNING for unscored runs. */
  status: string;
  /** Warnings a promoted release carried (each makes it a WARNING). */
  warnings: string[];
  outcome: Outcome | 'running';
  traffic: Array<{ ts: string; split: Split[]; component?: string }>;
  verdicts: Array<{
    ts: string;
    action: VerdictAction;
    severity: Severity;
    reasons: Reason[];
    component?: string;
  }>;
  /** Each released component's new and previous version (a release of several components). */
  components: Array<{ name: string; version: string; baseline: string | null }>;
  /** The component whose signal rolled the release back. */
  decidedBy: string | null;
  worstSeverity: Severity | null;
  versions: VersionSummary[];
  plan: { steps: string[]; monitorMs: number } | null;
  migrations: Array<{ binding: string; files: string[]; backup: string | null }>;
  rollback: {
    ts: string;
    reason: string;
    from: string | null;
    to: string | null;
    ok: boolean | null;
    durationMs: number | null;
  } | null;
  errors: Array<{ ts: string; code: string; message: string; hint: string }>;
  /** What people (and the recovering platform) did to this release, with who and why. */
  actions: Array<EventOf<'action'>>;
}

/**
 * Folds a release's events (a journal, or a live stream so far) into one record. Pure; later events win.
 * @example const { score, outcome, phases } = summarize(journalEvents)
 */
export function summarize(events: ShipshapeEvent[], bands: Bands = DEFAULT_BANDS): ReleaseSummary {
  const phases = new Map<PhaseName, PhaseSummary>(
    PHASE_NAMES.map((name) => [
      name,
      {
        phase: name,
        index: phaseNumber(name),
        title: phaseTitle(name),
        status: 'pending',
        score: null,
        durationMs: null,
        checks: [],
        retries: 0,
      },
    ]),
  );
  const versions = new Map<string, VersionSummary>();
  const s: ReleaseSummary = {
    release: events[0]?.release ?? null,
    worker: null,
    env: null,
    target: null,
    dryRun: false,
    baseline: null,
    version: null,
    startedAt: events[0]?.ts ?? null,
    finishedAt: null,
    durationMs: events.length > 1 ? Date.parse(events.at(-1)!.ts) - Date.parse(events[0].ts) : 0,
    phases: [],
    score: null,
    band: null,
    status: 'RUNNING',
    warnings: [],
    outcome: 'running',
    traffic: [],
    verdicts: [],
    worstSeverity: null,
    versions: [],
    plan: null,
    migrations: [],
    rollback: null,
    errors: [],
    actions: [],
    components: [],
    decidedBy: null,
  };
  for (const e of events) {
    switch (e.type) {
      case 'release.started':
        Object.assign(s, {
          worker: e.worker,
          env: e.env,
          target: e.target,
          dryRun: e.dryRun,
          baseline: e.baseline,
        });
        s.release = e.release;
        s.startedAt = e.ts;
        break;
      case 'phase.started':
        phases.get(e.phase)!.status = 'running';
        break;
      case 'check.finished': {
        const { name, status, score, attempt, durationMs, evidence } = e;
        phases.get(e.phase)?.checks.push({
          ...{
            name: e.component ? `[${e.component}] ${name}` : name,
            status,
            score,
            attempt,
            durationMs,
            evidence,
          },
          message: e.message ?? null,
          hint: e.hint ?? null,
          critical: e.critical ?? false,
        });
        break;
      }
      case 'retry.scheduled':
        phases.get(e.phase)!.retries += 1;
        break;
      case 'phase.finished':
        Object.assign(phases.get(e.phase)!, { status: e.status, score: e.score, durationMs: e.durationMs });
        break;
      case 'version.uploaded':
        s.version = e.version;
        break;
      case 'migrations.applied':
        s.migrations.push({
          binding: e.binding,
          files: e.files,
          backup: e.backup ? `${e.backup.kind} ${e.backup.ref}` : null,
        });
        break;
      case 'plan':
        s.plan = {
          steps: e.steps.map((x) => ('pause' in x ? 'pause' : `${x.percent}%`)),
          monitorMs: e.monitorMs,
        };
        break;
      case 'traffic.changed':
        s.traffic.push({ ts: e.ts, split: e.split, ...(e.component ? { component: e.component } : {}) });
        for (const { version } of e.split) track(versions, version, 'other');
        break;
      case 'metrics.sampled':
        for (const sample of e.versions) {
          const v = track(versions, sample.version, sample.role);
          v.role = sample.role;
          v.last = sample;
          v.peakErrorRate = Math.max(v.peakErrorRate, sample.errorRate);
          v.peakP95 = Math.max(v.peakP95, sample.p95);
          if (sample.role === 'canary') s.version ??= sample.version;
        }
        break;
      case 'verdict':
        s.verdicts.push({
          ts: e.ts,
          action: e.action,
          severity: e.severity,
          reasons: e.reasons,
          ...(e.component ? { component: e.component } : {}),
        });
        s.worstSeverity = worstSeverity(s.worstSeverity ?? e.severity, e.severity);
        break;
      case 'rollback.started':
        s.rollback = { ts: e.ts, reason: e.reason, from: e.from, to: e.to, ok: null, durationMs: null };
        break;
      case 'rollback.finished':
        s.rollback ??= { ts: e.ts, reason: 'unknown', from: null, to: e.to, ok: null, durationMs: null };
        Object.assign(s.rollback, { ok: e.ok, durationMs: e.durationMs, to: e.to ?? s.rollback.to });
        break;
      case 'release.finished':
        for (const [phase, score] of Object.entries(e.phases)) phases.get(phase as PhaseName)!.score = score;
        Object.assign(s, { score: e.score, outcome: e.outcome, durationMs: e.durationMs, finishedAt: e.ts });
        s.version = e.version ?? s.version;
        s.baseline ??= e.baseline;
        s.warnings = e.warnings ?? [];
        s.components = e.components ?? [];
        s.decidedBy = e.decidedBy ?? null;
        {
          const status = releaseStatus(
            { outcome: e.outcome, score: e.score, warnings: s.warnings.length, scored: e.scored },
            bands,
          );
          s.band = status.band;
          s.status = status.label;
          if (status.band === null) s.score = null;
        }
        break;
      case 'error':
        s.errors.push({ ts: e.ts, code: e.code, message: e.message, hint: e.hint });
        break;
      case 'action':
        s.actions.push(e);
        break;
    }
  }
  const lastSplit = s.traffic.at(-1)?.split ?? [];
  if (s.version === null) s.version = [...versions.keys()].find((id) => id !== s.baseline) ?? null;
  for (const v of versions.values()) {
    v.percent = lastSplit.find((x) => x.version === v.version)?.percent ?? 0;
    if (v.role === 'other')
      v.role = v.version === s.baseline ? 'baseline' : v.version === s.version ? 'canary' : 'other';
  }
  s.phases = [...phases.values()];
  s.versions = [...versions.values()];
  return s;
}

function track(
  map: Map<string, VersionSummary>,
  version: string,
  role: VersionSample['role'],
): VersionSummary {
  let entry = map.get(version);
  if (!entry) {
    entry = { version, role, percent: 0, last: null, peakErrorRate: 0, peakP95: 0 };
    map.set(version, entry);
  }
  return entry;
}
