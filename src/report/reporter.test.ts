import { describe, expect, it } from 'vitest';
import { EventBus } from '../events/bus.ts';
import type { EventBody } from '../events/types.ts';
import { captureIO } from './capture-io.ts';
import { createReporter, type ReporterMode, reporterMode } from './reporter.ts';

const TOKEN = 'cf-token-0123456789abcdef';
const EXTRA = 'dev-vars-secret-value';

/** Events that carry secrets everywhere a phase might leak one: messages, evidence keys and values, stacks. */
const leaky: EventBody[] = [
  { type: 'release.started', worker: 'w', env: null, target: 'local', dryRun: false, baseline: null },
  { type: 'phase.started', phase: 'gate', index: 1 },
  {
    type: 'check.finished',
    phase: 'gate',
    name: 'env',
    status: 'fail',
    score: 0,
    evidence: { CLOUDFLARE_API_TOKEN: TOKEN, [EXTRA]: 'as a key', nested: [{ value: `Bearer ${TOKEN}` }] },
    attempt: 1,
    durationMs: 2,
    message: `token ${TOKEN} has the wrong format`,
    hint: `unset ${EXTRA}`,
  },
  { type: 'retry.scheduled', phase: 'gate', name: 'env', attempt: 1, delayMs: 0, reason: `401 for ${TOKEN}` },
  { type: 'log', level: 'warn', message: `saw ${EXTRA}`, data: { token: TOKEN } },
  {
    type: 'verdict',
    action: 'hold',
    severity: 'medium',
    reasons: [{ rule: 'x', message: TOKEN, figures: { t: TOKEN } }],
  },
  { type: 'error', code: 'INTERNAL', message: `boom ${TOKEN}`, hint: EXTRA, stack: `Error: ${TOKEN}\n at x` },
  { type: 'rollback.started', reason: `because ${TOKEN}`, from: null, to: null },
  {
    type: 'release.finished',
    score: 0,
    outcome: 'failed',
    phases: {},
    durationMs: 5,
    version: null,
    baseline: null,
  },
];

function run(mode: ReporterMode) {
  const io = captureIO({
    env: { CLOUDFLARE_API_TOKEN: TOKEN, CI: mode === 'plain' ? 'true' : undefined },
    isTTY: mode === 'tty',
  });
  const reporter = createReporter({
    io,
    json: mode === 'json',
    verbose: true,
    color: true,
    mode,
    secrets: [EXTRA],
  });
  const bus = new EventBus({ release: 'r-1' });
  const unsubscribe = bus.subscribe(reporter.handle);
  for (const body of leaky) bus.emit(body);
  unsubscribe();
  reporter.close();
  return io.stdoutText() + io.stderrText();
}

describe('createReporter', () => {
  it.each(['plain', 'json', 'tty'] as const)('never lets a secret reach the %s output', (mode) => {
    const output = run(mode);
    expect(output.length).toBeGreaterThan(200);
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(EXTRA);
    expect(output).toContain('[redacted]');
  });

  it('picks json with --json, tty on a terminal outside CI, plain otherwise', () => {
    expect(reporterMode(captureIO({ isTTY: true }), true)).toBe('json');
    expect(reporterMode(captureIO({ isTTY: true }), false)).toBe('tty');
    expect(reporterMode(captureIO({ isTTY: true, env: { CI: 'true' } }), false)).toBe('plain');
    expect(reporterMode(captureIO({ isTTY: true, env: { CI: 'false' } }), false)).toBe('tty');
    expect(reporterMode(captureIO({ isTTY: false }), false)).toBe('plain');
  });
});
