import { SYNTHETIC_HEADER, type Target } from '../../targets/target.ts';

/** What the HTTP checks need of a target: its base URL and requests pinned to a version. */
export type PinnedTarget = Pick<Target, 'request' | 'url'>;

/** One response, fully read, with the time it took. */
export interface ProbeResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body when it is JSON, else undefined. */
  json: unknown;
  latencyMs: number;
}

export interface ProbeOptions {
  method: string;
  headers: Record<string, string>;
  version: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Raised when a probe runs past its timeout (distinct from a caller's abort and from network errors). */
export class ProbeTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs}ms`);
    this.name = 'ProbeTimeout';
  }
}

/**
 * Sends one request pinned to `version` and reads the whole body inside the timeout.
 * Latency runs from sending to the last byte, as a user would wait for it.
 */
export async function probe(
  target: PinnedTarget,
  path: string,
  options: ProbeOptions,
): Promise<ProbeResponse> {
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(new ProbeTimeout(options.timeoutMs)), options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timer.signal]) : timer.signal;
  const started = performance.now();
  try {
    const response = await target.request(path, {
      method: options.method,
      headers: { ...options.headers, [SYNTHETIC_HEADER]: '1' },
      version: options.version,
      timeoutMs: options.timeoutMs,
      signal,
    });
    const text = options.method === 'HEAD' ? '' : await response.text();
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { status: response.status, headers: response.headers, text, json: parseJson(text), latencyMs };
  } catch (err) {
    if (timer.signal.aborted && !options.signal?.aborted) throw new ProbeTimeout(options.timeoutMs);
    throw err;
  } finally {
    clearTimeout(timeout);
  }
}

function parseJson(text: string): unknown {
  if (!/^\s*[[{"]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The version the worker says answered: `x-version-id` header, else a `version` field in a JSON body. */
export function reportedVersion(response: ProbeResponse): string | null {
  const header = response.headers.get('x-version-id');
  if (header) return header.trim();
  const json = response.json;
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const version = (json as Record<string, unknown>).version;
    if (typeof version === 'string' && version) return version;
  }
  return null;
}
