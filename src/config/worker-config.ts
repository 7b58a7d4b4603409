/** What shipshape takes from the user's wrangler config, resolved to absolute paths for one environment. */
export interface WorkerConfig {
  name: string;
  /** Absolute path of the entry module. */
  main: string;
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
  assets: { directory: string; binding: string | null } | null;
  /** Binding name of wrangler's `version_metadata` (the local target fills it with the version id). */
  versionMetadata: string | null;
  /** Custom build command from wrangler's `build.command`, run by wrangler before bundling. */
  buildCommand: string | null;
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
