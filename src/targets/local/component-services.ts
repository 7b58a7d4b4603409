import type { ResolvedConfig } from '../../config/resolved.ts';
import type { WorkerConfig } from '../../config/worker-config.ts';

/** A `services` binding of a component that names another component of the project. */
export interface ComponentService {
  binding: string;
  /** The bound component's name (its local world is `.shipshape/components/<name>/`). */
  component: string;
}

/**
 * The config's `services` bindings that name the worker of another component: the daemon binds them to that
 * component's live deployment. A named entrypoint (RPC) cannot be carried over HTTP: such a binding keeps a copy of
 * the other worker built into the version, as for any project worker.
 * @example componentServices(forComponent(config, web)) // [{ binding: 'API', component: 'api' }]
 */
export function componentServices(
  config: Pick<ResolvedConfig, 'worker' | 'component' | 'components'>,
): ComponentService[] {
  if (config.component.implicit) return [];
  return config.worker.bindings.services.flatMap((s) => {
    if (s.entrypoint) return [];
    const other = config.components.find(
      (c) => c.name !== config.component.name && c.worker.name === s.service,
    );
    return other ? [{ binding: s.binding, component: other.name }] : [];
  });
}

/** The worker as its build sees it: services bound to other components live are not built into the version. */
export function withoutComponentServices(worker: WorkerConfig, bound: ComponentService[]): WorkerConfig {
  if (bound.length === 0) return worker;
  const live = new Set(bound.map((b) => b.binding));
  return {
    ...worker,
    bindings: { ...worker.bindings, services: worker.bindings.services.filter((s) => !live.has(s.binding)) },
  };
}
