import { closest, distance } from 'fastest-levenshtein';
import type { ResolvedConfig } from '../config/resolved.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import {
  type FlagDefinition,
  type FlagDefinitions,
  type FlagValue,
  valueProblem,
  withBuiltIns,
} from './flag-types.ts';

/** The parts of a resolved config the flags code reads. */
export type FlagsConfig = Pick<ResolvedConfig, 'flags' | 'rollback'> & {
  worker: Pick<WorkerConfig, 'name' | 'kv'>;
};

/** Config's flag definitions plus the built-in EMERGENCY_STOP. */
export function flagDefinitions(config: Pick<ResolvedConfig, 'flags'>): FlagDefinitions {
  return withBuiltIns(config.flags.definitions as FlagDefinitions);
}

/** The KV binding flags live in: `flags.binding`, else the worker's first KV namespace. */
export function flagBinding(config: FlagsConfig): string {
  const names = config.worker.kv.map((k) => k.binding);
  const wanted = config.flags.binding;
  if (wanted ? names.includes(wanted) : names.length > 0) return wanted ?? names[0];
  throw new ShipshapeError('FLAG_NO_KV', {
    binding: wanted,
    worker: config.worker.name,
    known: names.join(', '),
  });
}

/** The definition of `name`, or FLAG_UNKNOWN with the nearest defined name. */
export function requireDefinition(definitions: FlagDefinitions, name: string): FlagDefinition {
  const definition = definitions[name];
  if (definition) return definition;
  const names = Object.keys(definitions);
  const upper = name.toUpperCase();
  const near = closest(upper, names);
  const suggestion = distance(upper, near) <= Math.max(2, Math.floor(name.length / 3)) ? near : null;
  throw new ShipshapeError('FLAG_UNKNOWN', { name, suggestion, known: names.join(', ') });
}

/** Checks config-given values (flags.emergency, rollback.flags) before anything is written. */
export function checkConfigValues(
  definitions: FlagDefinitions,
  values: Record<string, FlagValue>,
  path: string,
): Record<string, FlagValue> {
  for (const [name, value] of Object.entries(values)) {
    const definition = definitions[name];
    const problem = definition
      ? valueProblem(definition.type, value) && `expected ${valueProblem(definition.type, value)}`
      : 'no such flag under flags.definitions';
    if (problem) throw new ShipshapeError('FLAG_CONFIG_VALUE', { path, name, problem });
  }
  return values;
}
