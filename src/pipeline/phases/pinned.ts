import type { ReleaseContext, StagedUnit } from '../context.ts';

/** What the HTTP checks of phases 3 and 4 need: a component's target and the new version they pin to. */
export function pinnedChecks(ctx: ReleaseContext, unit: StagedUnit) {
  return {
    target: unit.target,
    version: unit.canary,
    config: unit.config,
    bus: ctx.bus,
    signal: ctx.signal,
    sleep: (ms: number) => ctx.sleep(ms, ctx.signal),
  };
}

/**
 * The component the project's e2e endpoints and command go through: the last staged in release order (the
 * front door, whose dependencies are released before it).
 */
export function frontDoor(ctx: ReleaseContext): StagedUnit | null {
  return ctx.outputs.staged.at(-1) ?? null;
}
