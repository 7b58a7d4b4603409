import type { PinnedTarget } from '../../checks/http/probe.ts';
import type { ReleaseContext, StagedUnit } from '../context.ts';

/** What the HTTP checks of phases 3 and 4 need: a component's target and the new version they pin to. */
export function pinnedChecks(ctx: ReleaseContext, unit: StagedUnit) {
  // The other components' new versions ride in the same pin header: a dependant's calls through its service
  // bindings reach the version released with it, not the one serving (a first release serves nobody yet). A
  // preview component (Pages) is no Worker: nothing can be pinned to it.
  const pins = Object.fromEntries(
    ctx.outputs.staged
      .filter((u) => u !== unit && u.strategy !== 'preview')
      .map((u) => [u.config.worker.name, u.canary]),
  );
  const target: PinnedTarget = {
    // Where the pinned version answers: its own address on a platform that gives it one (a Pages preview).
    url: () => unit.target.addressOf?.(unit.canary) ?? unit.target.url(),
    request: (path, init) => unit.target.request(path, { ...init, pins: { ...pins, ...init?.pins } }),
  };
  return {
    target,
    pins,
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
