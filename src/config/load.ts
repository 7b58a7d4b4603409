import { dirname } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { resolveComponents } from './components.ts';
import {
  type ConfigProblem,
  describeIssues,
  formatPath,
  useSchemaForSuggestions,
  valueAt,
} from './config-issues.ts';
import { configRuleProblems } from './config-rules.ts';
import { deepMerge, isPlainObject } from './merge.ts';
import { findConfigFile, readConfigFile } from './read-config-file.ts';
import { forComponent, type ResolvedConfig } from './resolved.ts';
import { configSchema, configShape, type ParsedConfig } from './schema.ts';

useSchemaForSuggestions(configSchema);

/**
 * Loads shipshape.config.ts (or .json) from `cwd`, validates it (every problem at once, exit 2), applies the
 * `env` layer and reads the worker's facts from its wrangler config.
 * @example const config = await loadConfig({ cwd: process.cwd(), env: 'staging' })
 */
export async function loadConfig(options: { cwd: string; env: string | null }): Promise<ResolvedConfig> {
  const file = findConfigFile(options.cwd);
  if (!file) throw new ShipshapeError('CONFIG_NOT_FOUND', { dir: options.cwd });
  const raw = await readConfigFile(file);
  const parsed = validateConfig(raw, file);
  const environments = Object.keys(parsed.environments);
  let layered: ParsedConfig = parsed;
  if (options.env) {
    if (!(options.env in parsed.environments)) {
      throw new ShipshapeError('CONFIG_ENV_UNKNOWN', {
        file,
        env: options.env,
        known: environments,
        suggestion: environments.length ? closest(options.env, environments) : null,
      });
    }
    const { environments: layers, ...baseRaw } = raw as Record<string, unknown>;
    layered = configSchema.parse(deepMerge(baseRaw, (layers as Record<string, unknown>)[options.env]));
  }
  const { environments: _layers, ...rest } = layered;
  const projectDir = dirname(file);
  const components = resolveComponents(rest, projectDir, options.env);
  const first = components[0];
  return forComponent(
    {
      ...rest,
      env: options.env,
      environments,
      configPath: file,
      projectDir,
      worker: first.worker,
      components,
      component: first,
    },
    first,
  );
}

/** Validates the base config and every environment layer merged over it; throws with all problems at once. */
export function validateConfig(raw: unknown, file: string): ParsedConfig {
  if (!isPlainObject(raw)) {
    throw new ShipshapeError('CONFIG_INVALID', {
      file,
      count: 1,
      list: '  - (top level): expected an object (export default defineConfig({...}))',
    });
  }
  const problems: ConfigProblem[] = [];
  const base = configSchema.safeParse(raw);
  if (!base.success) problems.push(...describeIssues(base.error.issues, raw));
  const { environments: _envs, ...baseRaw } = raw;
  const baseRules = configRuleProblems(baseRaw);
  problems.push(...baseRules);
  const layers = isPlainObject(raw.environments) ? raw.environments : {};
  for (const [name, layer] of Object.entries(layers)) {
    const prefix = ['environments', name];
    if (!isPlainObject(layer)) continue;
    const { environments: _nested, ...baseWithoutEnvs } = raw;
    const mergedRaw = deepMerge(baseWithoutEnvs, layer);
    // A rule broken only once the layer is merged (e.g. its score.warn above the base's pass) is the layer's.
    const seen = new Set(baseRules.map((p) => `${p.path}|${p.message}`));
    for (const p of configRuleProblems(mergedRaw as Record<string, unknown>))
      if (!seen.has(`${p.path}|${p.message}`))
        problems.push({ ...p, path: `${formatPath(prefix)}.${p.path}` });
    const merged = configSchema.safeParse(mergedRaw);
    if (merged.success) continue;
    const own = merged.error.issues.filter(
      (i) => i.path.length > 0 && valueAt(layer, i.path as (string | number)[]) !== undefined,
    );
    const unknownTop = merged.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys' && i.path.length === 0
        ? [{ ...i, keys: i.keys.filter((k) => k in layer) }]
        : [],
    );
    problems.push(...describeIssues([...unknownTop, ...own], layer, prefix));
  }
  const unique = dedupe(problems);
  if (unique.length > 0 || !base.success) {
    throw new ShipshapeError('CONFIG_INVALID', {
      file,
      count: unique.length,
      problems: unique,
      list: unique.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
    });
  }
  return base.data;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const CONFIG_KEYS = Object.keys(configShape);
export { formatPath };
