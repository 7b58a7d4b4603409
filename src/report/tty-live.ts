import type pc from 'picocolors';
import { PHASE_NAMES } from '../events/phases.ts';
import type { PhaseName, Severity, ShipshapeEvent, VerdictAction, VersionSample } from '../events/types.ts';
import type { Split } from '../targets/target.ts';
import { fitWidth, visibleWidth } from './ansi.ts';
import { formatClock, formatMs, formatRate, formatRps, shortId } from './format.ts';

/** Colour functions; identity functions when colour is off. */
export type Colors = ReturnType<typeof pc.createColors>;

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Below this width the live block is left out: the permanent lines still tell the whole story. */
const MIN_LIVE_WIDTH = 24;

type PhaseState = { status: 'pending' | 'running' | 'pass' | 'warn' | 'fail' | 'skip'; score?: number };

/**
 * What the live block at the bottom of the TTY view shows: the phase list, the current wait with its
 * countdown, and during rollout a line per version plus the judge's state. Fed events; rendered on demand.
 */
export class LiveState {
  private readonly phases = new Map<PhaseName, PhaseState>(
    PHASE_NAMES.map((name) => [name, { status: 'pending' }]),
  );
  private current: PhaseName | null = null;
  private wait: { label: string; endsAt: number } | null = null;
  private rollback: string | null = null;
  private split: Split[] = [];
  private samples: VersionSample[] = [];
  private judge: { action: VerdictAction; severity: Severity; reason: string } | null = null;
  private started = false;
  /** True once the release finished: nothing is left to animate. */
  done = false;

  /** `now` is when the event arrived (ms), so a bake's countdown runs from the moment it was announced. */
  apply(event: ShipshapeEvent, now: number): void {
    // Anything but a figure or a note means the pipeline moved on: the wait it announced is over.
    if (!['metrics.sampled', 'verdict', 'log', 'error', 'wait.started'].includes(event.type))
      this.wait = null;
    switch (event.type) {
      case 'release.started':
        this.started = true;
        break;
      case 'phase.started':
        this.started = true;
        this.current = event.phase;
        this.phases.set(event.phase, { status: 'running' });
        break;
      case 'phase.finished':
        this.phases.set(event.phase, { status: event.status, score: event.score });
        if (this.current === event.phase) this.current = null;
        break;
      case 'wait.started':
        this.wait = { label: event.label, endsAt: now + event.durationMs };
        break;
      case 'retry.scheduled':
        if (event.delayMs > 0) {
          this.wait = {
            label: `retry ${event.name} (attempt ${event.attempt + 1})`,
            endsAt: now + event.delayMs,
          };
        }
        break;
      case 'traffic.changed':
        this.split = event.split;
        break;
      case 'metrics.sampled':
        this.samples = event.versions;
        break;
      case 'verdict':
        this.judge = {
          action: event.action,
          severity: event.severity,
          reason: event.reasons[0]?.message ?? '',
        };
        break;
      case 'rollback.started':
        // `shipshape rollback` has no phases: the spinner alone says something is under way.
        this.started = true;
        this.rollback = event.reason;
        break;
      case 'rollback.finished':
        this.rollback = null;
        break;
      case 'release.finished':
        this.done = true;
        break;
    }
  }

  /** True while something on screen changes by itself (spinner, countdown). */
  get animating(): boolean {
    return this.started && !this.done;
  }

  /** The live block's lines, each fitted to `width` columns; empty when there is nothing live to show. */
  render(now: number, frame: number, width: number, c: Colors): string[] {
    if (!this.started || this.done || width < MIN_LIVE_WIDTH) return [];
    const spin = c.cyan(SPINNER[frame % SPINNER.length]);
    const anyPhase = [...this.phases.values()].some((p) => p.status !== 'pending');
    const lines = anyPhase ? [this.phaseList(spin, c, width)] : [];
    if (this.rollback !== null) lines.push(`${spin} ${c.red('rolling back')}: ${this.rollback}`);
    else if (this.wait) {
      const left = this.wait.endsAt - now;
      lines.push(
        `${spin} ${this.wait.label} ${c.dim('·')} ${left > 0 ? `${formatClock(left)} left` : 'finishing…'}`,
      );
    }
    if (this.current === 'rollout' || this.rollback !== null) lines.push(...this.rolloutBlock(c, width));
    return lines.map((line) => fitWidth(line, width - 1));
  }

  /** `✓ gate 5/5  ⠋ verify  · e2e …`, or `✓ ✓ ⠋ · · verify` when that does not fit. */
  private phaseList(spin: string, c: Colors, width: number): string {
    const icons = PHASE_NAMES.map((name) => {
      const state = this.phases.get(name)!;
      if (state.status === 'pending') return c.dim('·');
      if (state.status === 'running') return spin;
      return { pass: c.green('✓'), warn: c.yellow('!'), fail: c.red('✗'), skip: c.dim('-') }[state.status];
    });
    const full = PHASE_NAMES.map((name, i) => {
      const state = this.phases.get(name)!;
      if (state.status === 'pending') return c.dim(`· ${name}`);
      if (state.status === 'running') return `${spin} ${c.bold(name)}`;
      return `${icons[i]} ${name} ${c.dim(`${state.score ?? 0}/5`)}`;
    }).join('  ');
    if (visibleWidth(full) < width) return full;
    return `${icons.join(' ')}${this.current ? ` ${c.bold(this.current)}` : ''}`;
  }

  private rolloutBlock(c: Colors, width: number): string[] {
    const wide = width >= 66;
    const lines: string[] = [];
    for (const sample of this.samples) {
      const percent = this.split.find((s) => s.version === sample.version)?.percent;
      const errTone = sample.errorRate > 0.05 ? c.red : sample.errorRate > 0.01 ? c.yellow : (s: string) => s;
      const share = `${percent === undefined ? '  ?' : String(percent).padStart(3)}%`;
      const errors = errTone(`${formatRate(sample.errorRate).padStart(wide ? 7 : 0)} err`);
      const p95 = `p95 ${formatMs(sample.p95).padStart(wide ? 7 : 0)}`;
      // A narrow terminal keeps what the judge looks at (errors, p95) and drops the id and the rate.
      const cells = wide
        ? [
            sample.role.padEnd(8),
            shortId(sample.version),
            share,
            formatRps(sample.rps).padStart(10),
            errors,
            p95,
          ]
        : [sample.role.padEnd(8), share.trim(), errors, p95];
      lines.push(`  ${cells.join(wide ? '  ' : ' ')}`);
    }
    if (this.samples.length === 0 && this.current === 'rollout')
      lines.push(c.dim('  waiting for the first metrics…'));
    if (this.judge) {
      const { action, severity, reason } = this.judge;
      const tone = action === 'rollback' ? c.red : action === 'hold' ? c.yellow : c.green;
      lines.push(
        `  ${'judge'.padEnd(8)}  ${tone(action)} ${c.dim('·')} ${severity}${reason ? ` ${c.dim('·')} ${reason}` : ''}`,
      );
    }
    return lines;
  }
}
