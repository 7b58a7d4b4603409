import type { Severity, ShipshapeEvent, VerdictAction, VersionSample } from '../events/types.ts';
import { shortId, splitText } from './format.ts';

/** One judged window of one version: what `metrics.sampled` recorded for it. */
export interface SeriesPoint {
  /** End of the window, ms since the epoch (the event's time). */
  t: number;
  requests: number;
  errors: number;
  errorRate: number;
  p50: number;
  p95: number;
}

export interface VersionSeries {
  version: string;
  role: VersionSample['role'];
  points: SeriesPoint[];
}

/** Something that happened at one moment, drawn as a mark on the time axis. */
export interface ChartMark {
  t: number;
  kind: 'traffic' | 'verdict' | 'rollback';
  label: string;
  action?: VerdictAction;
  severity?: Severity;
}

/** The series of one component (null: the release's only worker) and the marks that concern it. */
export interface ComponentSeries {
  component: string | null;
  versions: VersionSeries[];
  marks: ChartMark[];
}

/**
 * A release's figures over time, per component and version (canary, baseline), with the traffic steps, each
 * verdict and the rollback as marks. Pure: the HTML report and the live dashboard both draw from it.
 * Events without a component (a rollback of the whole release) mark every component.
 * @example const [{ versions, marks }] = releaseSeries(readJournal(dir, id))
 */
export function releaseSeries(events: ShipshapeEvent[]): ComponentSeries[] {
  const components = new Map<string | null, ComponentSeries>();
  const shared: ChartMark[] = [];
  const of = (name: string | undefined) => {
    const key = name ?? null;
    let entry = components.get(key);
    if (!entry) {
      entry = { component: key, versions: [], marks: [] };
      components.set(key, entry);
    }
    return entry;
  };
  const mark = (component: string | undefined, m: ChartMark) =>
    (component === undefined ? shared : of(component).marks).push(m);
  for (const e of events) {
    const t = Date.parse(e.ts);
    if (e.type === 'metrics.sampled') {
      const entry = of(e.component);
      for (const s of e.versions) versionOf(entry, s).points.push(point(t, s));
    } else if (e.type === 'traffic.changed') {
      mark(e.component, { t, kind: 'traffic', label: splitText(e.split) });
    } else if (e.type === 'verdict') {
      const reason = e.decision?.message ?? e.reasons[0]?.message;
      const label = `${e.action} (${e.severity})${reason ? `: ${reason}` : ''}`;
      mark(e.component, { t, kind: 'verdict', label, action: e.action, severity: e.severity });
    } else if (e.type === 'rollback.started') {
      mark(undefined, { t, kind: 'rollback', label: `rollback to ${shortId(e.to)}: ${e.reason}` });
    }
  }
  if (components.size === 0 && shared.length > 0) of(undefined);
  for (const entry of components.values()) {
    entry.marks = [...entry.marks, ...shared].sort((a, b) => a.t - b.t);
    entry.versions.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  }
  return [...components.values()];
}

const ROLE_ORDER: VersionSample['role'][] = ['canary', 'baseline', 'other'];

function versionOf(entry: ComponentSeries, s: VersionSample): VersionSeries {
  let v = entry.versions.find((x) => x.version === s.version);
  if (!v) {
    v = { version: s.version, role: s.role, points: [] };
    entry.versions.push(v);
  }
  return v;
}

function point(t: number, s: VersionSample): SeriesPoint {
  return { t, requests: s.requests, errors: s.errors, errorRate: s.errorRate, p50: s.p50, p95: s.p95 };
}
