import { describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from '../../analysis/judge-test-settings.ts';
import type { MetricsQuery, MetricWindow } from '../../targets/target.ts';
import { shareUnits, trafficVolume } from './traffic-volume.ts';

describe('shareUnits', () => {
  it('counts clients where users send version keys: a few heavy clients are a few draws of the split', () => {
    expect(
      shareUnits({ requests: 950, organic: 900, clients: 3 }, { requests: 8200, organic: 8100, clients: 27 }),
    ).toEqual({ canary: 3, baseline: 27, of: 'clients' });
  });

  it("counts users' requests otherwise, all requests where the target cannot tell users apart", () => {
    expect(
      shareUnits({ requests: 120, organic: 100, clients: 0 }, { requests: 500, organic: 400, clients: 0 }),
    ).toEqual({
      canary: 100,
      baseline: 400,
      of: 'requests',
    });
    expect(shareUnits({ requests: 120 }, null)).toEqual({ canary: 120, baseline: 0, of: 'requests' });
  });
});

describe('trafficVolume', () => {
  const span = { since: new Date('2026-12-03T10:01:00Z'), until: new Date('2026-12-03T10:02:00Z') };
  /** Windows as a target that counts every request alike gives them (no `organic`): 10% of 6000 on the canary. */
  const blindTarget = {
    async metrics(q: MetricsQuery): Promise<MetricWindow> {
      const requests = q.version === 'canary' ? 600 : 5400;
      return {
        version: q.version,
        since: '',
        until: '',
        requests,
        errors: 0,
        errorRate: 0,
        p50: 1,
        p95: 1,
        p99: 1,
        latencyBuckets: [],
      };
    },
  };
  const ctx = (generated: boolean) => ({
    target: blindTarget,
    canary: 'canary',
    baseline: 'baseline',
    percent: 10,
    span,
    releaseStartedAt: new Date('2026-12-03T10:00:00Z'),
    config: { analysis: TEST_SETTINGS.analysis },
    generated,
  });

  it("judges nothing where generated requests would pass for users' (a target without users' counts)", async () => {
    const r = await trafficVolume(ctx(true));
    expect(r.status).toBe('skip');
    expect(r.message).toMatch(/^inconclusive: .*do not tell shipshape's generated requests from users'/);
  });

  it("judges the share on such a target when nothing is generated: every request is a user's", async () => {
    const r = await trafficVolume(ctx(false));
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ canaryRequests: 600, baselineRequests: 5400, percent: 10 });
  });
});
