import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { createRolloutPlan } from './rollout-plan.ts';

const parse = (rollout: unknown) => configSchema.parse({ rollout });

describe('createRolloutPlan', () => {
  it('defaults to 10% → 50% → 100% with a 5 minute bake each and is plain JSON', () => {
    const plan = createRolloutPlan(parse({}));
    expect(plan.steps).toEqual([
      { percent: 10, bakeMs: 300_000 },
      { percent: 50, bakeMs: 300_000 },
      { percent: 100, bakeMs: 300_000 },
    ]);
    expect(plan).toMatchObject({ intervalMs: 5000, maxExtensionMs: 600_000, onInconclusive: 'rollback' });
    expect(plan.monitor).toEqual({ durationMs: 900_000, intervalMs: 60_000, sustained: 5 });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('keeps per-step bakes and manual pauses, and ends at 100%', () => {
    const plan = createRolloutPlan(
      parse({ steps: [5, { percent: 25, bake: '30s' }, { pause: 'manual' }], bake: '1m' }),
    );
    expect(plan.steps).toEqual([
      { percent: 5, bakeMs: 60_000 },
      { percent: 25, bakeMs: 30_000 },
      { pause: 'manual' },
      { percent: 100, bakeMs: 60_000 },
    ]);
  });

  it('refuses steps that do not rise, naming each', () => {
    try {
      createRolloutPlan(parse({ steps: [50, 10, 0] }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ShipshapeError);
      expect((err as ShipshapeError).code).toBe('CONFIG_INVALID');
      expect((err as ShipshapeError).message).toContain('rollout.steps[1]: 10%');
      expect((err as ShipshapeError).message).toContain('rollout.steps[2]: 0%');
    }
  });
});
