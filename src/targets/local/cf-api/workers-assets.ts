import { CF_CODES } from './codes.ts';
import { bearer, type CfContext, type CfRequest, type CfRoute, jsonBody } from './context.ts';
import { CfError, RawAnswer } from './envelope.ts';
import { parseMultipart } from './multipart.ts';

/** Hashes per upload bucket (wrangler uploads each bucket in one request). */
const BUCKET_SIZE = 50;

/**
 * `POST …/scripts/{s}/assets-upload-session` with `{manifest: {"/path": {hash, size}}}`: the hashes the store
 * lacks, in buckets, and a token to upload them (a completion token at once when none is missing).
 */
function openSession(ctx: CfContext, req: CfRequest) {
  const given = jsonBody(req).manifest;
  if (!given || typeof given !== 'object' || Array.isArray(given)) {
    throw new CfError(400, CF_CODES.invalidField, 'manifest: expected an object of {"/path": {hash, size}}');
  }
  const manifest: Record<string, string> = {};
  for (const [path, entry] of Object.entries(given as Record<string, { hash?: unknown }>)) {
    if (typeof entry?.hash !== 'string') {
      throw new CfError(400, CF_CODES.invalidField, `manifest["${path}"].hash must be a string`);
    }
    manifest[path] = entry.hash;
  }
  const { jwt, missing } = ctx.assets.openSession(manifest);
  const buckets: string[][] = [];
  for (let i = 0; i < missing.length; i += BUCKET_SIZE) buckets.push(missing.slice(i, i + BUCKET_SIZE));
  return { jwt, buckets };
}

/**
 * `POST /accounts/{a}/workers/assets/upload?base64=true`, with the session's token: a multipart body whose
 * fields are hashes and whose values are the files, base64. 201 with the completion token after the last bucket.
 */
async function upload(ctx: CfContext, req: CfRequest) {
  const claims = ctx.assets.verify(bearer(req), 'assets-upload');
  const base64 = req.query.get('base64') === 'true';
  const parts = await parseMultipart(req.body, req.headers['content-type']);
  for (const part of parts) {
    const text = part.content.toString('utf8');
    ctx.assets.put(part.name, base64 ? Buffer.from(text, 'base64') : part.content);
  }
  const done = ctx.assets.received(
    claims.session ?? '',
    parts.map((p) => p.name),
  );
  const status = done ? 201 : 202;
  const body = { success: true, errors: [], messages: [], result: { jwt: done ?? undefined } };
  return new RawAnswer(status, JSON.stringify(body), 'application/json');
}

export const workersAssetRoutes: CfRoute[] = [
  {
    method: 'POST',
    path: '/accounts/:account/workers/scripts/:script/assets-upload-session',
    handle: openSession,
  },
  { method: 'POST', path: '/accounts/:account/workers/assets/upload', handle: upload, auth: 'upload-jwt' },
];
