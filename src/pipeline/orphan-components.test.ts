import { describe, expect, it } from 'vitest';
import type { ComponentPlan, ShipshapeEvent } from '../events/types.ts';
import { stagedComponents } from './orphan-components.ts';

const base = { v: 1 as const, ts: '2026-02-07T14:23:30.000Z', release: 'r-1' };
const plan = (name: string, serving: string | null): ComponentPlan => ({
  name,
  kind: 'worker',
  worker: `shop-${name}`,
  dependsOn: [],
  strategy: 'split',
  change: 'changed',
  hash: 'h',
  serving: serving ? { version: serving, hash: 'h0' } : null,
  builtWith: null,
  migrations: [],
  checks: [],
});

describe('stagedComponents', () => {
  it("reads each staged component's new version and what served before from the journal", () => {
    const events: ShipshapeEvent[] = [
      { ...base, type: 'plan', steps: [], monitorMs: 0, components: [plan('api', 'a1'), plan('web', null)] },
      { ...base, type: 'version.uploaded', component: 'api', version: 'a2', hash: 'h', attempt: 1 },
      { ...base, type: 'version.uploaded', component: 'web', version: 'w1', hash: 'h', attempt: 1 },
    ];
    expect(stagedComponents(events)).toEqual([
      { name: 'api', canary: 'a2', baseline: 'a1' },
      { name: 'web', canary: 'w1', baseline: null },
    ]);
  });

  it("is null for a release of the project's one worker", () => {
    const events: ShipshapeEvent[] = [
      { ...base, type: 'version.uploaded', version: 'v2', hash: 'h', attempt: 1 },
    ];
    expect(stagedComponents(events)).toBeNull();
  });
});
