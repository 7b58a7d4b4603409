import { ShipshapeError } from '../../errors/shipshape-error.ts';

/** One entry of a GraphQL answer's `errors` array, as Cloudflare sends it. */
export interface GraphqlError {
  message: string;
  /** Set on the REST envelope's errors (10000 "Authentication error"), not on GraphQL ones. */
  code?: number;
  path?: Array<string | number>;
  extensions?: { code?: string; timestamp?: string };
}

/**
 * Cloudflare answers an authorization failure inside the GraphQL `errors` array (with HTTP 403 or 200):
 * `not authorized for that account`, `authorization denied` (a token without Account Analytics Read),
 * `does not have access to the path …`, `zones […] are not authorized`, `Unauthorized`; some carry
 * `extensions.code: "authz"`. A token the API rejects outright answers the REST envelope's 10000
 * "Authentication error" instead, also in `errors`.
 */
const AUTHZ =
  /not authori[sz]ed|authori[sz]ation denied|does not have access|\bunauthori[sz]ed\b|\bforbidden\b/i;
const AUTHZ_CODES = new Set(['authz', 'unauthorized', 'forbidden', 'unauthenticated']);
/** The account (its plan) has no such dataset, or the schema has no such field. */
const NO_DATASET =
  /not available for your plan|(unknown field|cannot query field)\W*workersInvocationsAdaptive/i;

/** The answer's `errors`, or [] when it has none (`errors: null` is Cloudflare's "no errors"). */
export function graphqlErrors(body: unknown): GraphqlError[] {
  if (body === null || typeof body !== 'object') return [];
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e) => {
    const o = (e ?? {}) as Record<string, unknown>;
    return {
      message: typeof o.message === 'string' ? o.message : JSON.stringify(e),
      ...(typeof o.code === 'number' ? { code: o.code } : {}),
      ...(Array.isArray(o.path) ? { path: o.path as Array<string | number> } : {}),
      ...(o.extensions && typeof o.extensions === 'object'
        ? { extensions: o.extensions as GraphqlError['extensions'] }
        : {}),
    };
  });
}

/** A coded error for a GraphQL answer that carries errors: authorization, missing dataset, or the query refused. */
export function analyticsError(errors: GraphqlError[], account: string): ShipshapeError {
  const authz = errors.find(
    (e) =>
      AUTHZ.test(e.message) ||
      e.code === 10000 ||
      AUTHZ_CODES.has(String(e.extensions?.code ?? '').toLowerCase()),
  );
  if (authz) return new ShipshapeError('ANALYTICS_NOT_AUTHORIZED', { account, reason: authz.message });
  const missing = errors.find((e) => NO_DATASET.test(e.message));
  if (missing)
    return new ShipshapeError('ANALYTICS_DATASET_MISSING', {
      account,
      dataset: 'workersInvocationsAdaptive',
      reason: missing.message,
    });
  const first = errors[0];
  return new ShipshapeError('ANALYTICS_QUERY_FAILED', {
    reason: errors.map((e) => e.message).join('; '),
    path: first?.path?.join('.'),
  });
}

/** Throws the coded error when the answer has GraphQL errors; returns its `data` otherwise. */
export function dataOf(body: unknown, account: string): unknown {
  const errors = graphqlErrors(body);
  if (errors.length > 0) throw analyticsError(errors, account);
  if (body === null || typeof body !== 'object' || !('data' in body))
    throw new ShipshapeError('ANALYTICS_QUERY_FAILED', {
      reason: `the answer is not a GraphQL result: ${JSON.stringify(body)?.slice(0, 200)}`,
    });
  return (body as { data: unknown }).data;
}
