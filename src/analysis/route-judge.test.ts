import { describe, expect, it } from 'vitest';
import { logEValue } from './e-process.ts';
import { createJudgeState, judgeInterval } from './judge.ts';
import type { Counts } from './judge-state.ts';
import { model, TEST_SETTINGS as settings } from './judge-test-settings.ts';
import { MAX_ROUTES, pooledThreshold } from './route-judge.ts';
import { seededRandom } from './simulate.ts';
import { drawCounts, type RolloutSim, type SimRoute, simulateRollout } from './simulate-rollout.ts';

const sim = (routes: SimRoute[]): RolloutSim => ({
  rps: 100,
  routes,
  steps: [10, 50, 100],
  bakeS: 300,
  maxExtensionS: 600,
  minBakeS: 30,
  referenceS: 0,
});
const healthy = model(0.005);

describe('per-route judgement', () => {
  it('rolls back 20% errors on one route while 90% of traffic is a healthy route, naming the route', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const run = simulateRollout(
        seededRandom(seed),
        sim([
          { route: '/health', weight: 0.9, baseline: healthy, canary: healthy },
          { route: '/api/items/:id', weight: 0.1, baseline: healthy, canary: model(0.2) },
        ]),
        settings,
      );
      expect(run.outcome).toBe('rolled_back');
      const last = run.verdicts.at(-1);
      expect(last?.decision.rule).toBe('route-error-rate-vs-baseline');
      expect(last?.decision.figures?.route).toBe('/api/items/:id');
      expect(last?.decision.message).toContain('/api/items/:id');
      expect(last?.reasons[0]).toBe(last?.decision);
      expect(run.atS).toBeLessThanOrEqual(120);
    }
  });

  it('catches a route regression the whole worker hides (8% on 5% of traffic) and never promotes it early', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const run = simulateRollout(
        seededRandom(seed),
        sim([
          { route: '/', weight: 0.95, baseline: healthy, canary: healthy },
          { route: '/api/orders', weight: 0.05, baseline: healthy, canary: model(0.08) },
        ]),
        settings,
      );
      expect(run.outcome, `seed ${seed}`).toBe('rolled_back');
      expect(run.verdicts.at(-1)?.decision.figures?.route).toBe('/api/orders');
    }
  });

  it('leaves healthy routes alone: the same traffic with every route healthy is promoted', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const run = simulateRollout(
        seededRandom(seed),
        sim([
          { route: '/health', weight: 0.9, baseline: healthy, canary: healthy },
          { route: '/api/items/:id', weight: 0.1, baseline: healthy, canary: healthy },
        ]),
        settings,
      );
      expect(run.outcome).toBe('promoted');
    }
  });

  it(`tracks at most ${MAX_ROUTES} routes, the busiest first`, () => {
    const routes: SimRoute[] = Array.from({ length: 15 }, (_, i) => ({
      route: `/r${i}`,
      weight: (15 - i) / 120,
      baseline: healthy,
      canary: healthy,
    }));
    const random = seededRandom(1);
    const look = {
      phase: 'bake' as const,
      intervalMs: 5000,
      elapsedMs: 5000,
      bakeMs: 60_000,
      maxExtensionMs: 0,
    };
    const r = judgeInterval(
      createJudgeState(null),
      {
        ...look,
        canary: drawCounts(random, routes, 'canary', 100, 5, true),
        baseline: drawCounts(random, routes, 'baseline', 900, 5, true),
      },
      settings,
    );
    const tracked = Object.keys(r.state.routes);
    expect(tracked).toHaveLength(MAX_ROUTES);
    expect(tracked).toContain('/r0');
    expect(tracked).not.toContain('/r14');
  });

  it('stakes the slots no route has taken on the whole worker test, only while at most one route is seen', () => {
    const counts = (requests: number, errors: number, routes?: string[]): Counts => ({
      requests,
      errors,
      p95: 0,
      latencyBuckets: [],
      routes: routes?.map((route) => ({
        route,
        requests: requests / routes.length,
        errors: errors / routes.length,
        latencyBuckets: [],
      })),
    });
    const look = { phase: 'bake' as const, intervalMs: 5000, bakeMs: 600_000, maxExtensionMs: 0 };
    const alpha = settings.analysis.alpha;
    let state = createJudgeState(null);
    // No route breakdown (Cloudflare's analytics): the worker's error test holds 0.35 + 0.2 of alpha.
    expect(pooledThreshold(state, alpha, 'relErrors')).toBeCloseTo(1 / (alpha * 0.55), 6);
    expect(pooledThreshold(state, alpha, 'relLatency')).toBeCloseTo(1 / (alpha * 0.15), 6);
    // A healthy stretch without routes: the worker's e-value falls below 1.
    for (let t = 5; t <= 60; t += 5)
      state = judgeInterval(
        state,
        { ...look, elapsedMs: t * 1000, canary: counts(20, 0), baseline: counts(180, 2) },
        settings,
      ).state;
    const before = logEValue(state.evidence.relErrors);
    expect(before).toBeLessThan(0);
    // One route appears: its slot carries the worker's value in; the other nine still pool.
    state = judgeInterval(
      state,
      { ...look, elapsedMs: 65_000, canary: counts(20, 0, ['/']), baseline: counts(180, 2, ['/']) },
      settings,
    ).state;
    expect(state.routes['/'].carried.errors).toBeCloseTo(before, 10);
    expect(pooledThreshold(state, alpha, 'relErrors')).toBeCloseTo(1 / (alpha * (0.35 + 0.18)), 6);
    // A second route: each route's own test must name a regression; the worker keeps its own share.
    state = judgeInterval(
      state,
      {
        ...look,
        elapsedMs: 70_000,
        canary: counts(20, 0, ['/', '/b']),
        baseline: counts(180, 2, ['/', '/b']),
      },
      settings,
    ).state;
    expect(pooledThreshold(state, alpha, 'relErrors')).toBeCloseTo(1 / (alpha * 0.35), 6);
  });
});
