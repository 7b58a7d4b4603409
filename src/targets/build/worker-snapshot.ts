import type { AssetsSettings, WorkerBindings } from '../../config/worker-bindings.ts';
import type { WorkerConfig } from '../../config/worker-config.ts';

/** What a version needs to run again after a restart: the worker's settings at upload time. */
export interface WorkerSnapshot {
  env: string | null;
  compatibilityDate: string;
  compatibilityFlags: string[];
  vars: Record<string, string>;
  d1: Array<{ binding: string; databaseId: string }>;
  kv: Array<{ binding: string; id: string }>;
  /** Routing options only: the files are the version's own copy. */
  assets: (Omit<Partial<AssetsSettings>, 'directory'> & { binding: string | null }) | null;
  versionMetadata: string | null;
  /** Absent in versions uploaded before these bindings were run locally: they had none. */
  bindings?: WorkerBindings;
  /**
   * `services` bindings that name another component of the project: the daemon binds each to that component's
   * live deployment (`.shipshape/components/<component>/…` of the same environment), not to a built copy.
   */
  componentServices?: Array<{ binding: string; component: string }>;
}

/** The settings a version keeps from its wrangler config: everything the runtime needs, no absolute paths. */
export function workerSnapshot(w: WorkerConfig): WorkerSnapshot {
  const { directory: _directory, ...assets } = w.assets ?? { directory: '' };
  return {
    env: w.env,
    compatibilityDate: w.compatibilityDate,
    compatibilityFlags: w.compatibilityFlags,
    vars: w.vars,
    d1: w.d1.map((d) => ({ binding: d.binding, databaseId: d.databaseId })),
    kv: w.kv.map((k) => ({ binding: k.binding, id: k.id })),
    assets: w.assets ? { ...assets, binding: w.assets.binding } : null,
    versionMetadata: w.versionMetadata,
    bindings: w.bindings,
  };
}
