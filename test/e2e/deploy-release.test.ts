import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, prepareApp, type TestApp } from '../support/app.ts';

// One app for the whole file: releases build on each other as they would in a real project.
let app: TestApp;
beforeAll(() => {
  app = prepareApp();
});
afterAll(() => app?.cleanup());

async function serving(): Promise<{ split: { version: string; percent: number }[] }> {
  const { events } = await app.cli(['status']);
  const status = events.find((e) => (e as { type: string }).type === 'status') as unknown as { deployment: { split: { version: string; percent: number }[] } };
  return status.deployment;
}

describe('shipshape deploy on the local platform', () => {
  let v1: string;

  it('promotes a good release with score >= 80 and exit 0', async () => {
    const { code, events, stderr } = await app.cli(['deploy']);
    const end = finished(events);
    expect(code, stderr).toBe(0);
    expect(end?.outcome).toBe('promoted');
    expect(end?.score).toBeGreaterThanOrEqual(80);
    v1 = end?.version as string;
    expect((await serving()).split).toEqual([{ version: v1, percent: 100 }]);
    const phases = events.filter((e) => e.type === 'phase.finished').map((e) => (e as { phase: string }).phase);
    expect(phases).toEqual(['gate', 'release', 'verify', 'e2e', 'rollout']);
  });

  it('a dry run leaves versions, split and data unchanged and prints the plan', async () => {
    const before = await app.cli(['status']);
    const { code, events } = await app.cli(['deploy', '--dry-run']);
    expect(code).toBe(0);
    expect(events.some((e) => e.type === 'version.uploaded')).toBe(false);
    expect(events.find((e) => e.type === 'plan')).toMatchObject({ steps: [{ percent: 50 }, { percent: 100 }] });
    const after = await app.cli(['status']);
    const pick = (evs: typeof before.events) => {
      const s = evs.find((e) => (e as { type: string }).type === 'status') as unknown as { deployment: unknown; versions: unknown };
      return { deployment: s.deployment, versions: s.versions };
    };
    expect(pick(after.events)).toEqual(pick(before.events));
  });

  it('rolls back a version whose health check fails: previous version still at 100%, exit 1', async () => {
    const { code, events } = await app.cli(['deploy'], { FAULT: 'health' });
    expect(code).toBe(1);
    expect(finished(events)?.outcome).toBe('rolled_back');
    const verify = events.find((e) => e.type === 'phase.finished' && e.phase === 'verify');
    expect(verify).toMatchObject({ score: 0, status: 'fail' });
    expect(events.some((e) => e.type === 'phase.started' && e.phase === 'rollout')).toBe(false);
    expect((await serving()).split).toEqual([{ version: v1, percent: 100 }]);
  });

  it('a gate failure uploads nothing and exits 3, listing every failing check', async () => {
    writeFileSync(join(app.dir, 'src', 'debug.ts'), 'console.log("left over");\n');
    const { code, events } = await app.cli(['deploy']);
    expect(code).toBe(3);
    expect(finished(events)?.outcome).toBe('blocked');
    const failed = events.filter((e) => e.type === 'check.finished' && e.status === 'fail').map((e) => (e as { name: string }).name);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.type === 'version.uploaded')).toBe(false);
    expect((await serving()).split).toEqual([{ version: v1, percent: 100 }]);
  });

  it('history lists the releases with outcomes and scores', async () => {
    const { events } = await app.cli(['history']);
    const outcomes = events.map((e) => (e as unknown as { outcome: string }).outcome);
    expect(outcomes).toEqual(['blocked', 'rolled_back', 'promoted']);
  });
});
