import {
  type AssetsSettings,
  emptyBindings,
  type UnsupportedBinding,
  type WorkerBindings,
} from './worker-bindings.ts';

type Layer = Record<string, unknown>;

const UNBOUND = 'left unbound by the local target: env.{B} is undefined there';

/** wrangler keys the local runtime cannot run, with how to find each entry's binding name. */
const UNSUPPORTED: Record<string, { name: string; local?: string }> = {
  ai: { name: 'binding' },
  vectorize: { name: 'binding' },
  browser: { name: 'binding' },
  dispatch_namespaces: { name: 'binding' },
  mtls_certificates: { name: 'binding' },
  hyperdrive: { name: 'binding' },
  containers: {
    name: 'class_name',
    local: 'no container is started; the Durable Object class runs without it',
  },
  images: { name: 'binding' },
  media: { name: 'binding' },
  pipelines: { name: 'binding' },
  secrets_store_secrets: { name: 'binding' },
  send_email: { name: 'name' },
  tail_consumers: { name: 'service', local: 'not called: the local target keeps no tail consumers' },
  vpc_services: { name: 'binding' },
  worker_loaders: { name: 'binding' },
  logfwdr: { name: 'name' },
  unsafe: { name: 'name' },
};

/** Reads every binding kind beyond D1/KV from one (environment-applied) wrangler layer. */
export function readBindings(layer: Layer): WorkerBindings {
  const b = emptyBindings();
  b.r2 = list(layer.r2_buckets).map((r) => ({
    binding: String(r.binding),
    bucketName: String(r.bucket_name ?? r.binding),
  }));
  const dos = list((layer.durable_objects as Layer | undefined)?.bindings);
  b.durableObjects = dos
    .filter((d) => !d.script_name)
    .map((d) => ({ binding: String(d.name), className: String(d.class_name), scriptName: null }));
  b.doMigrations = Array.isArray(layer.migrations) ? (layer.migrations as unknown[]) : [];
  b.sqliteClasses = list(layer.migrations).flatMap((m) =>
    Array.isArray(m.new_sqlite_classes) ? (m.new_sqlite_classes as string[]) : [],
  );
  const queues = (layer.queues ?? {}) as Layer;
  b.queueProducers = list(queues.producers).map((p) => ({
    binding: String(p.binding),
    queue: String(p.queue),
    deliveryDelay: num(p.delivery_delay),
  }));
  b.queueConsumers = list(queues.consumers).map((c) => ({
    queue: String(c.queue),
    maxBatchSize: num(c.max_batch_size),
    maxBatchTimeout: num(c.max_batch_timeout),
    maxRetries: num(c.max_retries),
    deadLetterQueue: typeof c.dead_letter_queue === 'string' ? c.dead_letter_queue : null,
    retryDelay: num(c.retry_delay),
  }));
  b.services = list(layer.services).map((s) => ({
    binding: String(s.binding),
    service: String(s.service),
    entrypoint: typeof s.entrypoint === 'string' ? s.entrypoint : null,
  }));
  b.workflows = list(layer.workflows)
    .filter((w) => !w.script_name)
    .map((w) => ({
      binding: String(w.binding),
      name: String(w.name),
      className: String(w.class_name),
      scriptName: null,
    }));
  const triggers = (layer.triggers ?? {}) as Layer;
  b.crons = Array.isArray(triggers.crons) ? (triggers.crons as string[]).map(String) : [];
  b.ratelimits = list(layer.ratelimits).map((r) => {
    const simple = (r.simple ?? {}) as Layer;
    return {
      binding: String(r.name ?? r.binding),
      namespaceId: String(r.namespace_id ?? r.name),
      limit: num(simple.limit) ?? 100,
      period: simple.period === 10 ? 10 : 60,
    };
  });
  b.analyticsEngine = list(layer.analytics_engine_datasets).map((a) => ({
    binding: String(a.binding),
    dataset: String(a.dataset ?? a.binding),
  }));
  b.jsonVars = Object.fromEntries(
    Object.entries((layer.vars ?? {}) as Layer).filter(([, v]) => typeof v !== 'string'),
  );
  b.rules = list(layer.rules).map((r) => ({
    type: String(r.type),
    globs: Array.isArray(r.globs) ? (r.globs as string[]) : [],
    fallthrough: r.fallthrough === true,
  }));
  return b;
}

/** Bindings the local target cannot run; Durable Objects and Workflows of other workers included. */
export function readUnsupported(layer: Layer): UnsupportedBinding[] {
  const out: UnsupportedBinding[] = [];
  const add = (kind: string, binding: string, local?: string) =>
    out.push({
      kind,
      binding,
      code: 'LOCAL_BINDING_UNSUPPORTED',
      local: local ?? UNBOUND.replace('{B}', binding),
    });
  for (const [kind, { name, local }] of Object.entries(UNSUPPORTED)) {
    const value =
      kind === 'unsafe' || kind === 'logfwdr' ? (layer[kind] as Layer | undefined)?.bindings : layer[kind];
    if (value === undefined || value === null) continue;
    const entries = Array.isArray(value) ? (value as Layer[]) : [value as Layer];
    for (const entry of entries) add(kind, String(entry[name] ?? kind), local);
  }
  for (const d of list((layer.durable_objects as Layer | undefined)?.bindings)) {
    if (d.script_name)
      add(
        'durable_objects',
        String(d.name),
        `left unbound: class ${d.class_name} lives in worker "${d.script_name}", which the local target does not run`,
      );
  }
  for (const w of list(layer.workflows)) {
    if (w.script_name)
      add(
        'workflows',
        String(w.binding),
        `left unbound: workflow ${w.name} lives in worker "${w.script_name}", which the local target does not run`,
      );
  }
  return out;
}

/** `assets` with its routing options; null without a directory. */
export function readAssets(layer: Layer, resolvePath: (p: string) => string): AssetsSettings | null {
  const a = layer.assets as Layer | undefined;
  if (!a || typeof a.directory !== 'string') return null;
  const rwf = a.run_worker_first;
  return {
    directory: resolvePath(a.directory),
    binding: typeof a.binding === 'string' ? a.binding : null,
    notFoundHandling: (a.not_found_handling as AssetsSettings['notFoundHandling']) ?? null,
    htmlHandling: (a.html_handling as AssetsSettings['htmlHandling']) ?? null,
    runWorkerFirst: typeof rwf === 'boolean' || Array.isArray(rwf) ? (rwf as boolean | string[]) : null,
  };
}

function list(value: unknown): Layer[] {
  return Array.isArray(value) ? (value as Layer[]).filter((v) => v && typeof v === 'object') : [];
}

function num(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
