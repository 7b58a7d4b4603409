import type { RuntimeWorker } from '../../toolchain/miniflare.ts';
import { serviceBundles } from '../build/service-bundles.ts';
import { bundleModules } from './bundle-modules.ts';
import type { ServiceFunction } from './component-binding.ts';
import { D1_TIMES_BINDING, withD1Timing } from './d1-timing.ts';
import type { Owners } from './object-owners.ts';
import { pagesAssetOptions } from './pages-assets.ts';
import type { StoredVersion, WorkerSnapshot } from './version-store.ts';

/** The runtime's name for a version's worker, or for a project worker it binds to (`v-<id>~<service>`). */
export function workerName(versionId: string, service?: string): string {
  return service ? `v-${versionId}~${service}` : `v-${versionId}`;
}

export interface VersionWorkerInput {
  version: StoredVersion;
  dirs: { bundle: string; assets: string };
  secrets: Record<string, string>;
  owners: Owners;
  /** Binds a `services` entry that names another component of the project (its live deployment). */
  component?: (name: string, binding: string) => ServiceFunction;
  /** Receives the version's D1 query times (d1-timing.ts); absent: its queries are not timed. */
  d1Times?: ServiceFunction;
}

/**
 * The runtime workers of one version: its own (every module of the bundle, every binding of its snapshot, its own
 * socket) and one per project worker it binds to with `services`.
 */
export function versionWorkers({
  version,
  dirs,
  secrets,
  owners,
  component,
  d1Times,
}: VersionWorkerInput): RuntimeWorker[] {
  const self = workerName(version.id);
  const services = serviceBundles(dirs.bundle);
  const pages = pagesAssetOptions(dirs.bundle);
  const options = workerOptions(
    version.worker,
    self,
    version.settings,
    dirs.bundle,
    version.mainModule,
    owners,
  );
  const databases = Object.fromEntries(version.settings.d1.map((d) => [d.binding, d.databaseId]));
  const modules = Array.isArray(options.modules) ? options.modules : [];
  const timed = d1Times && !pages && version.settings.d1.length > 0 && modules[0]?.type === 'ESModule';
  const main: RuntimeWorker = {
    ...options,
    ...(timed ? { modules: withD1Timing(dirs.bundle, version.mainModule, modules, databases) } : {}),
    bindings: {
      ...version.settings.vars,
      // As on Cloudflare, a JSON var reaches the worker as the value, not as its text.
      ...version.settings.bindings?.jsonVars,
      ...secrets,
      // The runtime's own version_metadata is random per start; the version's identity is what a release checks.
      ...(version.settings.versionMetadata
        ? {
            [version.settings.versionMetadata]: {
              id: version.id,
              tag: version.tag ?? '',
              timestamp: version.createdAt,
            },
          }
        : {}),
    },
    serviceBindings: {
      ...serviceBindings(
        version,
        services.map((s) => s.name),
        component,
      ),
      ...(timed ? { [D1_TIMES_BINDING]: d1Times } : {}),
    },
    // Each version listens on its own port: the router skips Miniflare's entry worker, and assets are served.
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
    ...(pages ?? assetOptions(version.settings, dirs.assets)),
  } as RuntimeWorker;
  const bound = services.map(
    (s) =>
      ({
        ...workerOptions(s.name, workerName(version.id, s.name), s.settings, s.dir, s.mainModule, owners),
        bindings: { ...s.settings.vars, ...s.settings.bindings?.jsonVars },
      }) as RuntimeWorker,
  );
  return [main, ...bound];
}

function workerOptions(
  worker: string,
  self: string,
  s: WorkerSnapshot,
  bundle: string,
  mainModule: string,
  owners: Owners,
): Partial<RuntimeWorker> {
  const b = s.bindings;
  const owner = (kind: 'do' | 'workflow', key: string) => owners(kind, worker, key) ?? self;
  return {
    name: self,
    modulesRoot: bundle,
    modules: bundleModules(bundle, mainModule, b?.rules),
    compatibilityDate: s.compatibilityDate,
    compatibilityFlags: s.compatibilityFlags,
    d1Databases: Object.fromEntries(s.d1.map((d) => [d.binding, d.databaseId])),
    kvNamespaces: Object.fromEntries(s.kv.map((k) => [k.binding, k.id])),
    ...(b
      ? {
          r2Buckets: Object.fromEntries(b.r2.map((r) => [r.binding, r.bucketName])),
          durableObjects: Object.fromEntries(
            b.durableObjects.map((d) => {
              const at = owner('do', d.className);
              return [
                d.binding,
                {
                  className: d.className,
                  ...(at === self ? {} : { scriptName: at }),
                  useSQLite: b.sqliteClasses.includes(d.className),
                  // The worker's name, not the version's: every version reaches the same stored objects.
                  unsafeUniqueKey: `${worker}-${d.className}`,
                },
              ];
            }),
          ),
          workflows: Object.fromEntries(
            b.workflows.map((w) => {
              const at = owner('workflow', w.name);
              return [
                w.binding,
                { name: w.name, className: w.className, ...(at === self ? {} : { scriptName: at }) },
              ];
            }),
          ),
          queueProducers: Object.fromEntries(
            b.queueProducers.map((p) => [
              p.binding,
              { queueName: p.queue, ...(p.deliveryDelay !== null ? { deliveryDelay: p.deliveryDelay } : {}) },
            ]),
          ),
          // A queue has one consumer: the version that owns it.
          queueConsumers: Object.fromEntries(
            b.queueConsumers
              .filter((c) => (owners('queue', worker, c.queue) ?? self) === self)
              .map((c) => [c.queue, defined({ ...c, queue: undefined })]),
          ),
          ratelimits: Object.fromEntries(
            b.ratelimits.map((r) => [
              r.binding,
              { namespace_id: r.namespaceId, simple: { limit: r.limit, period: r.period } },
            ]),
          ),
          analyticsEngineDatasets: Object.fromEntries(
            b.analyticsEngine.map((a) => [a.binding, { dataset: a.dataset }]),
          ),
          cronTriggers: b.crons,
        }
      : {}),
  } as Partial<RuntimeWorker>;
}

/**
 * `services` to itself, to another component of the project (its live deployment, through its daemon), or to a
 * project worker built into the version; others stay unbound (reported by check).
 */
function serviceBindings(
  version: StoredVersion,
  built: string[],
  component: VersionWorkerInput['component'],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const components = new Map((version.settings.componentServices ?? []).map((c) => [c.binding, c.component]));
  for (const s of version.settings.bindings?.services ?? []) {
    const bound = components.get(s.binding);
    if (bound && component) {
      out[s.binding] = component(bound, s.binding);
      continue;
    }
    const target =
      s.service === version.worker
        ? workerName(version.id)
        : built.includes(s.service)
          ? workerName(version.id, s.service)
          : null;
    if (target) out[s.binding] = { name: target, ...(s.entrypoint ? { entrypoint: s.entrypoint } : {}) };
  }
  return out;
}

function assetOptions(s: WorkerSnapshot, directory: string): Partial<RuntimeWorker> {
  if (!s.assets) return {};
  const a = s.assets;
  const rwf = a.runWorkerFirst ?? false;
  return {
    assets: {
      directory,
      ...(a.binding ? { binding: a.binding } : {}),
      ...(rwf !== false ? { run_worker_first: rwf } : {}),
      // As wrangler dev does: paths that are not assets fall through to the worker.
      routerConfig: {
        has_user_worker: true,
        ...(rwf === true ? { invoke_user_worker_ahead_of_assets: true } : {}),
        ...(Array.isArray(rwf) ? { static_routing: { user_worker: rwf } } : {}),
      },
      assetConfig: defined({
        not_found_handling: a.notFoundHandling ?? undefined,
        html_handling: a.htmlHandling ?? undefined,
        ...(Array.isArray(rwf) ? { has_static_routing: true } : {}),
      }),
    },
  } as Partial<RuntimeWorker>;
}

/** Drops null and undefined fields (the runtime's schema wants them absent). */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
