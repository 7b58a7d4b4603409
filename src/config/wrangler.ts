import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { D1Binding, KvBinding, WorkerConfig } from './worker-config.ts';
import { readAssets, readBindings, readUnsupported } from './wrangler-bindings.ts';

export const WRANGLER_FILES = ['wrangler.jsonc', 'wrangler.json', 'wrangler.toml'] as const;

/** Finds the wrangler config in `dir` (the first of wrangler.jsonc, wrangler.json, wrangler.toml). */
export function findWranglerConfig(dir: string): string | null {
  for (const file of WRANGLER_FILES) {
    const path = join(dir, file);
    if (existsSync(path)) return path;
  }
  return null;
}

/** Parses a wrangler config file with real JSONC/TOML parsers; errors name the file and the position. */
export function readWranglerFile(path: string): Record<string, unknown> {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.toml')) {
    try {
      return parseToml(text) as Record<string, unknown>;
    } catch (err) {
      const e = err as { line?: number; column?: number; message: string };
      throw new ShipshapeError('WRANGLER_INVALID', {
        file: path,
        line: e.line,
        reason: e.message.split('\n')[0],
      });
    }
  }
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0];
    const line = text.slice(0, first.offset).split('\n').length;
    throw new ShipshapeError('WRANGLER_INVALID', {
      file: path,
      line,
      reason: printParseErrorCode(first.error),
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ShipshapeError('WRANGLER_INVALID', { file: path, reason: 'the top level is not an object' });
  }
  return value as Record<string, unknown>;
}

/** Wrangler's non-inheritable keys: an environment that does not repeat them has none. */
const NON_INHERITABLE = [
  'vars',
  'define',
  'd1_databases',
  'kv_namespaces',
  'r2_buckets',
  'durable_objects',
  'queues',
  'services',
  'workflows',
  'analytics_engine_datasets',
  'ratelimits',
  'version_metadata',
  'ai',
  'vectorize',
  'browser',
  'dispatch_namespaces',
  'mtls_certificates',
  'hyperdrive',
  'containers',
  'images',
  'pipelines',
  'secrets_store_secrets',
  'send_email',
  'tail_consumers',
  'unsafe',
] as const;

/**
 * Reads the worker's name, entry, bindings and migrations folders from its wrangler config, with the
 * named wrangler environment (`env.<name>`) applied as wrangler applies it.
 */
export function loadWorkerConfig(projectDir: string, envName: string | null = null): WorkerConfig {
  const configPath = findWranglerConfig(projectDir);
  if (!configPath) throw new ShipshapeError('WRANGLER_NOT_FOUND', { dir: projectDir });
  const raw = readWranglerFile(configPath);
  const layer = selectEnv(raw, envName, configPath);
  const dir = dirname(configPath);
  const str = (key: string): string | undefined =>
    typeof layer[key] === 'string' ? (layer[key] as string) : undefined;

  const problems: string[] = [];
  const baseName = str('name');
  if (!baseName) problems.push('"name" is missing');
  const main = str('main');
  // A Pages project has no entry module: its Functions folder (if any) is compiled into one.
  const pagesOutput = str('pages_build_output_dir');
  if (!main && !pagesOutput) problems.push('"main" is missing (the worker entry module)');
  const compatibilityDate = str('compatibility_date');
  if (!compatibilityDate) problems.push('"compatibility_date" is missing');
  if (problems.length > 0) {
    throw new ShipshapeError('WRANGLER_INVALID', { file: configPath, reason: problems.join('; ') });
  }
  const name = envName && !layer.__explicitName ? `${baseName}-${envName}` : (baseName as string);
  return {
    name,
    main: resolve(dir, main ?? 'functions'),
    pagesOutputDir: pagesOutput ? resolve(dir, pagesOutput) : null,
    compatibilityDate: compatibilityDate as string,
    compatibilityFlags: Array.isArray(layer.compatibility_flags)
      ? (layer.compatibility_flags as string[])
      : [],
    configPath,
    projectDir: dir,
    env: envName,
    vars: stringVars(layer.vars),
    d1: asArray(layer.d1_databases).map((d) => d1Binding(d, dir)),
    kv: asArray(layer.kv_namespaces).map(
      (k): KvBinding => ({ binding: String(k.binding), id: String(k.id ?? k.binding) }),
    ),
    assets: readAssets(layer, (p) => resolve(dir, p)),
    versionMetadata: (layer.version_metadata as { binding?: string } | undefined)?.binding ?? null,
    buildCommand: (layer.build as { command?: string } | undefined)?.command ?? null,
    bindings: readBindings(layer),
    unsupported: readUnsupported(layer),
    uploadSourceMaps: layer.upload_source_maps === true,
  };
}

function selectEnv(
  raw: Record<string, unknown>,
  envName: string | null,
  file: string,
): Record<string, unknown> & { __explicitName?: boolean } {
  if (!envName) return raw;
  const envs = (raw.env ?? {}) as Record<string, Record<string, unknown>>;
  const layer = envs[envName];
  if (!layer) {
    const known = Object.keys(envs);
    throw new ShipshapeError('WRANGLER_ENV_UNKNOWN', { file, env: envName, known });
  }
  const merged: Record<string, unknown> & { __explicitName?: boolean } = { ...raw, ...layer };
  delete merged.env;
  for (const key of NON_INHERITABLE) if (!(key in layer)) delete merged[key];
  merged.__explicitName = typeof layer.name === 'string';
  return merged;
}

function asArray(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

function stringVars(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

function d1Binding(d: Record<string, unknown>, dir: string): D1Binding {
  const binding = String(d.binding);
  return {
    binding,
    databaseName: String(d.database_name ?? binding),
    databaseId: String(d.database_id ?? d.database_name ?? binding),
    migrationsDir: resolve(dir, typeof d.migrations_dir === 'string' ? d.migrations_dir : 'migrations'),
    migrationsTable: typeof d.migrations_table === 'string' ? d.migrations_table : 'd1_migrations',
  };
}
