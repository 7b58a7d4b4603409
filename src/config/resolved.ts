import type { ParsedConfig } from './schema.ts';
import type { WorkerConfig } from './worker-config.ts';

/**
 * The config a release runs with: schema defaults applied, the `--env` layer merged, durations in
 * milliseconds, and the worker's own facts read from its wrangler config (never repeated in ours).
 */
export interface ResolvedConfig extends Omit<ParsedConfig, 'environments'> {
  /** The environment applied, or null for the base config. */
  env: string | null;
  /** Environments the config defines. */
  environments: string[];
  /** Absolute path of shipshape.config.ts / .json. */
  configPath: string;
  projectDir: string;
  worker: WorkerConfig;
}
