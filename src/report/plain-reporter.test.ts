import { describe, expect, it } from 'vitest';
import { captureIO } from './capture-io.ts';
import { createReporter } from './reporter.ts';
import { sampleRelease } from './sample-events.ts';

function runPlain(kind: 'promoted' | 'rolled_back', verbose = false) {
  const io = captureIO({ env: { CI: 'true' } });
  const reporter = createReporter({ io, json: false, verbose, color: true });
  for (const event of sampleRelease(kind)) reporter.handle(event);
  reporter.close();
  return { lines: io.stdoutText().split('\n'), stdout: io.stdoutText(), stderr: io.stderrText() };
}

describe('plain reporter', () => {
  it('prints one timestamped line per event, readable like a CI log', () => {
    const { lines } = runPlain('promoted');
    expect(lines).toContain('[2026-02-07 14:23:11] PHASE 1/5: Pre-deployment gate');
    expect(lines).toContain('[2026-02-07 14:23:12] ✓ window: Saturday 14:23 UTC is inside the deploy window');
    expect(lines).toContain(
      '[2026-02-07 14:23:16] upload: attempt 1 failed: ETIMEDOUT connecting to the control API; waiting 30s',
    );
    expect(lines).toContain(
      '[2026-02-07 14:23:18] ✓ upload: uploaded abc12345 with 0% traffic (attempt 2, 31.5s)',
    );
    expect(lines).toContain('[2026-02-07 14:23:22] ! security-headers: missing permissions-policy');
    expect(lines).toContain('    hint: Add the header in the worker response.');
    expect(lines).toContain('[2026-02-07 14:23:23] Phase 3 (verify) score: 4/5 (1/2 checks passed, 1.5s)');
    expect(lines).toContain('[2026-02-07 14:23:24] Phase 4 (e2e) score: 4/5 (skipped)');
    expect(lines).toContain('[2026-02-07 14:23:27] traffic: abc12345 10% / def45678 90%');
    expect(lines.find((l) => l.includes('metrics (5s window)'))).toContain(
      'canary abc12345: 60 req, 12.0 rps, 0.00% errors, p95 42 ms · baseline def45678: 540 req, 108.0 rps, 0.19% errors, p95 40 ms',
    );
    expect(lines).toContain('[2026-02-07 14:23:30] verdict: continue (low): canary error rate 0.00% < 1%');
    expect(lines.find((l) => l.includes('rollout plan'))).toContain(
      '10% (bake 1m) → 50% (bake 1m) → 100% (bake 1m) → monitor 15m',
    );
  });

  it('timestamps every line except detail lines, blank separators and the summary table body', () => {
    const { lines } = runPlain('rolled_back');
    const summaryAt = lines.findIndex((l) => l.endsWith('RELEASE SUMMARY'));
    expect(summaryAt).toBeGreaterThan(0);
    for (const line of lines.slice(0, summaryAt + 1)) {
      if (line === '' || line.startsWith('    ')) continue;
      expect(line).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] \S/);
    }
  });

  it('ends with the score table, band and outcome', () => {
    const promoted = runPlain('promoted').lines;
    expect(promoted).toContain('Phase 2 (release): 4/5');
    expect(promoted).toContain('Phases: 22/25');
    expect(promoted).toContain('Total score: 88/100');
    expect(promoted).toContain('Status: PASS (≥80/100)');
    expect(promoted).toContain('Outcome: promoted · version abc12345 · 3m 12s');
    const rolledBack = runPlain('rolled_back').lines;
    expect(rolledBack).toContain('Status: FAILED (release rolled back)');
    expect(rolledBack).toContain('Phase 5 (rollout): 1/5');
  });

  it('prints the rollback and the verdict that caused it', () => {
    const { lines } = runPlain('rolled_back');
    expect(lines).toContain(
      '[2026-02-07 14:23:30] verdict: rollback (critical): canary error rate 8.00% > 5%',
    );
    expect(lines).toContain(
      '[2026-02-07 14:23:31] rolling back: canary error rate 8.00% > 5% (abc12345 → def45678)',
    );
    expect(lines).toContain('[2026-02-07 14:23:33] rollback finished: def45678 serves 100% (850 ms)');
  });

  it('writes errors to stderr as code, message and hint; the stack only with --verbose', () => {
    const quiet = runPlain('rolled_back');
    expect(quiet.stderr).toBe(
      'error ROLLOUT_ROLLED_BACK: the canary was rolled back: canary error rate 8.00% > 5%\n' +
        '  hint: Look at the canary errors, fix them and deploy again.\n',
    );
    expect(quiet.stdout).not.toContain('ROLLOUT_ROLLED_BACK');
    expect(runPlain('rolled_back', true).stderr).toContain('at judge (judge.ts:1:1)');
  });

  it('adds each check evidence and verdict figures with --verbose', () => {
    expect(runPlain('promoted').stdout).not.toContain('evidence:');
    const { lines } = runPlain('promoted', true);
    expect(lines).toContain('    evidence: {"status":200,"latencyMs":12}');
    expect(lines).toContain('    absolute: {"errorRate":0}');
  });

  it('never writes ANSI escapes, even with colour on', () => {
    const { stdout, stderr } = runPlain('rolled_back', true);
    expect(stdout + stderr).not.toMatch(/\x1b/);
  });
});
