import type { WorkerConfig } from '../../config/worker-config.ts';
import type { WorkerSnapshot } from './version-store.ts';

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
