import type { Target } from '../targets/target.ts';
import { type FlagsConfig, flagBinding, flagDefinitions } from './definitions.ts';
import { FlagStore } from './store.ts';

/**
 * The flag store of a config's worker on a target: `flags.binding` (or the first KV namespace), `flags.key`.
 * @example const store = openFlagStore(config, await createTarget(config, { env }))
 */
export function openFlagStore(config: FlagsConfig, target: Pick<Target, 'kv'>): FlagStore {
  return new FlagStore(target.kv(flagBinding(config)), config.flags.key, flagDefinitions(config));
}
