import { actionSentence } from '../events/action-text.ts';
import { phaseTitle } from '../events/phases.ts';
import type { ShipshapeEvent } from '../events/types.ts';
import { shortId, splitText } from './format.ts';

/** What found the problem: the judge's rule, a failed check, an error, or a person. */
export interface Detection {
  ts: string;
  /** `manual`: a person's action (source: who); `rollback`: only the rollback's own reason says. */
  kind: 'judge' | 'check' | 'error' | 'manual' | 'rollback';
  /** The signal in a sentence: `canary error rate 8.00% > 5%`, `health endpoint: GET /health → 503`. */
  signal: string;
  /** The judge's rule, the check's name, the error's code or the person who acted. */
  source: string;
  component: string | null;
  /** From the bad version's first user traffic to the detection; null when it never took user traffic. */
  afterExposureMs: number | null;
}

/** What users got from the bad version(s), over the windows the judge read. */
export interface Impact {
  requests: number;
  /** Users' requests among them (not shipshape's generated traffic or pinned checks); null where not told apart. */
  organic: number | null;
  errors: number;
  peakErrorRate: number;
  /** The baseline's figures over the same windows, for comparison. */
  baselineRequests: number;
  baselineErrors: number;
  /** Highest share of traffic the bad version had. */
  peakPercent: number;
  /** From first user traffic to the baseline serving alone again (or the end of the journal). */
  exposureMs: number | null;
  /**
   * Distinct clients (users' Cloudflare-Workers-Version-Key values) the bad version served: the most in one judged
   * window, so a lower bound. Null where the target does not count them.
   */
  clients: number | null;
}

export interface PostmortemFacts {
  badVersions: string[];
  firstExposure: string | null;
  detection: Detection | null;
  impact: Impact;
  timeline: Array<{ ts: string; text: string }>;
}

/**
 * Reads a finished release's journal for its post-mortem: when the bad version first took user traffic, what
 * detected the problem and how long after, what it served, and the timeline. Pure.
 * @example const { detection, impact } = postmortemFacts(readJournal(dir, id))
 */
export function postmortemFacts(events: ShipshapeEvent[]): PostmortemFacts {
  const bad = badVersions(events);
  const timeline: PostmortemFacts['timeline'] = [];
  const impact: Impact = {
    requests: 0,
    organic: null,
    errors: 0,
    peakErrorRate: 0,
    baselineRequests: 0,
    baselineErrors: 0,
    peakPercent: 0,
    exposureMs: null,
    clients: null,
  };
  let firstExposure: string | null = null;
  let exposureEnd: string | null = null;
  let detection: Omit<Detection, 'afterExposureMs'> | null = null;
  const at = (ts: string, text: string) => timeline.push({ ts, text });
  for (const e of events) {
    switch (e.type) {
      case 'release.started':
        at(
          e.ts,
          `release started on ${e.target}${e.env ? ` (${e.env})` : ''}; serving ${shortId(e.baseline)}`,
        );
        break;
      case 'version.uploaded':
        at(
          e.ts,
          `${e.component ? `${e.component}: ` : ''}version ${shortId(e.version)} uploaded with 0% traffic`,
        );
        break;
      case 'migrations.applied':
        if (e.files.length > 0) at(e.ts, `migrations applied to ${e.binding}: ${e.files.join(', ')}`);
        break;
      case 'check.finished':
        if (e.status === 'fail') {
          const name = `${e.component ? `[${e.component}] ` : ''}${e.name}`;
          at(e.ts, `check failed in ${phaseTitle(e.phase)}: ${name}${e.message ? `: ${e.message}` : ''}`);
          detection ??= {
            ts: e.ts,
            kind: 'check',
            signal: e.message ?? 'failed',
            source: name,
            component: e.component ?? null,
          };
        }
        break;
      case 'traffic.changed': {
        const exposed = e.split.filter((x) => bad.has(x.version) && x.percent > 0);
        at(e.ts, `traffic${e.component ? ` of ${e.component}` : ''}: ${splitText(e.split)}`);
        if (exposed.length > 0) {
          firstExposure ??= e.ts;
          exposureEnd = null;
          impact.peakPercent = Math.max(impact.peakPercent, ...exposed.map((x) => x.percent));
        } else if (firstExposure) exposureEnd ??= e.ts;
        break;
      }
      case 'metrics.sampled':
        for (const v of e.versions) {
          if (bad.has(v.version)) {
            impact.requests += v.requests;
            impact.errors += v.errors;
            impact.peakErrorRate = Math.max(impact.peakErrorRate, v.errorRate);
            if (v.organic !== undefined) impact.organic = (impact.organic ?? 0) + v.organic;
            if (v.clients !== undefined) impact.clients = Math.max(impact.clients ?? 0, v.clients);
          } else if (v.role === 'baseline') {
            impact.baselineRequests += v.requests;
            impact.baselineErrors += v.errors;
          }
        }
        break;
      case 'verdict':
        if (e.action === 'rollback') {
          const reason = e.decision ?? e.reasons[0];
          at(e.ts, `the judge decided to roll back (${e.severity}): ${reason?.message ?? '-'}`);
          detection ??= {
            ts: e.ts,
            kind: 'judge',
            signal: reason?.message ?? e.severity,
            source: reason?.rule ?? 'judge',
            component: e.component ?? null,
          };
        }
        break;
      case 'action':
        at(e.ts, actionSentence({ ...e, release: null }));
        if (e.action === 'abort' || e.action === 'rollback' || e.action === 'emergency.stop')
          detection ??= {
            ts: e.ts,
            kind: 'manual',
            signal: e.reason ?? 'no reason given',
            source: e.actor,
            component: e.component ?? null,
          };
        break;
      case 'rollback.started':
        at(e.ts, `rollback started: ${shortId(e.from)} → ${shortId(e.to)} (${e.reason})`);
        detection ??= { ts: e.ts, kind: 'rollback', signal: e.reason, source: 'rollback', component: null };
        break;
      case 'rollback.finished':
        at(e.ts, e.ok ? `rollback finished: ${shortId(e.to)} serves` : 'rollback FAILED: a person must act');
        break;
      case 'error':
        at(e.ts, `error ${e.code}: ${e.message}`);
        detection ??= { ts: e.ts, kind: 'error', signal: e.message, source: e.code, component: null };
        break;
      case 'release.finished':
        at(e.ts, `release finished: ${e.outcome.replace('_', ' ')}`);
        break;
    }
  }
  const end = exposureEnd ?? events.at(-1)?.ts ?? null;
  if (firstExposure && end) impact.exposureMs = Date.parse(end) - Date.parse(firstExposure);
  const afterExposureMs =
    detection && firstExposure && detection.ts >= firstExposure
      ? Date.parse(detection.ts) - Date.parse(firstExposure)
      : null;
  return {
    badVersions: [...bad],
    firstExposure,
    detection: detection ? { ...detection, afterExposureMs } : null,
    impact,
    timeline,
  };
}

/** The versions this release shipped: uploaded by it, or sampled as its canary. */
function badVersions(events: ShipshapeEvent[]): Set<string> {
  const bad = new Set<string>();
  for (const e of events) {
    if (e.type === 'version.uploaded') bad.add(e.version);
    if (e.type === 'metrics.sampled') for (const v of e.versions) if (v.role === 'canary') bad.add(v.version);
    if (e.type === 'release.finished') {
      if (e.version) bad.add(e.version);
      for (const c of e.components ?? []) bad.add(c.version);
    }
  }
  return bad;
}
