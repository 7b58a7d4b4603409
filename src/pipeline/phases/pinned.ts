import type { ReleaseContext } from '../context.ts';

/** What the HTTP checks of phases 3 and 4 need: the target and the new version they pin every request to. */
export function pinnedChecks(ctx: ReleaseContext) {
  return {
    target: ctx.target,
    version: ctx.state.canary as string,
    config: ctx.config,
    bus: ctx.bus,
    signal: ctx.signal,
    sleep: (ms: number) => ctx.sleep(ms, ctx.signal),
  };
}
