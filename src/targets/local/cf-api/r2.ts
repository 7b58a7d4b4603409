import { loadWorkerConfig } from '../../../config/wrangler.ts';
import { CF_CODES } from './codes.ts';
import { type CfContext, type CfRequest, type CfRoute, jsonBody } from './context.ts';
import { CfError } from './envelope.ts';

/** Cloudflare's bucket names: 3 to 63 lowercase letters, digits and hyphens, not starting or ending with one. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * The account's R2 buckets: those created through the API, those a stored version binds and those the project's
 * wrangler config names (the local runtime creates a bucket's storage on first use).
 */
function buckets(ctx: CfContext): Map<string, string> {
  const out = new Map<string, string>(Object.entries(ctx.store.state.r2));
  const since = ctx.platform.startedAt.toISOString();
  for (const v of ctx.platform.store.list()) {
    for (const r of v.settings.bindings?.r2 ?? [])
      if (!out.has(r.bucketName)) out.set(r.bucketName, v.createdAt);
  }
  try {
    const config = loadWorkerConfig(ctx.platform.projectDir, ctx.platform.paths.env);
    for (const r of config.bindings.r2) if (!out.has(r.bucketName)) out.set(r.bucketName, since);
  } catch {
    // no readable wrangler config: only the buckets above
  }
  return out;
}

const bucketJson = (name: string, created: string) => ({
  name,
  creation_date: created,
  location: 'LOCAL',
  storage_class: 'Standard',
});

function getBucket(ctx: CfContext, req: CfRequest) {
  const created = buckets(ctx).get(req.params.bucket);
  if (!created) throw new CfError(404, CF_CODES.r2BucketNotFound, 'The specified bucket does not exist.');
  return bucketJson(req.params.bucket, created);
}

function createBucket(ctx: CfContext, req: CfRequest) {
  const name = jsonBody(req).name;
  if (typeof name !== 'string' || !BUCKET_NAME.test(name)) {
    throw new CfError(400, CF_CODES.invalidField, 'name: 3 to 63 lowercase letters, digits and hyphens');
  }
  const known = buckets(ctx).get(name);
  if (known) return bucketJson(name, known);
  ctx.store.state.r2[name] = new Date().toISOString();
  ctx.store.save();
  return bucketJson(name, ctx.store.state.r2[name]);
}

export const r2Routes: CfRoute[] = [
  {
    method: 'GET',
    path: '/accounts/:account/r2/buckets',
    handle: (ctx) => ({ buckets: [...buckets(ctx)].map(([name, created]) => bucketJson(name, created)) }),
  },
  { method: 'POST', path: '/accounts/:account/r2/buckets', handle: createBucket },
  { method: 'GET', path: '/accounts/:account/r2/buckets/:bucket', handle: getBucket },
];
