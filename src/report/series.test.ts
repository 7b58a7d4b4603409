import { describe, expect, it } from 'vitest';
import type { EventBody, ShipshapeEvent, VersionSample } from '../events/types.ts';
import { chartSpecs, pointCount } from './chart-data.ts';
import { SAMPLE_BASELINE, SAMPLE_CANARY, sampleRelease } from './sample-events.ts';
import { releaseSeries } from './series.ts';

function at(seconds: number, body: EventBody): ShipshapeEvent {
  return { v: 1, ts: new Date(Date.UTC(2026, 1, 7, 14, 0, seconds)).toISOString(), release: 'r', ...body };
}

function sample(
  version: string,
  role: VersionSample['role'],
  requests: number,
  errors: number,
): VersionSample {
  return {
    version,
    role,
    requests,
    errors,
    errorRate: requests ? errors / requests : 0,
    p50: 10,
    p95: 30,
    p99: 40,
    rps: 1,
  };
}

const sampled = (component: string | undefined, versions: VersionSample[]): EventBody => ({
  type: 'metrics.sampled',
  phase: 'rollout',
  step: 50,
  windowMs: 1000,
  versions,
  ...(component ? { component } : {}),
});

describe('releaseSeries', () => {
  it('gives each version its points and marks the traffic steps, verdicts and rollback in time order', () => {
    const [only, ...rest] = releaseSeries(sampleRelease('rolled_back'));
    expect(rest).toEqual([]);
    expect(only.component).toBeNull();
    expect(only.versions.map((v) => [v.role, v.version, v.points.length])).toEqual([
      ['canary', SAMPLE_CANARY, 1],
      ['baseline', SAMPLE_BASELINE, 1],
    ]);
    expect(only.versions[0].points[0]).toMatchObject({ requests: 100, errors: 8, errorRate: 0.08, p95: 45 });
    expect(only.marks.map((m) => [m.kind, m.label])).toEqual([
      ['traffic', 'abc12345 10% / def45678 90%'],
      ['verdict', 'rollback (critical): canary error rate 8.00% > 5%'],
      ['rollback', 'rollback to def45678: canary error rate 8.00% > 5%'],
      ['traffic', 'def45678 100%'],
    ]);
    expect(only.marks.map((m) => m.t)).toEqual([...only.marks.map((m) => m.t)].sort((a, b) => a - b));
    expect(only.marks[1]).toMatchObject({ action: 'rollback', severity: 'critical' });
  });

  it('keeps components apart; a mark without a component goes on every one', () => {
    const series = releaseSeries([
      at(1, {
        type: 'traffic.changed',
        component: 'api',
        split: [
          { version: 'api-v2', percent: 50 },
          { version: 'api-v1', percent: 50 },
        ],
      }),
      at(2, sampled('api', [sample('api-v1', 'baseline', 10, 0), sample('api-v2', 'canary', 10, 1)])),
      at(3, sampled('web', [sample('web-v2', 'canary', 5, 0)])),
      at(4, sampled('api', [sample('api-v2', 'canary', 12, 6), sample('api-v1', 'baseline', 0, 0)])),
      at(5, {
        type: 'verdict',
        component: 'api',
        action: 'rollback',
        severity: 'high',
        reasons: [{ rule: 'r', message: 'worse' }],
      }),
      at(6, { type: 'rollback.started', reason: 'api regressed', from: null, to: null }),
    ]);
    expect(series.map((c) => c.component)).toEqual(['api', 'web']);
    const [api, web] = series;
    expect(api.versions.map((v) => [v.version, v.points.length])).toEqual([
      ['api-v2', 2],
      ['api-v1', 2],
    ]);
    expect(web.versions.map((v) => [v.version, v.points.length])).toEqual([['web-v2', 1]]);
    expect(api.marks.map((m) => m.kind)).toEqual(['traffic', 'verdict', 'rollback']);
    expect(web.marks.map((m) => m.kind)).toEqual(['rollback']);
  });

  it('is empty for a release that never took traffic', () => {
    expect(releaseSeries([at(0, { type: 'phase.started', phase: 'gate', index: 1 })])).toEqual([]);
  });
});

describe('chartSpecs', () => {
  it('aligns every version on one time axis, in seconds, with gaps where a version served nothing', () => {
    const specs = chartSpecs(
      releaseSeries([
        at(2, sampled(undefined, [sample('v1', 'baseline', 10, 0), sample('v2', 'canary', 10, 1)])),
        at(3, sampled(undefined, [sample('v2', 'canary', 20, 0)])),
        at(4, sampled(undefined, [sample('v2', 'canary', 20, 5), sample('v1', 'baseline', 0, 0)])),
        at(4, { type: 'traffic.changed', split: [{ version: 'v2', percent: 100 }] }),
      ]),
    );
    expect(specs.map((s) => [s.id, s.title, s.unit])).toEqual([
      ['errors-0', 'error rate', '%'],
      ['latency-0', 'latency p50 / p95', 'ms'],
    ]);
    const [errors, latency] = specs;
    const t0 = Date.UTC(2026, 1, 7, 14, 0, 2) / 1000;
    expect(errors.x).toEqual([t0, t0 + 1, t0 + 2]);
    expect(errors.marks[0].t).toBe(t0 + 2);
    expect(errors.lines.map((l) => [l.label, l.values])).toEqual([
      ['canary v2', [10, 0, 25]],
      ['baseline v1', [0, null, null]],
    ]);
    expect(errors.lines.map(pointCount)).toEqual([3, 1]);
    expect(latency.lines.map((l) => l.label)).toEqual([
      'canary v2 p50',
      'canary v2 p95',
      'baseline v1 p50',
      'baseline v1 p95',
    ]);
    expect(latency.lines[1].values).toEqual([30, 30, 30]);
  });
});
