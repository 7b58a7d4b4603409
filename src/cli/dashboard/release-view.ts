import type { ShipshapeEvent, Split } from '../../events/types.ts';
import { type ChartSpec, chartSpecs, releaseSeries } from '../../report/index.ts';
import type { ReleaseRecord } from '../../state/history.ts';

/** One phase as the dashboard lists it: running until its `phase.finished`, then its status and score. */
export interface PhaseRow {
  phase: string;
  status: 'running' | 'pass' | 'warn' | 'fail' | 'skip';
  score: number | null;
}

/** What one component's rollout looks like now: its split and the judge's latest sentence. */
export interface ComponentNow {
  component: string | null;
  split: Split[];
  judge: { ts: string; action: string; severity: string; sentence: string } | null;
}

/** The release the dashboard follows, drawn from its journal alone (so every target and component works). */
export interface ReleaseView {
  id: string;
  running: boolean;
  outcome: string | null;
  /** Null for a run that earns no score (a manual rollback). */
  score: number | null;
  startedAt: string | null;
  phases: PhaseRow[];
  components: ComponentNow[];
  checks: Array<{
    component: string | null;
    phase: string;
    name: string;
    status: string;
    message: string | null;
  }>;
  actions: ReleaseRecord['actions'];
  rollback: { reason: string; to: string | null; ok: boolean | null } | null;
  charts: ChartSpec[];
}

/**
 * The dashboard's view of a release from its events: phases with their scores, per component the current split
 * and the judge's sentence (the deciding rule of its latest verdict), checks, actions, the rollback and the same
 * charts as the HTML report.
 * @example releaseView('r-2026…', readJournal(dir, id), record, true)
 */
export function releaseView(
  id: string,
  events: ShipshapeEvent[],
  record: ReleaseRecord,
  running: boolean,
): ReleaseView {
  const phases = new Map<string, PhaseRow>();
  const components = new Map<string | null, ComponentNow>();
  const of = (name: string | undefined) => {
    const key = name ?? null;
    let c = components.get(key);
    if (!c) {
      c = { component: key, split: [], judge: null };
      components.set(key, c);
    }
    return c;
  };
  const checks: ReleaseView['checks'] = [];
  let rollback: ReleaseView['rollback'] = null;
  for (const e of events) {
    if (e.type === 'phase.started') phases.set(e.phase, { phase: e.phase, status: 'running', score: null });
    else if (e.type === 'phase.finished')
      phases.set(e.phase, { phase: e.phase, status: e.status, score: e.score });
    else if (e.type === 'traffic.changed') of(e.component).split = e.split;
    else if (e.type === 'verdict') {
      const reason = e.decision ?? e.reasons[0];
      of(e.component).judge = {
        ts: e.ts,
        action: e.action,
        severity: e.severity,
        sentence: reason?.message ?? `${e.action} (${e.severity})`,
      };
    } else if (e.type === 'check.finished')
      checks.push({
        component: e.component ?? null,
        phase: e.phase,
        name: e.name,
        status: e.status,
        message: e.message ?? null,
      });
    else if (e.type === 'rollback.started') rollback = { reason: e.reason, to: e.to, ok: null };
    else if (e.type === 'rollback.finished' && rollback) rollback.ok = e.ok;
  }
  return {
    id,
    running,
    outcome: record.outcome,
    score: record.scored ? record.score : null,
    startedAt: record.startedAt,
    phases: [...phases.values()],
    components: [...components.values()],
    checks,
    actions: record.actions,
    rollback,
    charts: chartSpecs(releaseSeries(events)),
  };
}
