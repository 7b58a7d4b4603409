import { EMERGENCY_STOP, parseFlagDocument } from './flag-types.ts';

/** The slice of a Workers KV binding the runtime uses (declared here: the runtime does not need workers-types). */
export interface KvLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
}

/** The slice of a Workers ExecutionContext the runtime uses. */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

export interface CacheStats {
  /** Calls to KV `get` made by this isolate. */
  kvReads: number;
  /** Reads that threw or returned a document that is not a JSON object. */
  kvFailures: number;
  /** Requests answered from a stale cache while a refresh ran in the background. */
  staleServed: number;
}

/**
 * The per-isolate copy of the overrides document. Fresh for `ttl` ms; from `ttl` to `2 × ttl` a request gets the
 * stale copy at once and refreshes it in the background (`ctx.waitUntil`); older than that (an idle isolate),
 * the request waits for the read. So at most one KV read per isolate per TTL, busy isolates never wait on KV,
 * and no answer is built on values older than two TTLs. Nothing runs at module load.
 */
export class FlagCache {
  readonly stats: CacheStats = { kvReads: 0, kvFailures: 0, staleServed: 0 };
  private overrides: Record<string, unknown> | null = null;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | null = null;
  private failing = false;
  private forced = false;

  constructor(
    private readonly binding: string,
    private readonly key: string,
    private readonly ttl: number,
    private readonly log: (message: string) => void,
  ) {}

  /** The overrides to use for this request; `{}` when KV has never answered (defaults apply). */
  async current(env: object, ctx?: WaitUntil): Promise<Record<string, unknown>> {
    const age = Date.now() - this.fetchedAt;
    if (this.overrides && age < this.ttl) return this.overrides;
    // Stale copies serve for one more TTL at most: after a quiet spell a kill switch must not wait for a second request.
    // A stale copy with the kill switch on is never served: after "emergency resume" the first request past the
    // TTL would otherwise still get 503.
    if (this.overrides && !this.forced && age < 2 * this.ttl && this.overrides[EMERGENCY_STOP] !== true) {
      this.stats.staleServed++;
      const refresh = this.refresh(env);
      // Without a context there is nothing to keep the refresh alive after the response: wait for it.
      if (ctx) ctx.waitUntil(refresh);
      else await refresh;
      return this.overrides;
    }
    await this.refresh(env);
    return this.overrides ?? {};
  }

  /** The next request waits for a fresh read (used after this isolate writes the document). */
  invalidate(): void {
    this.fetchedAt = Number.NEGATIVE_INFINITY;
    this.forced = true;
  }

  private refresh(env: object): Promise<void> {
    this.pending ??= this.load(env).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async load(env: object): Promise<void> {
    this.forced = false;
    try {
      const kv = (env as Record<string, unknown>)[this.binding] as KvLike | undefined;
      if (!kv || typeof kv.get !== 'function')
        throw new Error(`the worker has no KV binding "${this.binding}"`);
      this.stats.kvReads++;
      this.overrides = parseFlagDocument(await kv.get(this.key));
      this.failing = false;
    } catch (err) {
      this.stats.kvFailures++;
      if (!this.failing) {
        const reason = err instanceof Error ? err.message : String(err);
        const fallback = this.overrides ? 'keeping the last values read' : 'using the defaults';
        this.log(`flags: cannot read "${this.key}" from KV ${this.binding} (${reason}); ${fallback}`);
      }
      this.failing = true;
      // Fail open: the last values read stay in force; with none yet, the defaults do.
      this.overrides ??= {};
    }
    this.fetchedAt = Date.now();
  }
}
