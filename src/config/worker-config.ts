import type { AssetsSettings, UnsupportedBinding, WorkerBindings } from './worker-bindings.ts';

/** What shipshape takes from the user's wrangler config, resolved to absolute paths for one environment. */
export interface WorkerConfig {
  name: string;
  /** Absolute path of the entry module (a Pages project: its `functions/` folder, which may not exist). */
  main: string;
  /** A Pages project's `pages_build_output_dir` (absolute); null for a worker. */
  pagesOutputDir: string | null;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Absolute path of wrangler.jsonc / wrangler.json / wrangler.toml. */
  configPath: string;
  projectDir: string;
  /** Wrangler environment applied (null for the top level). */
  env: string | null;
  vars: Record<string, string>;
  d1: D1Binding[];
  kv: KvBinding[];
  assets: AssetsSettings | null;
  /** Binding name of wrangler's `version_metadata` (the local target fills it with the version id). */
  versionMetadata: string | null;
  /** Custom build command from wrangler's `build.command`, run by wrangler before bundling. */
  buildCommand: string | null;
  /** R2, Durable Objects, queues, services, workflows, crons, rate limits, Analytics Engine, module rules. */
  bindings: WorkerBindings;
  /** Bindings the local target cannot run (reported at `config` and `check`, never dropped silently). */
  unsupported: UnsupportedBinding[];
  /** wrangler's `upload_source_maps`: the bundle carries `.map` files that start-up errors are mapped through. */
  uploadSourceMaps: boolean;
}

export interface D1Binding {
  binding: string;
  databaseName: string;
  databaseId: string;
  /** Absolute path; wrangler's default is `migrations/`. */
  migrationsDir: string;
  migrationsTable: string;
}

export interface KvBinding {
  binding: string;
  id: string;
}
