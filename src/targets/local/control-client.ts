import type { ErrorCode } from '../../errors/catalogue.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';

/**
 * Talks to the daemon's control API. Network errors, 5xx and 429 become TARGET_UNAVAILABLE with
 * `details.transient = true` (the release retries only those); refusals keep the daemon's own code.
 */
export class ControlClient {
  /** The release lease generation this process holds: sent with every call so the daemon can fence it. */
  lease: number | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 120_000): Promise<T> {
    const operation = `${method} ${path.split('?')[0]}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          'content-type': 'application/json',
          ...(this.lease === null ? {} : { 'x-shipshape-lease': String(this.lease) }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      throw new ShipshapeError(
        'TARGET_UNAVAILABLE',
        { target: 'local', operation, reason: cause?.code ?? (err as Error).message, transient: true },
        { cause: err },
      );
    }
    const text = await res.text();
    let json: { result?: T; error?: { code?: string; message?: string; details?: Record<string, unknown> } } =
      {};
    try {
      json = JSON.parse(text);
    } catch {
      // a proxy or a crash page: handled by status below
    }
    if (res.ok) return json.result as T;
    const error = json.error ?? {};
    if (res.status >= 500 || res.status === 429) {
      if (
        error.code &&
        error.code !== 'TARGET_UNAVAILABLE' &&
        error.code !== 'INTERNAL' &&
        res.status < 503
      ) {
        throw new ShipshapeError(error.code as ErrorCode, error.details ?? {});
      }
      throw new ShipshapeError('TARGET_UNAVAILABLE', {
        target: 'local',
        operation,
        status: res.status,
        reason: `${res.status} ${error.message ?? (text.slice(0, 200) || res.statusText)}`,
        transient: true,
      });
    }
    if (res.status === 401) throw new ShipshapeError('LOCAL_UNAUTHORIZED', { status: res.status });
    if (error.code && error.code !== 'LOCAL_BAD_REQUEST' && error.details) {
      throw new ShipshapeError(error.code as ErrorCode, error.details);
    }
    throw new ShipshapeError('LOCAL_BAD_REQUEST', {
      operation,
      reason: (error.details?.reason as string | undefined) ?? error.message ?? `${res.status}`,
      status: res.status,
    });
  }
}
