import type { ServerResponse } from 'node:http';

/** One entry of Cloudflare's `errors` array; `error_chain` holds the causes (e.g. 6003 ← 6111). */
export interface CfMessage {
  code: number;
  message: string;
  error_chain?: Array<{ code: number; message: string }>;
}

/** Cloudflare's pagination block (`result_info`), present on list answers. */
export interface ResultInfo {
  page?: number;
  per_page?: number;
  count: number;
  total_count?: number;
  total_pages?: number;
  cursor?: string;
}

/**
 * An answer the Cloudflare API stand-in gives instead of a result: HTTP status plus Cloudflare's own error code
 * and message (wrangler matches some codes, e.g. 10007 "worker not found", 10220 "secret changed").
 */
export class CfError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly chain: Array<{ code: number; message: string }> = [],
  ) {
    super(message);
  }
}

/** A result the handler wants sent as is (raw KV values, GraphQL's own `{data, errors}` shape). */
export class RawAnswer {
  constructor(
    readonly status: number,
    readonly body: string | Buffer,
    readonly contentType: string,
  ) {}
}

/** A list result with its `result_info`. */
export class Paged {
  constructor(
    readonly items: unknown,
    readonly info: ResultInfo,
  ) {}
}

/** `{success, errors, messages, result}`: every field present, as wrangler reads them all. */
export function envelope(result: unknown, info?: ResultInfo): Record<string, unknown> {
  return { success: true, errors: [], messages: [], result, ...(info ? { result_info: info } : {}) };
}

export function failure(errors: CfMessage[]): Record<string, unknown> {
  return { success: false, errors, messages: [], result: null };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: CfError): void {
  const entry: CfMessage = { code: err.code, message: err.message };
  if (err.chain.length > 0) entry.error_chain = err.chain;
  sendJson(res, err.status, failure([entry]), err.headers);
}

/** Page `page` (1-based) of `per_page` items, with Cloudflare's result_info. */
export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  defaultPerPage = 20,
  maxPerPage = 100,
): Paged {
  const per = clampInt(query.get('per_page'), defaultPerPage, 1, maxPerPage);
  const page = clampInt(query.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
  const slice = items.slice((page - 1) * per, page * per);
  return new Paged(slice, {
    page,
    per_page: per,
    count: slice.length,
    total_count: items.length,
    total_pages: Math.max(1, Math.ceil(items.length / per)),
  });
}

function clampInt(raw: string | null, fallback: number, min: number, max: number): number {
  const n = raw === null ? Number.NaN : Number(raw);
  if (!Number.isInteger(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

/** 400 with Cloudflare's generic "invalid request" code. */
export function invalid(message: string, code = 10021): CfError {
  return new CfError(400, code, message);
}
