import { describe, expect, it } from 'vitest';
import type { EventOf, ShipshapeEvent } from '../events/types.ts';
import { SAMPLE_BASELINE, SAMPLE_CANARY, sampleRelease } from './sample-events.ts';
import { summarize } from './summarize.ts';

describe('summarize', () => {
  it('folds a promoted release into phases, score, band and versions', () => {
    const s = summarize(sampleRelease('promoted'));
    expect(s).toMatchObject({
      release: 'r-20260207-142310',
      worker: 'hello-d1',
      env: 'production',
      target: 'local',
      baseline: SAMPLE_BASELINE,
      version: SAMPLE_CANARY,
      score: 88,
      band: 'PASS',
      outcome: 'promoted',
      durationMs: 192_000,
      worstSeverity: 'low',
      rollback: null,
      errors: [],
    });
    expect(s.phases.map((p) => [p.phase, p.status, p.score])).toEqual([
      ['gate', 'pass', 5],
      ['release', 'pass', 4],
      ['verify', 'warn', 4],
      ['e2e', 'skip', 4],
      ['rollout', 'pass', 5],
    ]);
    expect(s.phases[1]).toMatchObject({ retries: 1, checks: [{ name: 'upload', attempt: 2 }] });
    expect(s.phases[2].checks.map((c) => c.status)).toEqual(['pass', 'warn']);
    expect(s.traffic.map((t) => t.split.map((x) => x.percent))).toEqual([[10, 90], [100]]);
    expect(s.plan).toEqual({ steps: ['10%', '50%', '100%'], monitorMs: 900_000 });
    const canary = s.versions.find((v) => v.version === SAMPLE_CANARY);
    expect(canary).toMatchObject({ role: 'canary', percent: 100, peakP95: 42 });
    expect(s.versions.find((v) => v.version === SAMPLE_BASELINE)?.percent).toBe(0);
  });

  it('records the rollback, the critical verdict and the error; FAILED whatever the score', () => {
    const s = summarize(sampleRelease('rolled_back'));
    expect(s.outcome).toBe('rolled_back');
    expect(s.score).toBe(72);
    expect(s.band).toBe('FAILED');
    expect(s.worstSeverity).toBe('critical');
    expect(s.rollback).toMatchObject({ from: SAMPLE_CANARY, to: SAMPLE_BASELINE, ok: true, durationMs: 850 });
    expect(s.errors.map((e) => e.code)).toEqual(['ROLLOUT_ROLLED_BACK']);
    expect(s.versions.find((v) => v.role === 'canary')?.peakErrorRate).toBeCloseTo(0.08);
  });

  it('describes a release still running: no score, pending phases, duration so far', () => {
    const events = sampleRelease('promoted');
    const s = summarize(
      events.slice(0, events.findIndex((e) => e.type === 'phase.started' && e.phase === 'verify') + 1),
    );
    expect(s.outcome).toBe('running');
    expect(s.score).toBeNull();
    expect(s.band).toBeNull();
    expect(s.phases.map((p) => p.status)).toEqual(['pass', 'pass', 'running', 'pending', 'pending']);
    expect(s.durationMs).toBeGreaterThan(0);
  });

  it("ranks severities in the judge's order: an inconclusive verdict is worse than a warning", () => {
    const events = sampleRelease('promoted');
    const at = events.findIndex((e) => e.type === 'verdict');
    const verdict = (severity: 'medium' | 'inconclusive'): ShipshapeEvent => ({
      ...(events[at] as EventOf<'verdict'>),
      action: 'hold',
      severity,
    });
    const s = summarize([
      ...events.slice(0, at),
      verdict('inconclusive'),
      verdict('medium'),
      ...events.slice(at),
    ]);
    expect(s.worstSeverity).toBe('inconclusive');
  });

  it('uses the configured bands', () => {
    expect(summarize(sampleRelease('promoted'), { pass: 90, warn: 70 }).band).toBe('WARNING');
    expect(summarize([]).outcome).toBe('running');
  });
});
