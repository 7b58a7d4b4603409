import { describe, expect, it } from 'vitest';
import { EventBus } from '../../events/bus.ts';
import type { EventBody, ShipshapeEvent, VersionSample } from '../../events/types.ts';
import { SAMPLE_BASELINE, SAMPLE_CANARY, sampleRelease } from '../../report/sample-events.ts';
import { releaseRecord } from '../../state/history.ts';
import { releaseView } from './release-view.ts';

function emit(bodies: EventBody[]): ShipshapeEvent[] {
  let t = Date.parse('2026-03-01T10:00:00.000Z');
  const tick = () => {
    t += 1000;
    return new Date(t);
  };
  const bus = new EventBus({ release: 'r-20260301-100000', now: tick });
  const events: ShipshapeEvent[] = [];
  bus.subscribe((e) => events.push(e));
  for (const body of bodies) bus.emit(body);
  return events;
}

const sample = (version: string, role: 'canary' | 'baseline'): VersionSample => ({
  version,
  role,
  requests: 50,
  errors: 0,
  errorRate: 0,
  p50: 5,
  p95: 9,
  p99: 12,
  rps: 10,
});

describe('releaseView', () => {
  it('a rolled-back release: phases with their scores, the split after the rollback, the judge, the rollback', () => {
    const events = sampleRelease('rolled_back');
    const view = releaseView('r-20260207-142310', events, releaseRecord('r-20260207-142310', events), false);
    expect(view.running).toBe(false);
    expect(view.outcome).toBe('rolled_back');
    expect(view.phases.every((p) => p.status !== 'running' && p.score !== null)).toBe(true);
    expect(view.phases.find((p) => p.phase === 'rollout')?.status).toBe('fail');
    expect(view.components).toEqual([
      {
        component: null,
        split: [{ version: SAMPLE_BASELINE, percent: 100 }],
        judge: expect.objectContaining({ action: 'rollback', sentence: 'canary error rate 8.00% > 5%' }),
      },
    ]);
    expect(view.rollback).toMatchObject({ to: SAMPLE_BASELINE, ok: true });
    expect(view.charts.map((c) => c.id)).toEqual(['errors-0', 'latency-0']);
  });

  it('a running release of two components: a phase still running, each component its own split, judge and charts', () => {
    const events = emit([
      { type: 'release.started', worker: 'api', env: null, target: 'local', dryRun: false, baseline: null },
      { type: 'phase.started', phase: 'verify', index: 3 },
      { type: 'phase.finished', phase: 'verify', score: 5, status: 'pass', durationMs: 900 },
      { type: 'phase.started', phase: 'rollout', index: 5 },
      {
        type: 'traffic.changed',
        component: 'api',
        split: [
          { version: SAMPLE_CANARY, percent: 10 },
          { version: SAMPLE_BASELINE, percent: 90 },
        ],
      },
      { type: 'traffic.changed', component: 'web', split: [{ version: 'web2', percent: 100 }] },
      {
        type: 'metrics.sampled',
        component: 'api',
        phase: 'rollout',
        step: 10,
        windowMs: 1000,
        versions: [sample(SAMPLE_CANARY, 'canary'), sample(SAMPLE_BASELINE, 'baseline')],
      },
      {
        type: 'verdict',
        component: 'api',
        action: 'hold',
        severity: 'inconclusive',
        reasons: [{ rule: 'minSamples', message: 'too few requests yet' }],
        decision: { rule: 'minSamples', message: '50 canary requests of the 100 needed: holding' },
      },
    ]);
    const view = releaseView('r-20260301-100000', events, releaseRecord('r-20260301-100000', events), true);
    expect(view.running).toBe(true);
    expect(view.outcome).toBeNull();
    expect(view.phases).toEqual([
      { phase: 'verify', status: 'pass', score: 5 },
      { phase: 'rollout', status: 'running', score: null },
    ]);
    expect(
      view.components.map((c) => [c.component, c.split.map((s) => s.percent), c.judge?.sentence ?? null]),
    ).toEqual([
      ['api', [10, 90], '50 canary requests of the 100 needed: holding'],
      ['web', [100], null],
    ]);
    expect(view.charts.map((c) => c.title)).toEqual(['api: error rate', 'api: latency p50 / p95']);
  });
});
