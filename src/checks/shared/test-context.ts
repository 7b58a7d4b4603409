import { EventBus } from '../../events/bus.ts';
import type { GateContext } from '../check.ts';
import { testConfig } from './test-config.ts';

/** A GateContext for unit tests; `config` defaults to the schema defaults rooted at `projectDir`. */
export function testGateContext(projectDir: string, overrides: Partial<GateContext> = {}): GateContext {
  return {
    config: testConfig(projectDir),
    env: {},
    now: new Date('2026-03-04T10:00:00Z'),
    target: null,
    bus: new EventBus(),
    forceWindow: null,
    ...overrides,
  };
}
