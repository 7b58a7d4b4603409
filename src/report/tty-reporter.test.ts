import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ShipshapeEvent } from '../events/types.ts';
import { stripAnsi } from './ansi.ts';
import { captureIO } from './capture-io.ts';
import { createReporter } from './reporter.ts';
import { sampleRelease } from './sample-events.ts';
import { TICK_MS } from './tty-reporter.ts';

/**
 * A minimal terminal: applies what the reporter writes (text, \r, \n, cursor up, erase down, colours) to a
 * screen buffer that keeps its scrollback, and records any other escape sequence.
 */
class Terminal {
  lines: string[] = [''];
  row = 0;
  col = 0;
  foreign: string[] = [];
  wraps = 0;
  constructor(private readonly columns: number) {}

  write(chunk: string): void {
    const tokens = chunk.match(/\x1b\[[0-9;?]*[A-Za-z]|[\s\S]/gu) ?? [];
    for (const token of tokens) {
      if (token.startsWith('\x1b[')) this.escape(token);
      else if (token === '\n') this.move(this.row + 1, 0);
      else if (token === '\r') this.col = 0;
      else {
        if (this.col >= this.columns) {
          this.wraps += 1;
          this.move(this.row + 1, 0);
        }
        const line = [...this.lines[this.row].padEnd(this.col)];
        line[this.col] = token;
        this.lines[this.row] = line.join('');
        this.col += 1;
      }
    }
  }

  private escape(seq: string): void {
    const code = seq.at(-1);
    if (code === 'm') return;
    if (code === 'A') this.row = Math.max(0, this.row - Number(seq.slice(2, -1) || 1));
    else if (code === 'J' && seq === '\x1b[J') {
      this.lines = this.lines.slice(0, this.row + 1);
      this.lines[this.row] = [...this.lines[this.row]].slice(0, this.col).join('');
    } else this.foreign.push(JSON.stringify(seq));
  }

  private move(row: number, col: number): void {
    this.row = row;
    this.col = col;
    while (this.lines.length <= row) this.lines.push('');
  }

  text(): string {
    return this.lines.join('\n');
  }
}

function setup(columns = 100, color = true) {
  const term = new Terminal(columns);
  const io = captureIO({ isTTY: true, columns, now: () => new Date() });
  io.stdout.write = (chunk: string) => {
    io.out.push(chunk);
    term.write(chunk);
  };
  const reporter = createReporter({ io, json: false, verbose: false, color });
  return { term, io, reporter };
}

/** Feeds events up to and including the first of `type`, returns the rest. */
function feedUntil(reporter: { handle(e: ShipshapeEvent): void }, events: ShipshapeEvent[], type: string) {
  const at = events.findIndex((e) => e.type === type);
  for (const event of events.slice(0, at + 1)) reporter.handle(event);
  return events.slice(at + 1);
}

describe('tty reporter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-02-07T14:23:10Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the phase list, the bake countdown and live figures, then leaves only finished lines', () => {
    const { term, reporter } = setup();
    const events = sampleRelease('promoted');
    let rest = feedUntil(reporter, events, 'wait.started');
    vi.advanceTimersByTime(1000);
    rest = feedUntil(reporter, rest, 'verdict');
    vi.advanceTimersByTime(1000);
    const live = stripAnsi(term.text());
    expect(live).toContain('✓ gate 5/5');
    expect(live).toContain('✓ release 4/5');
    expect(live).toContain('- e2e 4/5');
    expect(live).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] rollout/);
    expect(live).toContain('bake at 10% · 0:58 left');
    expect(live).toMatch(/canary +abc12345 +10% +12\.0 rps +0\.00% err +p95 +42 ms/);
    expect(live).toMatch(/baseline +def45678 +90% +108\.0 rps/);
    expect(live).toMatch(/judge +continue · low · canary error rate 0\.00% < 1%/);
    // Finished phases scroll above the live block, each once.
    expect(
      live.split('\n').filter((l) => l === 'Phase 1 (gate) score: 5/5 (2/2 checks passed, 2s)'),
    ).toHaveLength(1);

    for (const event of rest) reporter.handle(event);
    reporter.close();
    const final = stripAnsi(term.text());
    expect(final).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|left|judge/);
    expect(final).toContain('✓ health: GET /health → 200 in 12 ms');
    expect(final).toContain('verdict: promote (low): no regression against the baseline');
    expect(final).toContain('Status: PASS (≥80/100)');
    expect(final.split('\n').filter((l) => l.startsWith('PHASE ')).length).toBe(4);
    expect(term.foreign).toEqual([]);
    expect(term.wraps).toBe(0);
  });

  it('redraws in place: the screen only grows by finished lines while the spinner turns', () => {
    const { term, reporter } = setup();
    feedUntil(reporter, sampleRelease('promoted'), 'metrics.sampled');
    const before = term.lines.length;
    vi.advanceTimersByTime(TICK_MS * 30);
    expect(term.lines.length).toBe(before);
    reporter.close();
  });

  it('fits live lines to a narrow terminal and drops the block when there is no room', () => {
    const narrow = setup(32);
    feedUntil(narrow.reporter, sampleRelease('rolled_back'), 'verdict');
    // Finished lines may wrap (they keep their full text); the redrawn block never does.
    const wraps = narrow.term.wraps;
    vi.advanceTimersByTime(TICK_MS * 3);
    expect(narrow.term.wraps).toBe(wraps);
    const block = narrow.term.lines.slice(-4).map(stripAnsi);
    for (const line of block) expect([...line].length).toBeLessThan(32);
    expect(block.some((l) => l.endsWith('…'))).toBe(true);
    narrow.reporter.close();

    const tiny = setup(12);
    feedUntil(tiny.reporter, sampleRelease('rolled_back'), 'verdict');
    vi.advanceTimersByTime(TICK_MS * 3);
    expect(stripAnsi(tiny.term.text())).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    tiny.reporter.close();
  });

  it('prints errors on stderr after erasing the block, and no colour when colour is off', () => {
    const { io, term, reporter } = setup(100, false);
    for (const event of sampleRelease('rolled_back')) reporter.handle(event);
    reporter.close();
    expect(io.stderrText()).toContain('error ROLLOUT_ROLLED_BACK: the canary was rolled back');
    expect(io.stderrText()).toContain('  hint: Look at the canary errors');
    expect(io.stdoutText()).not.toMatch(/\x1b\[[0-9;]*m/);
    expect(stripAnsi(term.text())).toContain('rollback finished: def45678 serves 100% (850 ms)');
  });

  it('shows a spinner for a rollback outside a release and nothing once it is done', () => {
    const { term, reporter } = setup();
    const events = sampleRelease('rolled_back').filter((e) => e.type.startsWith('rollback.'));
    reporter.handle(events[0]);
    vi.advanceTimersByTime(TICK_MS * 2);
    expect(stripAnsi(term.text())).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] rolling back: canary error rate 8\.00% > 5%/);
    reporter.handle(events[1]);
    reporter.close();
    const final = stripAnsi(term.text());
    expect(final).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|gate/);
    expect(final).toContain('rollback finished: def45678 serves 100% (850 ms)');
  });

  it('stops its timer on close and writes nothing afterwards', () => {
    const { io, reporter } = setup();
    feedUntil(reporter, sampleRelease('promoted'), 'wait.started');
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(TICK_MS * 5);
    reporter.close();
    expect(vi.getTimerCount()).toBe(0);
    const written = io.out.length;
    vi.advanceTimersByTime(TICK_MS * 20);
    reporter.handle(sampleRelease('promoted')[2]);
    expect(io.out.length).toBe(written);
  });
});

describe('tty reporter timer', () => {
  it('does not keep the process alive', () => {
    const spy = vi.spyOn(globalThis, 'setInterval');
    const { reporter } = setup();
    feedUntil(reporter, sampleRelease('promoted'), 'phase.started');
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    reporter.close();
    spy.mockRestore();
  });
});
