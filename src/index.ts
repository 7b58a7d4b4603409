/** shipshape's library entry: config helpers and the types a config or an integration needs. */
export { defineConfig, type UserConfig } from './config/define-config.ts';
export type { ResolvedConfig } from './config/resolved.ts';
export type { ShipshapeEvent } from './events/types.ts';
export type { Target } from './targets/target.ts';
