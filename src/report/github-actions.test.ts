import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventBody, ShipshapeEvent } from '../events/types.ts';
import { captureIO } from './capture-io.ts';
import { withGithubActions } from './github-actions.ts';
import { stepSummary } from './github-step-summary.ts';
import { createReporter } from './reporter.ts';
import { sampleRelease } from './sample-events.ts';

const SECRET = 'to%ken"with\'quotes-77';
const RUN = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_RUN_ID: '1234',
};

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-gh-'));
  file = join(dir, 'step-summary.md');
  writeFileSync(file, '');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function at(body: EventBody, release: string | null = null): ShipshapeEvent {
  return { v: 1, ts: '2026-02-07T14:23:11.000Z', release, ...body } as ShipshapeEvent;
}

/** A `check` run: the gate alone, no release, one check leaking a .dev.vars secret in its hint. */
function gateRun(): ShipshapeEvent[] {
  const check = { phase: 'gate', score: 0, evidence: {}, attempt: 1, durationMs: 4 } as const;
  return [
    at({ type: 'phase.started', phase: 'gate', index: 1 }),
    at({ type: 'check.finished', ...check, name: 'window', status: 'pass', score: 5, message: 'open' }),
    at({
      type: 'check.finished',
      ...check,
      name: 'leaky, check: x',
      status: 'fail',
      message: 'exited with code 1',
      hint: `Last lines:\n${SECRET}\n100% sure`,
      critical: true,
    }),
    at({ type: 'check.finished', ...check, name: 'console.log', status: 'warn', message: '2 hits' }),
    at({ type: 'phase.finished', phase: 'gate', score: 0, status: 'fail', durationMs: 90 }),
  ];
}

function run(events: ShipshapeEvent[], env: Record<string, string>, json = false) {
  const io = captureIO({ env: { CI: 'true', ...env } });
  const view = createReporter({ io, json, verbose: false, color: false, secrets: [SECRET] });
  const reporter = withGithubActions(view, { io, json, secrets: [SECRET] });
  for (const event of events) reporter.handle(event);
  reporter.close();
  reporter.close();
  return { io, view, reporter, summary: readFileSync(file, 'utf8') };
}

describe('GitHub Actions job summary', () => {
  it('appends the outcome, the phase table and a link to the artifacts when a release finishes', () => {
    const { summary } = run(sampleRelease('promoted'), { GITHUB_STEP_SUMMARY: file, ...RUN });
    expect(summary.split('\n')[0]).toBe('# Release `r-20260207-142310`: promoted · 88/100 PASS');
    expect(summary).toContain('| Score | **88/100** (PASS) |');
    expect(summary).toContain('## Phases');
    expect(summary).toContain('| 3 | Health checks (pinned version) | ! warn | 4/5 | 1.5s | 0 |');
    expect(summary).toContain('(https://github.com/acme/shop/actions/runs/1234#artifacts)');
    // Short: the full report is an artifact.
    expect(summary).not.toContain('## Checks');
    expect(summary).not.toContain('## Traffic');
  });

  it('names the errors of a rolled-back release, and has no link outside a known run', () => {
    const { summary } = run(sampleRelease('rolled_back'), { GITHUB_STEP_SUMMARY: file });
    expect(summary).toContain('rolled back · 72/100 FAILED');
    expect(summary).toContain('`ROLLOUT_ROLLED_BACK`');
    expect(summary).not.toContain('artifacts');
  });

  it('sums up a run without a release (check) once, when it closes: the phases it ran only', () => {
    const { summary } = run(gateRun(), { GITHUB_STEP_SUMMARY: file, ...RUN });
    expect(summary.split('\n')[0]).toBe('# Pre-deployment gate: fail (0/5, 1 of 3 checks failed)');
    expect(summary).toContain('| 1 | Pre-deployment gate | ✗ fail | 0/5 | 90 ms | 0 |');
    expect(summary).not.toContain('pending');
    expect(summary.match(/## Phases/g)).toHaveLength(1);
  });

  it('appends to what earlier steps wrote', () => {
    writeFileSync(file, 'earlier step\n');
    const { summary } = run(gateRun(), { GITHUB_STEP_SUMMARY: file });
    expect(summary.startsWith('earlier step\n# Pre-deployment gate')).toBe(true);
  });

  it('says on stderr when the summary cannot be written, and carries on', () => {
    const { io } = run(gateRun(), { GITHUB_STEP_SUMMARY: join(dir, 'missing', 'summary.md') });
    expect(io.stderrText()).toContain('could not write the job summary');
  });

  it('redacts secrets in the summary as the report does', () => {
    const events = gateRun();
    events.push(at({ type: 'error', code: 'X', message: `leaked ${SECRET}`, hint: 'h' }));
    const summary = stepSummary(events, { env: {}, secrets: [SECRET] });
    expect(summary).toContain('leaked [redacted]');
    expect(summary).not.toContain('to%ken');
  });
});

describe('GitHub Actions annotations', () => {
  it('prints ::error and ::warning for gate checks on stdout, escaped, secrets hidden', () => {
    const { io } = run(gateRun(), { GITHUB_ACTIONS: 'true' });
    const lines = io.stdoutText().split('\n');
    expect(lines).toContain(
      '::error title=leaky%2C check%3A x::exited with code 1 (Last lines:%0A[redacted]%0A100%25 sure)',
    );
    expect(lines).toContain('::warning title=console.log::2 hits');
    expect(lines.filter((l) => l.startsWith('::'))).toHaveLength(2);
    expect(io.stdoutText()).not.toContain('to%');
    expect(io.stdoutText()).not.toContain('to%25ken');
  });

  it('keeps stdout NDJSON under --json: annotations go to stderr', () => {
    const { io } = run(gateRun(), { GITHUB_ACTIONS: 'true' }, true);
    for (const line of io.stdoutText().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(io.stderrText()).toContain('::error title=leaky%2C check%3A x::');
  });

  it('does nothing outside GitHub Actions: the view is returned as it is', () => {
    const { view, reporter, summary } = run(gateRun(), {});
    expect(reporter).toBe(view);
    expect(summary).toBe('');
  });
});
