import type { UserConfigInput } from './schema.ts';

/** What a user writes in shipshape.config.ts: every key optional, durations as strings. */
export type UserConfig = UserConfigInput;

/**
 * Identity function that gives `shipshape.config.ts` its types.
 * @example export default defineConfig({ rollout: { steps: [10, 50, 100], bake: '5m' } })
 */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
