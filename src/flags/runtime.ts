/**
 * `shipshape/flags`: typed feature flags for a Worker. Values come from one JSON document in KV (written by
 * `shipshape flags set`), cached per isolate, merged over the defaults declared here. No Node imports, no
 * timers or I/O at module load.
 */
import { inRollout } from './bucket.ts';
import { type CacheStats, FlagCache, type WaitUntil } from './flag-cache.ts';
import {
  EMERGENCY_STOP,
  type FlagDefinition,
  type FlagDefinitions,
  type FlagValue,
  mergeOverrides,
  withBuiltIns,
} from './flag-types.ts';

export { type AdminRouteOptions, handleFlagsAdmin } from './admin-route.ts';
export { inRollout, rolloutBucket } from './bucket.ts';
export type { CacheStats, KvLike, WaitUntil } from './flag-cache.ts';
export type { FlagDefinition, FlagDefinitions, FlagType, FlagValue } from './flag-types.ts';
export { murmur3_x86_32 } from './murmur3.ts';

/** The TypeScript type of a flag's value. */
export type ValueOf<D extends FlagDefinition> = D['type'] extends 'boolean'
  ? boolean
  : D['type'] extends 'string'
    ? string
    : number;

type WithStop<D> = D & { EMERGENCY_STOP: { type: 'boolean'; default: false } };
type NamesOfType<D extends FlagDefinitions, T> = {
  [N in keyof D]: D[N]['type'] extends T ? N : never;
}[keyof D];

export interface FlagsOptions<D extends FlagDefinitions> {
  /** Name, type, default (and description) of every flag; EMERGENCY_STOP is added. */
  definitions: D;
  /** KV binding holding the overrides. Default "FLAGS". */
  binding?: string;
  /** KV key of the overrides document. Default "feature_flags" (as `flags.key` in shipshape.config). */
  key?: string;
  /** How long an isolate trusts its copy, in ms. Default 5000. */
  cacheTtl?: number;
  /** Where the one-per-outage "KV unreadable" line goes. Default console.warn. */
  log?: (message: string) => void;
}

/** The values in force for one request: read them synchronously, as often as needed. */
export class FlagSnapshot<D extends FlagDefinitions> {
  constructor(readonly values: Readonly<Record<string, FlagValue>>) {}

  /** @example flags.get('MAX_EMAILS_PER_RUN') // number */
  get<N extends keyof WithStop<D> & string>(name: N): ValueOf<WithStop<D>[N]> {
    return this.values[name] as ValueOf<WithStop<D>[N]>;
  }

  /**
   * A boolean flag's value, or for a percentage flag whether `unit` (a user id, account id…) is inside the
   * rollout: sticky per unit, Unleash's bucketing. @example flags.enabled('NEW_CHECKOUT', userId)
   */
  enabled(name: NamesOfType<WithStop<D>, 'boolean' | 'percentage'> & string, unit?: string | null): boolean {
    const value = this.values[name];
    return typeof value === 'boolean' ? value : inRollout(name, unit, Number(value));
  }

  /** True while `shipshape emergency stop` is in force. */
  get emergencyStop(): boolean {
    return this.values[EMERGENCY_STOP] === true;
  }

  toJSON(): Record<string, FlagValue> {
    return { ...this.values };
  }
}

/** A flags client: create it once at module scope, `load` it inside each request. */
export interface Flags<D extends FlagDefinitions> {
  readonly definitions: FlagDefinitions;
  readonly binding: string;
  readonly key: string;
  /** The values for this request (at most one KV read per isolate per TTL; stale copies refresh via ctx). */
  load(env: object, ctx?: WaitUntil): Promise<FlagSnapshot<D>>;
  /** Make the next `load` read KV again. */
  invalidate(): void;
  /** KV reads and failures of this isolate (for benchmarks and diagnostics). */
  stats(): CacheStats;
}

/**
 * @example
 * const flags = createFlags({ definitions: { NEW_GREETING_ENABLED: { type: 'boolean', default: false } } });
 * export default { async fetch(req, env, ctx) {
 *   const f = await flags.load(env, ctx);
 *   return emergencyStop(f) ?? new Response(f.get('NEW_GREETING_ENABLED') ? 'hi!' : 'hello');
 * } };
 */
export function createFlags<const D extends FlagDefinitions>(options: FlagsOptions<D>): Flags<D> {
  const definitions = withBuiltIns(options.definitions);
  const binding = options.binding ?? 'FLAGS';
  const key = options.key ?? 'feature_flags';
  const log = options.log ?? ((message: string) => console.warn(message));
  const cache = new FlagCache(binding, key, options.cacheTtl ?? 5000, log);
  let lastOverrides: Record<string, unknown> | null = null;
  let snapshot = new FlagSnapshot<D>(Object.freeze(mergeOverrides(definitions, {})));
  return {
    definitions,
    binding,
    key,
    async load(env, ctx) {
      const overrides = await cache.current(env, ctx);
      // Merge only when the document changed: evaluation stays a property read.
      if (overrides !== lastOverrides) {
        lastOverrides = overrides;
        snapshot = new FlagSnapshot<D>(Object.freeze(mergeOverrides(definitions, overrides)));
      }
      return snapshot;
    },
    invalidate: () => cache.invalidate(),
    stats: () => ({ ...cache.stats }),
  };
}

/**
 * A 503 answer while EMERGENCY_STOP is on, else null.
 * @example return emergencyStop(f) ?? handle(request)
 */
export function emergencyStop(
  snapshot: { emergencyStop: boolean },
  message = 'This service is temporarily stopped by its operators. Please try again later.',
): Response | null {
  if (!snapshot.emergencyStop) return null;
  return new Response(JSON.stringify({ error: 'emergency_stop', message }), {
    status: 503,
    headers: { 'content-type': 'application/json', 'retry-after': '60', 'cache-control': 'no-store' },
  });
}
