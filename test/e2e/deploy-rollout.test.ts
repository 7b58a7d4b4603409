import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { FAST_CONFIG, finished, prepareApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let v1: string;

// Enough generated traffic that 10% of it proves an 8% error rate within the first bake and its extension.
const STEPS_CONFIG = {
  ...FAST_CONFIG,
  rollout: {
    ...FAST_CONFIG.rollout,
    steps: [10, 50, 100],
    bake: '8s',
    maxExtension: '12s',
    traffic: { ...FAST_CONFIG.rollout.traffic, rps: 150 },
  },
};

function useConfig(config: unknown): void {
  writeFileSync(join(app.dir, 'shipshape.config.json'), JSON.stringify(config));
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'config'], {
    cwd: app.dir,
  });
}

function percents(events: ShipshapeEvent[], version: string): number[] {
  return events.flatMap((e) =>
    e.type === 'traffic.changed' ? e.split.filter((s) => s.version === version).map((s) => s.percent) : [],
  );
}

async function servingSplit() {
  const { events } = await app.cli(['status']);
  return (
    events.find((e) => (e as { type: string }).type === 'status') as unknown as {
      deployment: { split: unknown[] };
    }
  ).deployment.split;
}

beforeAll(async () => {
  app = prepareApp(STEPS_CONFIG);
  const first = await app.cli(['deploy', '--bake', '2s']);
  expect(first.code, first.stderr).toBe(0);
  v1 = finished(first.events)?.version as string;
}, 180_000);
afterAll(() => app?.cleanup());

describe('progressive rollout judged live', () => {
  it('walks a healthy build through 10% → 50% → 100% and promotes it', { timeout: 180_000 }, async () => {
    const { code, events } = await app.cli(['deploy']);
    expect(code).toBe(0);
    const v2 = finished(events)?.version as string;
    expect(percents(events, v2)).toEqual([0, 10, 50, 100]);
    expect(events.filter((e) => e.type === 'metrics.sampled').length).toBeGreaterThan(3);
    expect(events.some((e) => e.type === 'verdict' && e.action === 'rollback')).toBe(false);
    v1 = v2;
  });

  it('rolls a faulty build (8% errors) back during the 10% step; the baseline serves 100%', {
    timeout: 180_000,
  }, async () => {
    const { code, events } = await app.cli(['deploy'], { FAULT: 'errors:0.08' });
    expect(code).toBe(1);
    const end = finished(events);
    expect(end?.outcome).toBe('rolled_back');
    expect(percents(events, end?.version as string)).toEqual([0, 10]);
    const verdict = events.find((e) => e.type === 'verdict' && e.action === 'rollback');
    expect(verdict).toBeDefined();
    expect(await servingSplit()).toEqual([{ version: v1, percent: 100 }]);
  });

  it('waits at a manual pause for `shipshape promote`, then for `shipshape abort`', {
    timeout: 240_000,
  }, async () => {
    useConfig({
      ...STEPS_CONFIG,
      rollout: { ...STEPS_CONFIG.rollout, steps: [10, { pause: 'manual' }, 100] },
    });
    for (const action of ['promote', 'abort'] as const) {
      const child = app.spawnCli(['deploy']);
      let out = '';
      child.stdout?.on('data', (c) => (out += c));
      const deadline = Date.now() + 120_000;
      while (!out.includes('"label":"manual pause') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      const asked = await app.cli([action]);
      expect(asked.code, asked.stderr).toBe(0);
      const code = await new Promise<number>((r) => child.once('close', (c) => r(c ?? -1)));
      const events = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ShipshapeEvent);
      const end = finished(events);
      if (action === 'promote') {
        expect(code).toBe(0);
        expect(end?.outcome).toBe('promoted');
        v1 = end?.version as string;
      } else {
        expect(code).toBe(1);
        expect(end?.outcome).toBe('aborted');
        expect(await servingSplit()).toEqual([{ version: v1, percent: 100 }]);
      }
    }
  });
});
