import type { CfContext, CfRequest, CfRoute } from './context.ts';
import { invalid } from './envelope.ts';
import { requireScript, scriptVersions } from './scripts.ts';

/**
 * `DELETE scripts/{s}` (`?force=true` accepted: nothing here binds to another Worker) and `DELETE services/{s}`
 * (`wrangler delete`): the Worker's record, versions, deployments and cron triggers go, and its platform stops.
 * The Worker the account's platform serves on the data plane is refused while it has versions there: the local
 * platform has no way to serve nothing once it has served.
 */
async function deleteScript(ctx: CfContext, req: CfRequest) {
  const script = req.params.script;
  requireScript(ctx, script);
  if (ctx.scripts.isApart(script)) await ctx.scripts.remove(script);
  else if (scriptVersions(ctx, script).length > 0) {
    throw invalid(
      `"${script}" is the Worker the local platform serves on its data plane (the account's first); it cannot be deleted here. Workers deployed beside it can.`,
    );
  }
  delete ctx.store.state.scripts[script];
  for (const [id, info] of Object.entries(ctx.store.state.versions)) {
    if (info.script === script) delete ctx.store.state.versions[id];
  }
  ctx.store.save();
  return { id: script };
}

export const scriptDeleteRoutes: CfRoute[] = [
  { method: 'DELETE', path: '/accounts/:account/workers/scripts/:script', handle: deleteScript },
  { method: 'DELETE', path: '/accounts/:account/workers/services/:script', handle: deleteScript },
];
