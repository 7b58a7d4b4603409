import { describe, expect, it } from 'vitest';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { EventBody, ShipshapeEvent } from '../events/types.ts';
import { renderPostmortem } from './postmortem.ts';
import { postmortemFacts } from './postmortem-facts.ts';
import { SAMPLE_BASELINE, SAMPLE_CANARY, sampleRelease } from './sample-events.ts';

function at(seconds: number, body: EventBody): ShipshapeEvent {
  return { v: 1, ts: new Date(Date.UTC(2026, 1, 7, 9, 0, seconds)).toISOString(), release: 'r-x', ...body };
}

/** A release's start: new00001 uploaded beside base0001. */
const started: ShipshapeEvent[] = [
  at(0, {
    type: 'release.started',
    worker: 'w',
    env: null,
    target: 'local',
    dryRun: false,
    baseline: 'base0001',
  }),
  at(1, { type: 'version.uploaded', version: 'new00001', hash: 'h', attempt: 1 }),
];

/** new00001 takes 10% of the traffic. */
const tenPercent = at(2, {
  type: 'traffic.changed',
  split: [
    { version: 'new00001', percent: 10 },
    { version: 'base0001', percent: 90 },
  ],
});

/** A release stopped by its pinned health check: the new version never took user traffic. */
const healthFailure: ShipshapeEvent[] = [
  ...started,
  at(2, {
    type: 'migrations.applied',
    binding: 'DB',
    files: ['0002_note.sql'],
    backup: { kind: 'file', ref: 'b1' },
  }),
  at(3, {
    type: 'check.finished',
    phase: 'verify',
    name: 'health endpoint',
    status: 'fail',
    score: 0,
    evidence: { status: 503 },
    attempt: 3,
    durationMs: 20,
    message: 'GET /health → 503',
    critical: true,
  }),
  at(4, {
    type: 'rollback.started',
    reason: 'critical check failed: health endpoint',
    from: 'new00001',
    to: 'base0001',
  }),
  at(5, { type: 'rollback.finished', ok: true, to: 'base0001', durationMs: 300 }),
  at(6, {
    type: 'release.finished',
    score: 40,
    outcome: 'rolled_back',
    phases: { gate: 5, release: 5, verify: 0 },
    durationMs: 6000,
    version: 'new00001',
    baseline: 'base0001',
  }),
];

describe('postmortemFacts', () => {
  it('measures detection from the first user traffic and sums what the bad version served', () => {
    const f = postmortemFacts(sampleRelease('rolled_back'));
    expect(f.badVersions).toEqual([SAMPLE_CANARY]);
    expect(f.firstExposure).toBe('2026-02-07T14:23:27.000Z');
    expect(f.detection).toMatchObject({ kind: 'judge', source: 'absolute', afterExposureMs: 3000 });
    expect(f.impact).toMatchObject({
      requests: 100,
      errors: 8,
      baselineRequests: 900,
      baselineErrors: 4,
      peakPercent: 10,
      exposureMs: 5000,
    });
    expect(f.timeline.map((t) => t.text)).toContain(`traffic: ${SAMPLE_BASELINE.slice(0, 8)} 100%`);
  });

  it('says a problem caught on the pinned version reached no user', () => {
    const f = postmortemFacts(healthFailure);
    expect(f.firstExposure).toBeNull();
    expect(f.detection).toMatchObject({ kind: 'check', source: 'health endpoint', afterExposureMs: null });
    expect(f.impact).toMatchObject({ requests: 0, exposureMs: null, peakPercent: 0 });
  });
});

describe('renderPostmortem', () => {
  it("fills the seed template's headings from the journal and leaves root cause and actions open", () => {
    const md = renderPostmortem(sampleRelease('rolled_back'));
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Post-mortem: 2026-02-07 hello-d1 rolled back (release r-20260207-142310)',
      '## Summary',
      '## Timeline (UTC)',
      '## Detection',
      '## Impact',
      '## Resolution',
      '## Root cause',
      '## Lessons learned',
      '## Action items',
      '## Prevention',
    ]);
    expect(md).toContain('- **Detected by**: the judge (rule `absolute`): canary error rate 8.00% > 5%');
    expect(md).toContain(
      '- When: 14:23:30 UTC, 3s after the new version first took user traffic (14:23:27 UTC)',
    );
    expect(md).toContain('- Failed requests (5xx or an exception): 8 (8.00%; worst window 8.00%)');
    expect(md).toContain('- Rolled back from abc12345 to def45678 at 14:23:31 UTC: done in 850 ms');
    expect(md).toContain('- **Root cause**: **TO WRITE**');
    expect(md).toContain('- [ ] **TO WRITE** (owner, action, due date)');
  });

  it('says when detection came before any user traffic, and which migrations stay', () => {
    const md = renderPostmortem(healthFailure);
    expect(md).toContain('- Found by: the check `health endpoint`');
    expect(md).toContain('before the new version took any user traffic');
    expect(md).toContain('the new version never served user traffic');
    expect(md).toContain('- Database DB: 0002_note.sql stay applied');
  });

  it('names the person who aborted a release and why', () => {
    const md = renderPostmortem([
      ...started,
      tenPercent,
      at(9, { type: 'action', action: 'abort', actor: 'Ada <ada@example.com>', reason: 'p95 looks off' }),
      at(10, {
        type: 'rollback.started',
        reason: 'aborted by hand (shipshape abort)',
        from: 'new00001',
        to: 'base0001',
      }),
      at(11, { type: 'rollback.finished', ok: true, to: 'base0001', durationMs: 400 }),
      at(12, {
        type: 'release.finished',
        score: 60,
        outcome: 'aborted',
        phases: {},
        durationMs: 12_000,
        version: 'new00001',
        baseline: 'base0001',
      }),
    ]);
    expect(md).toContain('# Post-mortem: 2026-02-07 w aborted (release r-x)');
    expect(md).toContain('- **Detected by**: Ada <ada@example.com>: p95 looks off');
    expect(md).toContain('- When: 09:00:09 UTC, 7s after the new version first took user traffic');
    expect(md).toContain('- 09:00:09 Ada <ada@example.com> aborted: p95 looks off');
  });

  it("counts users' requests and version keys apart from shipshape's own traffic", () => {
    const sample = (organic: number, clients: number) => ({
      version: 'new00001',
      role: 'canary' as const,
      requests: 50,
      errors: 5,
      errorRate: 0.1,
      p50: 5,
      p95: 9,
      p99: 12,
      rps: 10,
      organic,
      clients,
    });
    const sampled = (seconds: number, organic: number, clients: number) =>
      at(seconds, {
        type: 'metrics.sampled',
        phase: 'rollout',
        step: 10,
        windowMs: 1000,
        versions: [sample(organic, clients)],
      });
    const events = [
      ...started,
      tenPercent,
      sampled(3, 20, 7),
      sampled(4, 30, 12),
      at(5, { type: 'rollback.started', reason: 'worse', from: 'new00001', to: 'base0001' }),
      at(6, {
        type: 'release.finished',
        score: 60,
        outcome: 'rolled_back',
        phases: {},
        durationMs: 6000,
        version: 'new00001',
        baseline: 'base0001',
      }),
    ];
    expect(postmortemFacts(events).impact).toMatchObject({
      requests: 100,
      organic: 50,
      errors: 10,
      clients: 12,
    });
    const md = renderPostmortem(events);
    expect(md).toContain(
      ": 100 (50 from users, the rest shipshape's generated traffic and pinned checks), counted",
    );
    expect(md).toContain(
      "- Users on it: at least 12 distinct clients (users' Cloudflare-Workers-Version-Key values",
    );
  });

  it('redacts secrets', () => {
    const md = renderPostmortem(healthFailure, { secrets: ['GET /health'] });
    expect(md).not.toContain('GET /health');
    expect(md).toContain('[redacted]');
  });

  it('refuses a promoted release with a code and a hint', () => {
    let error: unknown;
    try {
      renderPostmortem(sampleRelease('promoted'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ShipshapeError);
    expect(error).toMatchObject({ code: 'POSTMORTEM_NOTHING_TO_WRITE_UP', exitCode: 2 });
    expect((error as ShipshapeError).message).toBe(
      'Release r-20260207-142310 was promoted: there is nothing to write a post-mortem about.',
    );
    expect((error as ShipshapeError).hint).toContain('rolled back, aborted or failed');
  });
});
