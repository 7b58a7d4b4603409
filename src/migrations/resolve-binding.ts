import type { D1Binding, WorkerConfig } from '../config/worker-config.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';

/** The D1 binding to migrate: the one named, or the first the wrangler config declares. */
export function resolveBinding(
  worker: Pick<WorkerConfig, 'd1' | 'configPath'>,
  name?: string | null,
): D1Binding {
  const known = worker.d1.map((d) => d.binding);
  const found = name ? worker.d1.find((d) => d.binding === name || d.databaseName === name) : worker.d1[0];
  if (!found)
    throw new ShipshapeError('MIGRATIONS_NO_BINDING', {
      binding: name ?? null,
      file: worker.configPath,
      known,
    });
  return found;
}
