import type { ErrorEntry } from '../error-entry.ts';

/** Keeps each area's catalogue typed while letting every entry read its own context keys. */
// biome-ignore lint/suspicious/noExplicitAny: entries read free-form context values
export type Ctx = Record<string, any>;
export function defineErrors<T extends Record<string, (ctx: Ctx) => ErrorEntry>>(entries: T): T {
  return entries;
}
