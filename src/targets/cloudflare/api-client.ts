import { setTimeout as sleep } from 'node:timers/promises';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { type CfApiError, isAuthRefusal, toShipshapeError } from './api-errors.ts';

/** Where and as whom the client calls: the token is only ever put in the Authorization header. */
export interface ApiClientOptions {
  /** `https://api.cloudflare.com/client/v4` (or CLOUDFLARE_API_BASE_URL), no trailing slash. */
  baseUrl: string;
  token: string;
  accountId: string | null;
  /** Attempts per call, the first included. Default 5. */
  attempts?: number;
  /** First backoff (doubles each attempt, with jitter, capped at maxDelayMs). Default 500 ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails as rate-limited. Default 60 s. */
  maxRetryAfterMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  wait?: (ms: number) => Promise<void>;
  /** Told before each wait (for a log line): what failed and how long until the next attempt. */
  onRetry?: (info: { operation: string; attempt: number; waitMs: number; reason: string }) => void;
}

export interface CallOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body (objects), a raw string body (text/plain unless contentType says otherwise) or a multipart form. */
  body?: unknown;
  contentType?: string;
  /**
   * May the call be sent again after a 5xx or a network error? Default: every method but POST. A 429 is always
   * retried (Cloudflare did not run the call); a POST that may have run is not, unless it says so.
   */
  idempotent?: boolean;
}

/** A raw answer (KV values are answered outside the envelope). */
export interface RawAnswer {
  status: number;
  text: string;
  headers: Headers;
}

interface Envelope<T> {
  success?: boolean;
  errors?: CfApiError[];
  result?: T;
}

/**
 * Cloudflare's REST API with bearer auth and its `{success, errors, messages, result}` envelope. Retries 429
 * (honouring Retry-After), 5xx and network errors only, a bounded number of times with exponential backoff; any
 * other refusal is mapped once to the error catalogue (api-errors.ts), naming the token permission an auth
 * refusal lacks.
 * @example const api = new CloudflareApi({ baseUrl, token, accountId }); await api.call('GET', api.account('/workers/scripts'));
 */
export class CloudflareApi {
  constructor(private readonly options: ApiClientOptions) {}

  get accountId(): string | null {
    return this.options.accountId;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** `/accounts/<id><path>`. */
  account(path: string): string {
    return `/accounts/${encodeURIComponent(this.options.accountId ?? '')}${path}`;
  }

  /** One call answering the envelope's `result`. */
  async call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
    const answer = await this.send(method, path, opts);
    const envelope = parseJson(answer.text) as Envelope<T> | undefined;
    if (answer.status >= 400 || !envelope || envelope.success === false)
      throw await this.failure(method, path, answer.status, envelope?.errors ?? []);
    return envelope.result as T;
  }

  /** One call answering the raw body; `allow` lists statuses that are answers, not failures (e.g. 404). */
  async raw(method: string, path: string, opts: CallOptions = {}, allow: number[] = []): Promise<RawAnswer> {
    const answer = await this.send(method, path, opts);
    if (answer.status >= 400 && !allow.includes(answer.status))
      throw await this.refusal(method, path, answer);
    return answer;
  }

  /** The catalogue's error for a raw answer that is a refusal after all. */
  refusal(method: string, path: string, answer: RawAnswer): Promise<ShipshapeError> {
    const envelope = parseJson(answer.text) as Envelope<unknown> | undefined;
    return this.failure(method, path, answer.status, envelope?.errors ?? []);
  }

  /** `POST <base>/graphql`: the GraphQL answer as is (`{data, errors}`); transport failures retried as any read. */
  async graphql(query: string, variables: Record<string, unknown>): Promise<unknown> {
    const answer = await this.send('POST', '/graphql', { body: { query, variables }, idempotent: true });
    const json = parseJson(answer.text) as (Envelope<unknown> & { data?: unknown }) | undefined;
    if (answer.status >= 400 && json?.data === undefined)
      throw await this.failure('POST', '/graphql', answer.status, json?.errors ?? []);
    return json ?? { errors: [{ message: `not JSON: ${answer.text.slice(0, 200)}` }] };
  }

  private async send(method: string, path: string, opts: CallOptions): Promise<RawAnswer> {
    const o = this.options;
    const attempts = o.attempts ?? 5;
    const idempotent = opts.idempotent ?? method !== 'POST';
    const url = this.url(path, opts.query);
    const operation = `${method} ${path}`;
    for (let attempt = 1; ; attempt++) {
      let answer: RawAnswer | null = null;
      let reason: string;
      let retryAfterMs: number | null = null;
      try {
        const res = await (o.fetch ?? fetch)(url, {
          method,
          headers: this.headers(opts),
          body: encodeBody(opts.body),
          signal: AbortSignal.timeout(o.timeoutMs ?? 60_000),
        });
        answer = { status: res.status, text: await res.text(), headers: res.headers };
        if (res.status !== 429 && res.status < 500) return answer;
        reason = `HTTP ${res.status}`;
        if (res.status === 429) retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        else if (!idempotent) return answer;
      } catch (err) {
        // A network error or a timeout: the call may or may not have reached Cloudflare.
        reason = (err as Error).message;
        if (!idempotent || attempt >= attempts) throw this.unreachable(operation, reason, attempt, err);
      }
      const tooLong = retryAfterMs !== null && retryAfterMs > (o.maxRetryAfterMs ?? 60_000);
      if (attempt >= attempts || tooLong) {
        if (answer) return answer;
        throw this.unreachable(operation, reason, attempt);
      }
      const waitMs = retryAfterMs ?? backoff(attempt, o.baseDelayMs ?? 500, o.maxDelayMs ?? 8_000);
      o.onRetry?.({ operation, attempt, waitMs, reason });
      await (o.wait ?? sleep)(waitMs);
    }
  }

  private headers(opts: CallOptions): Record<string, string> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}` };
    // A multipart body's content type carries its boundary: fetch writes it.
    if (opts.body !== undefined && !(opts.body instanceof FormData))
      headers['content-type'] =
        opts.contentType ?? (typeof opts.body === 'string' ? 'text/plain' : 'application/json');
    return headers;
  }

  private url(path: string, query: CallOptions['query']): string {
    const url = new URL(`${this.options.baseUrl}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  /** Network errors and timeouts after the last attempt: transient, so the release may try the step again. */
  private unreachable(operation: string, reason: string, attempts: number, cause?: unknown): ShipshapeError {
    const details = {
      target: 'cloudflare',
      operation,
      reason: `${reason} (after ${attempts} attempt${attempts > 1 ? 's' : ''})`,
      accountId: this.options.accountId,
      transient: true,
    };
    return new ShipshapeError('TARGET_UNAVAILABLE', details, cause === undefined ? {} : { cause });
  }

  /** The catalogue's error for a refusal; an auth refusal first asks whether the token is valid at all. */
  private async failure(method: string, path: string, status: number, errors: CfApiError[]) {
    const call = { status, errors, operation: `${method} ${path}`, accountId: this.options.accountId };
    const attempts = this.options.attempts ?? 5;
    if (status === 429) return toShipshapeError(call, { attempts });
    if (!isAuthRefusal(status, errors)) return toShipshapeError(call);
    return toShipshapeError({ ...call, tokenValid: await this.tokenValid() });
  }

  /** GET /user/tokens/verify, then the account's own verify (account-owned tokens): undefined when unknown. */
  private async tokenValid(): Promise<boolean | undefined> {
    const paths = [
      '/user/tokens/verify',
      ...(this.options.accountId ? [this.account('/tokens/verify')] : []),
    ];
    let refused = false;
    for (const path of paths) {
      try {
        const answer = await this.send('GET', path, {});
        const body = parseJson(answer.text) as Envelope<unknown> | undefined;
        if (answer.status < 400 && body?.success !== false) return true;
        if (isAuthRefusal(answer.status, body?.errors ?? [])) refused = true;
      } catch {
        // unknown: say nothing about the token
      }
    }
    return refused ? false : undefined;
  }
}

function encodeBody(body: unknown): string | FormData | undefined {
  if (body === undefined) return undefined;
  if (body instanceof FormData) return body;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After as seconds or an HTTP date, in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Exponential backoff with full jitter over its upper half: attempt 1 waits base/2..base. */
function backoff(attempt: number, base: number, max: number): number {
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
