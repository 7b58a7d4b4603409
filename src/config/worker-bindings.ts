/**
 * The bindings beyond D1 and KV that the local target runs, as read from the wrangler config. Plain JSON: a
 * version's settings snapshot carries them, so a version runs again after a restart with what it was built with.
 */
export interface WorkerBindings {
  r2: Array<{ binding: string; bucketName: string }>;
  durableObjects: Array<{ binding: string; className: string; scriptName: string | null }>;
  /** Classes created with `new_sqlite_classes` (SQLite-backed storage). */
  sqliteClasses: string[];
  /** wrangler's `migrations` as written; a change between versions is refused as a gradual upload (10211). */
  doMigrations: unknown[];
  queueProducers: Array<{ binding: string; queue: string; deliveryDelay: number | null }>;
  queueConsumers: Array<{
    queue: string;
    maxBatchSize: number | null;
    maxBatchTimeout: number | null;
    maxRetries: number | null;
    deadLetterQueue: string | null;
    retryDelay: number | null;
  }>;
  services: Array<{ binding: string; service: string; entrypoint: string | null }>;
  workflows: Array<{ binding: string; name: string; className: string; scriptName: string | null }>;
  crons: string[];
  ratelimits: Array<{ binding: string; namespaceId: string; limit: number; period: 10 | 60 }>;
  analyticsEngine: Array<{ binding: string; dataset: string }>;
  /** `vars` whose value is not a string (objects, numbers, booleans): the worker sees them as JSON values. */
  jsonVars: Record<string, unknown>;
  /** wrangler's module `rules` (extra Text/Data/CompiledWasm globs), applied to the bundle's files. */
  rules: Array<{ type: string; globs: string[]; fallthrough: boolean }>;
}

/** `assets` with the options Cloudflare's asset router reads. */
export interface AssetsSettings {
  directory: string;
  binding: string | null;
  notFoundHandling: 'none' | 'single-page-application' | '404-page' | null;
  htmlHandling: 'auto-trailing-slash' | 'force-trailing-slash' | 'drop-trailing-slash' | 'none' | null;
  /** true/false, or the path globs that reach the worker before assets. */
  runWorkerFirst: boolean | string[] | null;
}

/** A binding the local target cannot run: reported at `config` and `check`, left unbound locally. */
export interface UnsupportedBinding {
  /** wrangler's key, e.g. "ai", "vectorize", "browser". */
  kind: string;
  /** The name the worker sees in `env` (or the key itself when it has none). */
  binding: string;
  /** Stable code of the finding. */
  code: 'LOCAL_BINDING_UNSUPPORTED';
  /** What the local target does with it. */
  local: string;
}

export function emptyBindings(): WorkerBindings {
  return {
    r2: [],
    durableObjects: [],
    sqliteClasses: [],
    doMigrations: [],
    queueProducers: [],
    queueConsumers: [],
    services: [],
    workflows: [],
    crons: [],
    ratelimits: [],
    analyticsEngine: [],
    jsonVars: {},
    rules: [],
  };
}
