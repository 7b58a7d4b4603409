import { loadWorkerConfig } from '../../../config/wrangler.ts';
import type { CfContext } from './context.ts';

export interface D1Info {
  uuid: string;
  name: string;
}

export interface KvInfo {
  id: string;
  title: string;
}

/** The project's wrangler config for the daemon's environment, or nothing when it cannot be read. */
function config(ctx: CfContext) {
  try {
    return loadWorkerConfig(ctx.platform.projectDir, ctx.platform.paths.env);
  } catch {
    return null;
  }
}

/** D1 databases the account has: the project's (with their names) and any a stored version binds. */
export function databases(ctx: CfContext): D1Info[] {
  const out = new Map<string, D1Info>();
  for (const d of config(ctx)?.d1 ?? [])
    out.set(d.databaseId, { uuid: d.databaseId, name: d.databaseName || d.binding });
  for (const [uuid, d] of Object.entries(ctx.store.state.d1))
    if (!out.has(uuid)) out.set(uuid, { uuid, name: d.name });
  for (const v of ctx.platform.store.list()) {
    for (const d of v.settings.d1)
      if (!out.has(d.databaseId)) out.set(d.databaseId, { uuid: d.databaseId, name: d.binding });
  }
  return [...out.values()];
}

/** KV namespaces the account has: the project's and any a stored version binds; the title is the binding. */
export function namespaces(ctx: CfContext): KvInfo[] {
  const out = new Map<string, KvInfo>();
  const worker = config(ctx)?.name;
  for (const k of config(ctx)?.kv ?? [])
    out.set(k.id, { id: k.id, title: worker ? `${worker}-${k.binding}` : k.binding });
  for (const v of ctx.platform.store.list()) {
    for (const k of v.settings.kv)
      if (!out.has(k.id)) out.set(k.id, { id: k.id, title: `${v.worker}-${k.binding}` });
  }
  return [...out.values()];
}
