import { actionSentence } from '../events/action-text.ts';
import { PHASE_NAMES, phaseNumber, phaseTitle } from '../events/phases.ts';
import type { ComponentPlan, EventOf, PhaseName, ShipshapeEvent, VersionSample } from '../events/types.ts';
import {
  type Bands,
  compactJson,
  DEFAULT_BANDS,
  formatDuration,
  formatMs,
  formatRate,
  formatRps,
  STATUS_ICON,
  shortId,
  splitText,
} from './format.ts';
import type { Line, Tone } from './line.ts';
import { summaryLines } from './summary-table.ts';

export interface DescribeOptions {
  verbose: boolean;
  bands: Bands;
}

/**
 * Per-release memory the wording needs (checks passed per phase). One per reporter; feed it every event
 * in order through `describe`.
 */
export class Describer {
  private readonly checks = new Map<PhaseName, { passed: number; total: number }>();
  constructor(private readonly options: DescribeOptions = { verbose: false, bands: DEFAULT_BANDS }) {}

  /**
   * The lines a person reads for one event; `error` events are printed by the sink itself (stderr). An event of
   * one component of several starts with the component's name, so a release reads grouped by component.
   */
  describe(event: ShipshapeEvent): Line[] {
    const lines = this.body(event);
    const component = 'component' in event ? event.component : undefined;
    if (!component || lines.length === 0) return lines;
    return [{ ...lines[0], text: `[${component}] ${lines[0].text}` }, ...lines.slice(1)];
  }

  private body(event: ShipshapeEvent): Line[] {
    switch (event.type) {
      case 'release.started': {
        const parts = [`release ${event.release ?? '-'}`, `worker ${event.worker}`, `target ${event.target}`];
        if (event.env) parts.push(`env ${event.env}`);
        parts.push(`baseline ${shortId(event.baseline)}`);
        const lines: Line[] = [{ text: parts.join(' · '), tone: 'head' }];
        if (event.dryRun) lines.push({ text: 'dry run: nothing will be uploaded or switched', tone: 'warn' });
        return lines;
      }
      case 'phase.started':
        this.checks.set(event.phase, { passed: 0, total: 0 });
        return [
          {
            text: `PHASE ${phaseNumber(event.phase)}/${PHASE_NAMES.length}: ${phaseTitle(event.phase)}`,
            tone: 'head',
            header: true,
          },
        ];
      case 'check.finished':
        return this.check(event);
      case 'retry.scheduled': {
        const wait = event.delayMs > 0 ? `waiting ${formatDuration(event.delayMs)}` : 'retrying now';
        return [
          { text: `${event.name}: attempt ${event.attempt} failed: ${event.reason}; ${wait}`, tone: 'warn' },
        ];
      }
      case 'phase.finished':
        return [{ text: this.phaseScore(event), tone: toneOf(event.status) }];
      case 'wait.started':
        return [{ text: `waiting ${formatDuration(event.durationMs)}: ${event.label}`, tone: 'dim' }];
      case 'version.uploaded':
        return [
          {
            text: `uploaded version ${shortId(event.version)} (bundle ${event.hash.slice(0, 8)}, 0% traffic)`,
            tone: 'plain',
          },
        ];
      case 'migrations.applied': {
        const backup = event.backup ? `; backup ${event.backup.kind} ${event.backup.ref}` : '';
        const files = event.files.length > 0 ? `applied ${event.files.join(', ')}` : 'no pending migrations';
        return [{ text: `migrations ${event.binding}: ${files}${backup}`, tone: 'plain' }];
      }
      case 'plan':
        return [
          { text: `rollout plan: ${planText(event)}`, tone: 'plain' },
          ...(event.components ?? []).map((c) => ({ text: componentPlanText(c), tone: 'plain' as const })),
        ];
      case 'traffic.changed':
        return [{ text: `traffic: ${splitText(event.split)}`, tone: 'plain' }];
      case 'metrics.sampled':
        return [{ text: metricsText(event), tone: 'dim' }];
      case 'verdict':
        return this.verdict(event);
      case 'rollback.started':
        return [
          {
            text: `rolling back: ${event.reason} (${shortId(event.from)} → ${shortId(event.to)})`,
            tone: 'bad',
          },
        ];
      case 'rollback.finished':
        return event.ok
          ? [
              {
                text: `rollback finished: ${shortId(event.to)} serves 100% (${formatDuration(event.durationMs)})`,
                tone: 'ok',
              },
            ]
          : [
              {
                text: `rollback FAILED after ${formatDuration(event.durationMs)}: a person must act`,
                tone: 'bad',
              },
            ];
      case 'release.finished':
        return summaryLines(event, this.options.bands);
      case 'log': {
        const lines: Line[] = [
          {
            text: event.level === 'warn' ? `warning: ${event.message}` : event.message,
            tone: event.level === 'warn' ? 'warn' : 'plain',
          },
        ];
        if (this.options.verbose && event.data)
          lines.push({ text: `data: ${compactJson(event.data)}`, tone: 'dim', detail: true });
        return lines;
      }
      case 'error':
        return [];
      case 'action':
        return [{ text: `action: ${actionSentence({ ...event, component: undefined })}`, tone: 'warn' }];
    }
    // Event types added later print nothing here until they are given words; the JSON view still has them.
    return [];
  }

  private check(event: EventOf<'check.finished'>): Line[] {
    const tally = this.checks.get(event.phase) ?? { passed: 0, total: 0 };
    tally.total += 1;
    if (event.status === 'pass') tally.passed += 1;
    this.checks.set(event.phase, tally);
    const notes: string[] = [];
    if (event.attempt > 1) notes.push(`attempt ${event.attempt}`);
    if (event.durationMs >= 1000) notes.push(formatDuration(event.durationMs));
    const critical = event.critical && event.status === 'fail' ? ' [critical]' : '';
    const message = event.message ?? (event.status === 'skip' ? 'skipped' : event.status);
    const suffix = notes.length > 0 ? ` (${notes.join(', ')})` : '';
    const lines: Line[] = [
      {
        text: `${STATUS_ICON[event.status]} ${event.name}${critical}: ${message}${suffix}`,
        tone: toneOf(event.status),
      },
    ];
    if (event.hint && (event.status === 'fail' || event.status === 'warn')) {
      lines.push({ text: `hint: ${event.hint}`, tone: 'dim', detail: true });
    }
    if (this.options.verbose)
      lines.push({ text: `evidence: ${compactJson(event.evidence)}`, tone: 'dim', detail: true });
    return lines;
  }

  private phaseScore(event: EventOf<'phase.finished'>): string {
    const tally = this.checks.get(event.phase);
    const notes: string[] = [];
    if (event.status === 'skip') notes.push('skipped');
    else if (tally && tally.total > 0) notes.push(`${tally.passed}/${tally.total} checks passed`);
    if (event.status === 'fail') notes.push('failed');
    if (event.durationMs > 0) notes.push(formatDuration(event.durationMs));
    const tail = notes.length > 0 ? ` (${notes.join(', ')})` : '';
    return `Phase ${phaseNumber(event.phase)} (${event.phase}) score: ${event.score}/5${tail}`;
  }

  private verdict(event: EventOf<'verdict'>): Line[] {
    const tone: Tone = event.action === 'rollback' ? 'bad' : event.action === 'hold' ? 'warn' : 'plain';
    const reasons = event.reasons.map((r) => r.message).join('; ');
    const lines: Line[] = [
      { text: `verdict: ${event.action} (${event.severity})${reasons ? `: ${reasons}` : ''}`, tone },
    ];
    if (this.options.verbose) {
      for (const reason of event.reasons) {
        if (reason.figures)
          lines.push({ text: `${reason.rule}: ${compactJson(reason.figures)}`, tone: 'dim', detail: true });
      }
    }
    return lines;
  }
}

export function toneOf(status: 'pass' | 'warn' | 'fail' | 'skip'): Tone {
  return status === 'pass' ? 'ok' : status === 'fail' ? 'bad' : status === 'warn' ? 'warn' : 'dim';
}

/** `canary abc12345: 60 req, 12.0 rps, 0.00% errors, p95 42 ms`. */
export function sampleText(sample: VersionSample): string {
  return `${sample.role} ${shortId(sample.version)}: ${sample.requests} req, ${formatRps(sample.rps)}, ${formatRate(sample.errorRate)} errors, p95 ${formatMs(sample.p95)}`;
}

/** `10% (bake 5m) → pause → 100% (bake 5m) → monitor 15m`. */
export function planText(event: EventOf<'plan'>): string {
  const steps = event.steps.map((step) =>
    'pause' in step ? 'manual pause' : `${step.percent}% (bake ${formatDuration(step.bakeMs)})`,
  );
  if (event.monitorMs > 0) steps.push(`monitor ${formatDuration(event.monitorMs)}`);
  return steps.join(' → ');
}

/** `api (worker): changed, bundle 1a2b3c4d (serving 9f8e7d6c), after -, migrations DB: 0002_add.sql`. */
export function componentPlanText(c: ComponentPlan): string {
  const serving = c.serving ? `serving ${shortId(c.serving.version)}` : 'nothing serving yet';
  const bundle = c.hash ? `bundle ${c.hash.slice(0, 8)}, ` : '';
  const after = c.dependsOn.length ? `, after ${c.dependsOn.join(', ')}` : '';
  const migrations = c.migrations
    .map(
      (m) =>
        `${m.binding}: ${m.pending === null ? `unknown (${m.error})` : m.pending.join(', ') || 'none pending'}`,
    )
    .join('; ');
  return `  ${c.name} (${c.kind}, ${c.strategy}): ${c.change} · ${bundle}${serving}${after}${migrations ? ` · migrations ${migrations}` : ''}`;
}

function metricsText(event: EventOf<'metrics.sampled'>): string {
  const window = event.windowMs > 0 ? ` (${formatDuration(event.windowMs)} window)` : '';
  const body =
    event.versions.length > 0 ? event.versions.map(sampleText).join(' · ') : 'no versions measured';
  return `metrics${window}: ${body}`;
}
