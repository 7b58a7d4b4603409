import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, type ExampleCopy } from '../../test/support/example.ts';
import { loadConfig } from '../config/load.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import { EventBus } from '../events/bus.ts';
import type { ShipshapeEvent } from '../events/types.ts';
import { sleep } from '../pipeline/sleep.ts';
import { createTarget } from '../targets/create-target.ts';
import { stopDaemon } from '../targets/local/launcher.ts';
import type { Target, Version } from '../targets/target.ts';
import { createRolloutPlan } from './rollout-plan.ts';
import { type RolloutDeps, runRollout } from './run-rollout.ts';

// The driver against the real local platform (workerd behind the router, generated traffic on loopback).
let app: ExampleCopy;
let config: ResolvedConfig;
let target: Target;
let good: Version;
let good2: Version;
let faulty: Version;

beforeAll(async () => {
  app = copyExample({ git: false });
  rmSync(join(app.dir, 'shipshape.config.ts'), { force: true });
  writeFileSync(
    join(app.dir, 'shipshape.config.json'),
    JSON.stringify({
      local: { port: 0, controlPort: 0 },
      rollout: {
        steps: [50, 100],
        bake: '2s',
        interval: '1s',
        maxExtension: '4s',
        // "/" answers without the app's tables (this test applies no migrations).
        traffic: { enabled: true, rps: 100, paths: [{ path: '/' }] },
      },
      analysis: { minSamples: 20 },
      monitor: { duration: '2s', interval: '1s', sustained: 2 },
    }),
  );
  config = await loadConfig({ cwd: app.dir, env: null });
  target = await createTarget(config, { env: { ...process.env, FAULT: '' } });
  const artifact = await target.build();
  good = await target.upload(artifact, { message: 'good' });
  await target.setTraffic([{ version: good.id, percent: 100 }]);
  good2 = await target.upload(artifact, { message: 'good again' });
  const broken = await createTarget(config, { env: { ...process.env, FAULT: 'errors:0.3' } });
  faulty = await broken.upload(await broken.build(), { message: 'faulty' });
  await broken.close();
}, 180_000);

afterAll(async () => {
  await target?.close();
  if (app) await stopDaemon(app.dir);
  app?.cleanup();
});

function deps(canary: string, baseline: string, over: Partial<RolloutDeps> = {}) {
  const events: ShipshapeEvent[] = [];
  const bus = new EventBus();
  bus.subscribe((e) => events.push(e));
  const d: RolloutDeps = {
    units: [{ component: 'hello', target, canary, baseline }],
    bus,
    plan: createRolloutPlan(config),
    config,
    signal: new AbortController().signal,
    sleep,
    now: () => new Date(),
    manual: { poll: async () => null },
    ...over,
  };
  return { d, events };
}

describe('runRollout on the local platform', () => {
  it('walks a healthy canary through 50% and 100% and the monitor window, with live figures', async () => {
    const steps: number[] = [];
    const { d, events } = deps(good2.id, good.id, { onStep: async (s) => void steps.push(s.percent) });
    const result = await runRollout(d);
    expect(result.outcome, JSON.stringify(result.reasons)).toBe('promoted');
    expect(result.score).toBe(5);
    expect(steps).toEqual([50, 100]);
    const splits = events
      .filter((e) => e.type === 'traffic.changed')
      .map((e) => (e as { split: unknown }).split);
    expect(splits).toEqual([
      [
        { version: good2.id, percent: 50 },
        { version: good.id, percent: 50 },
      ],
      [{ version: good2.id, percent: 100 }],
    ]);
    const sampled = events.filter((e) => e.type === 'metrics.sampled');
    expect(sampled.length).toBeGreaterThan(2);
    expect(
      sampled.some(
        (e) =>
          e.type === 'metrics.sampled' && e.versions.some((v) => v.role === 'baseline' && v.requests > 0),
      ),
    ).toBe(true);
    expect(events.some((e) => e.type === 'verdict' && e.action === 'promote')).toBe(true);
    expect(result.warnings).toEqual([]);
    expect((await target.deployment()).split).toEqual([{ version: good2.id, percent: 100 }]);
    // The local platform breaks its figures down by route pattern for the per-route judgement.
    const since = new Date(Date.now() - 60_000);
    const window = await target.metrics({ version: good2.id, since, until: new Date() });
    expect(window.routes?.map((r) => r.route)).toContain('/');
  });

  it('rolls back a faulty canary at the first step and leaves the switch back to the pipeline', async () => {
    const { d, events } = deps(faulty.id, good2.id);
    const result = await runRollout(d);
    expect(result.outcome).toBe('rolled_back');
    expect(result.step).toBe(0);
    expect(result.detectedAtMs).toBeGreaterThan(0);
    expect(result.reasons.some((r) => r.rule === 'error-rate-vs-baseline' || r.rule === 'error-rate')).toBe(
      true,
    );
    const verdict = events.findLast((e) => e.type === 'verdict');
    expect(verdict).toMatchObject({ action: 'rollback', decision: result.reasons[0] });
    expect(result.reasons[0].message).not.toMatch(/holding/);
    const split = (await target.deployment()).split;
    expect(split.find((s) => s.version === faulty.id)?.percent).toBe(50);
    await target.setTraffic([{ version: good2.id, percent: 100 }]);
  });

  it('waits at a manual pause until promote, and stops on abort', async () => {
    const paused = {
      ...config,
      rollout: { ...config.rollout, steps: [50, { pause: 'manual' as const }, 100] },
    };
    /** Answers `answer` on the third poll after the pause began (the judge keeps watching meanwhile). */
    const atPause = (answer: 'promote' | 'abort') => {
      const seen: ShipshapeEvent[] = [];
      let polls = 0;
      const manual = {
        poll: async () => {
          const pausing = seen.some((e) => e.type === 'wait.started' && e.label.startsWith('manual pause'));
          if (pausing) polls++;
          return polls >= 3 ? answer : null;
        },
      };
      return { seen, manual };
    };
    const p = atPause('promote');
    const promoting = deps(good.id, good2.id, { plan: createRolloutPlan(paused), manual: p.manual });
    promoting.d.bus.subscribe((e) => p.seen.push(e));
    expect((await runRollout(promoting.d)).outcome).toBe('promoted');
    const labels = promoting.events
      .filter((e) => e.type === 'wait.started')
      .map((e) => (e as { label: string }).label);
    expect(labels.slice(0, 3)).toEqual(['50% bake', 'manual pause: shipshape promote or abort', '100% bake']);
    expect(
      promoting.events.some((e) => e.type === 'verdict' && e.reasons.some((r) => r.rule === 'manual')),
    ).toBe(true);

    const a = atPause('abort');
    const aborting = deps(good2.id, good.id, { plan: createRolloutPlan(paused), manual: a.manual });
    aborting.d.bus.subscribe((e) => a.seen.push(e));
    const result = await runRollout(aborting.d);
    expect(result).toMatchObject({ outcome: 'aborted', step: 1 });
    expect(result.reasons[0].rule).toBe('manual');
    await target.setTraffic([{ version: good.id, percent: 100 }]);
  });

  it('ends a healthy step before its bake once the canary is proven no worse, saying why', async () => {
    const quick: ResolvedConfig = {
      ...config,
      // Only the 50% step has a baseline to be proven no worse than; it gets the long bake, 100% a short one.
      rollout: {
        ...config.rollout,
        steps: [
          { percent: 50, bake: 150_000 },
          { percent: 100, bake: 3_000 },
        ],
        minBake: 2_000,
      },
      monitor: { ...config.monitor, duration: 0 },
    };
    const { d, events } = deps(good2.id, good.id, { plan: createRolloutPlan(quick), config: quick });
    const started = Date.now();
    const result = await runRollout(d);
    expect(result.outcome, JSON.stringify(result.reasons)).toBe('promoted');
    const early = events.filter((e) => e.type === 'verdict' && e.early);
    expect(early.length).toBeGreaterThan(0);
    expect(early[0]).toMatchObject({ action: 'promote', decision: { rule: 'non-inferior' } });
    expect(events.some((e) => e.type === 'log' && e.message.startsWith('step ended early'))).toBe(true);
    // The full bakes would take 153 s; the 50% bake is long so a loaded machine still has time to prove it.
    expect(Date.now() - started).toBeLessThan(140_000);
    await target.setTraffic([{ version: good.id, percent: 100 }]);
  }, 240_000);
});
