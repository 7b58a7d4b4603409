import { serviceBundles } from '../build/service-bundles.ts';
import type { StoredVersion, WorkerSnapshot } from './version-store.ts';

/** What only one version may run at a time: a Durable Object class, a Workflow, a queue's consumer. */
export type OwnedKind = 'do' | 'workflow' | 'queue';

/** Runtime worker name of the version that runs `key` of `worker`, or null when no live version declares it. */
export type Owners = (kind: OwnedKind, worker: string, key: string) => string | null;

/**
 * Durable Objects (and the Workflows and queue consumers built on the same single-owner guarantee) run on exactly
 * one version at a time: the one with the largest share of the deployment, the newer one on a tie. Every other
 * version's binding reaches the objects through that version, so an object's storage is never open twice, and
 * raising the new version's percentage moves objects to it (at 50%) and never back.
 */
export function objectOwners(
  versions: StoredVersion[],
  percent: (id: string) => number,
  bundleDir: (id: string) => string,
  runtimeName: (versionId: string, service?: string) => string,
): Owners {
  const ranked = [...versions].sort(
    (a, b) => percent(b.id) - percent(a.id) || b.createdAt.localeCompare(a.createdAt),
  );
  const owners = new Map<string, string>();
  const claim = (kind: OwnedKind, worker: string, key: string, name: string) => {
    const k = `${kind}\0${worker}\0${key}`;
    if (!owners.has(k)) owners.set(k, name);
  };
  for (const v of ranked) {
    const workers: Array<{ worker: string; name: string; settings: WorkerSnapshot }> = [
      { worker: v.worker, name: runtimeName(v.id), settings: v.settings },
      ...serviceBundles(bundleDir(v.id)).map((s) => ({
        worker: s.name,
        name: runtimeName(v.id, s.name),
        settings: s.settings,
      })),
    ];
    for (const { worker, name, settings } of workers) {
      const b = settings.bindings;
      if (!b) continue;
      for (const d of b.durableObjects) claim('do', worker, d.className, name);
      for (const w of b.workflows) claim('workflow', worker, w.name, name);
      for (const q of b.queueConsumers) claim('queue', '', q.queue, name);
    }
  }
  return (kind, worker, key) => owners.get(`${kind}\0${kind === 'queue' ? '' : worker}\0${key}`) ?? null;
}
