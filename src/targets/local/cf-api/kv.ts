import { kvOp } from '../platform-data.ts';
import { CF_CODES } from './codes.ts';
import type { CfContext, CfRequest, CfRoute } from './context.ts';
import { CfError, invalid, Paged, paginate, RawAnswer } from './envelope.ts';
import { parseMultipart } from './multipart.ts';
import { namespaces } from './resources.ts';

const NS = '/accounts/:account/storage/kv/namespaces/:namespace';

/** KV names the operation in its not-found message: "get: 'namespace not found'", "list keys: …". */
function requireNamespace(ctx: CfContext, id: string, operation: string): void {
  if (!namespaces(ctx).some((n) => n.id === id)) {
    throw new CfError(404, CF_CODES.kvNamespaceNotFound, `${operation}: 'namespace not found'`);
  }
}

async function getValue(ctx: CfContext, req: CfRequest) {
  requireNamespace(ctx, req.params.namespace, 'get');
  const { value } = (await kvOp(ctx.platform, 'get', {
    namespaceId: req.params.namespace,
    key: req.params.key,
  })) as {
    value: string | null;
  };
  if (value === null) throw new CfError(404, CF_CODES.kvKeyNotFound, "get: 'key not found'");
  // Values are answered raw, not in the envelope, as Cloudflare does.
  return new RawAnswer(200, value, 'application/octet-stream');
}

/** The value is the raw body, or the `value` part of a multipart body (with `metadata`). */
async function putValue(ctx: CfContext, req: CfRequest) {
  requireNamespace(ctx, req.params.namespace, 'put');
  let value = req.body.toString('utf8');
  if (req.headers['content-type']?.startsWith('multipart/form-data')) {
    const part = (await parseMultipart(req.body, req.headers['content-type'])).find(
      (p) => p.name === 'value',
    );
    if (!part) throw invalid('Missing value field', CF_CODES.invalidField);
    value = part.content.toString('utf8');
  }
  if (req.params.key.length > 512) throw new CfError(414, 10033, 'key too long: the limit is 512 bytes');
  await kvOp(ctx.platform, 'put', { namespaceId: req.params.namespace, key: req.params.key, value });
  return {};
}

async function deleteValue(ctx: CfContext, req: CfRequest) {
  requireNamespace(ctx, req.params.namespace, 'remove key');
  await kvOp(ctx.platform, 'delete', { namespaceId: req.params.namespace, key: req.params.key });
  return {};
}

/** Keys in name order, `limit` (10-1000, default 1000) at a time; the cursor is the offset of the next page. */
async function listKeys(ctx: CfContext, req: CfRequest) {
  requireNamespace(ctx, req.params.namespace, 'list keys');
  const limit = Number(req.query.get('limit') ?? 1000);
  // The API's schema bounds limit to 10..1000; a value outside is a field error (10001), as for any schema check.
  if (!Number.isInteger(limit) || limit < 10 || limit > 1000)
    throw invalid(
      `limit: must be an integer from 10 to 1000, got ${req.query.get('limit')}`,
      CF_CODES.invalidField,
    );
  const { keys } = (await kvOp(ctx.platform, 'list', {
    namespaceId: req.params.namespace,
    prefix: req.query.get('prefix') ?? undefined,
  })) as { keys: string[] };
  const cursor = req.query.get('cursor');
  const start = cursor ? Number.parseInt(Buffer.from(cursor, 'base64url').toString(), 10) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw invalid('cursor: not a cursor this API returned', CF_CODES.invalidField);
  const page = keys.slice(start, start + limit);
  const next = start + limit < keys.length ? Buffer.from(String(start + limit)).toString('base64url') : '';
  return new Paged(
    page.map((name) => ({ name })),
    { count: page.length, cursor: next },
  );
}

export const kvRoutes: CfRoute[] = [
  {
    method: 'GET',
    path: '/accounts/:account/storage/kv/namespaces',
    handle: (ctx, req) =>
      paginate(
        namespaces(ctx).map((n) => ({ ...n, supports_url_encoding: true })),
        req.query,
        20,
        100,
      ),
  },
  {
    method: 'GET',
    path: NS,
    handle: (ctx, req) => {
      const found = namespaces(ctx).find((n) => n.id === req.params.namespace);
      if (!found)
        throw new CfError(404, CF_CODES.kvNamespaceNotFound, "get namespace: 'namespace not found'");
      return { ...found, supports_url_encoding: true };
    },
  },
  { method: 'GET', path: `${NS}/values/:key`, handle: getValue },
  { method: 'PUT', path: `${NS}/values/:key`, handle: putValue },
  { method: 'DELETE', path: `${NS}/values/:key`, handle: deleteValue },
  { method: 'GET', path: `${NS}/keys`, handle: listKeys },
];
