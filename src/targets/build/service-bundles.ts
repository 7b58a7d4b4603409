import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerSnapshot } from './worker-snapshot.ts';

/** Folder inside a version's bundle that holds the project's other workers it binds to (not modules of its own). */
export const SERVICES_DIR = '.services';

/** A worker of the project that a version binds to, built with the version and kept inside it. */
export interface ServiceBundle {
  /** The bound worker's name (what `services[].service` says). */
  name: string;
  dir: string;
  mainModule: string;
  settings: WorkerSnapshot;
}

/** Records a built bound worker beside its modules. */
export function writeServiceBundle(dir: string, mainModule: string, settings: WorkerSnapshot): void {
  writeFileSync(join(dir, 'service.json'), JSON.stringify({ mainModule, settings }, null, 2));
}

/** The bound workers stored in a version's bundle folder. */
export function serviceBundles(bundleDir: string): ServiceBundle[] {
  const root = join(bundleDir, SERVICES_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'service.json')))
    .map((name) => {
      const dir = join(root, name);
      const meta = JSON.parse(readFileSync(join(dir, 'service.json'), 'utf8')) as Omit<
        ServiceBundle,
        'name' | 'dir'
      >;
      return { name, dir, ...meta };
    });
}
