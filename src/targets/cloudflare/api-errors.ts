import type { ErrorCode } from '../../errors/catalogue.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';

/** One entry of Cloudflare's `errors` array. */
export interface CfApiError {
  code: number;
  message: string;
}

/** What a failed call knew: the HTTP status, Cloudflare's errors, the operation and the account. */
export interface FailedCall {
  status: number;
  errors: CfApiError[];
  /** `GET /accounts/…/workers/scripts/x/deployments`, never with the token. */
  operation: string;
  accountId: string | null;
  /** Whether GET /user/tokens/verify accepted the token (asked only after an auth refusal). */
  tokenValid?: boolean;
}

/** Codes Cloudflare answers when the token is missing, malformed, wrong or lacks the permission. */
export const AUTH_CODES = new Set([9106, 9109, 6003, 6111, 10000]);

/** Every Cloudflare code the target can meet, to the catalogue's code (codes.ts in cf-api/ says where each was seen). */
const BY_CODE: Record<number, ErrorCode> = {
  9106: 'CLOUDFLARE_AUTH', // no Authorization header
  9109: 'CLOUDFLARE_AUTH', // "Unauthorized to access requested resource": the token lacks the permission
  6003: 'CLOUDFLARE_AUTH', // invalid request headers (6111 in error_chain: Authorization is not `Bearer <token>`)
  6111: 'CLOUDFLARE_AUTH',
  10000: 'CLOUDFLARE_AUTH', // "Authentication error"
  7003: 'CLOUDFLARE_NOT_FOUND', // could not route: usually a wrong account id
  10007: 'CLOUDFLARE_SCRIPT_NOT_FOUND', // "This Worker does not exist on your account."
  10090: 'CLOUDFLARE_SCRIPT_NOT_FOUND', // services/{s} of an unknown Worker
  10217: 'CLOUDFLARE_VERSION_NOT_FOUND',
  10220: 'CLOUDFLARE_SECRET_CHANGED', // deployment across a secret change without ?force=true
  10211: 'CLOUDFLARE_DO_MIGRATION', // a version upload carrying Durable Object migrations
  10215: 'CLOUDFLARE_NOT_FULLY_DEPLOYED', // secret edit while the newest version is not at 100%
  971: 'CLOUDFLARE_RATE_LIMITED',
  7400: 'CLOUDFLARE_D1_QUERY', // malformed request
  7404: 'CLOUDFLARE_D1_NOT_FOUND',
  7500: 'CLOUDFLARE_D1_QUERY', // SQLite error
  10009: 'CLOUDFLARE_NOT_FOUND', // KV key not found (kv() answers null before this)
  10013: 'CLOUDFLARE_KV_NOT_FOUND', // on a 404: namespace not found; on a 5xx: unknown error (transient)
  10001: 'CLOUDFLARE_REFUSED', // a field the API refuses
  10021: 'CLOUDFLARE_REFUSED', // script content or binding refused
  10056: 'CLOUDFLARE_REFUSED', // binding not found
  6007: 'CLOUDFLARE_REFUSED', // malformed JSON
  7001: 'CLOUDFLARE_REFUSED', // wrong method
};

/**
 * The token permission an operation needs, named as the dashboard names it, from the API path and method:
 * reads need "… Read", changes "… Edit".
 */
export function permissionFor(method: string, path: string): string {
  const write = method !== 'GET';
  if (path.includes('/graphql')) return 'Account Analytics Read';
  if (path.includes('/d1/')) return write ? 'D1 Edit' : 'D1 Read';
  if (path.includes('/storage/kv/')) return write ? 'Workers KV Storage Edit' : 'Workers KV Storage Read';
  if (path.includes('/workers/')) return write ? 'Workers Scripts Edit' : 'Workers Scripts Read';
  return 'Account Settings Read';
}

/** A failed call as the catalogue's error: Cloudflare's code and message kept, transient ones marked for retry. */
export function toShipshapeError(call: FailedCall, extra: Record<string, unknown> = {}): ShipshapeError {
  const first = call.errors[0];
  const [method, path = ''] = call.operation.split(' ');
  const transient = call.status === 429 || call.status >= 500;
  const details: Record<string, unknown> = {
    target: 'cloudflare',
    status: call.status,
    cfCode: first?.code,
    reason: call.errors.map((e) => `${e.message} [code: ${e.code}]`).join('; ') || `HTTP ${call.status}`,
    operation: call.operation,
    accountId: call.accountId,
    permission: permissionFor(method, path),
    ...(call.tokenValid === undefined ? {} : { tokenValid: call.tokenValid }),
    ...(transient ? { transient: true } : {}),
    ...extra,
  };
  if (call.status === 429) return new ShipshapeError('CLOUDFLARE_RATE_LIMITED', details);
  if (call.status >= 500) return new ShipshapeError('TARGET_UNAVAILABLE', details);
  const mapped = first ? BY_CODE[first.code] : undefined;
  if (mapped) return new ShipshapeError(mapped, details);
  if (call.status === 401 || call.status === 403) return new ShipshapeError('CLOUDFLARE_AUTH', details);
  if (call.status === 404) return new ShipshapeError('CLOUDFLARE_NOT_FOUND', details);
  return new ShipshapeError('CLOUDFLARE_REFUSED', details);
}

/** A refusal of the token itself (missing, malformed, wrong, or without the permission). */
export function isAuthRefusal(status: number, errors: CfApiError[]): boolean {
  if (errors.some((e) => AUTH_CODES.has(e.code))) return true;
  return (status === 401 || status === 403) && errors.length === 0;
}
