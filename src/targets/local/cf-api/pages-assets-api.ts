import { CF_CODES } from './codes.ts';
import { bearer, type CfContext, type CfRequest, type CfRoute, jsonBody } from './context.ts';
import { CfError } from './envelope.ts';

/** wrangler checks the file count against this claim before uploading (Cloudflare's default is 20,000). */
const MAX_FILES = 20_000;

/** `GET …/pages/projects/{p}/upload-token`: a JWT for the `/pages/assets/*` endpoints of this project. */
export function uploadToken(ctx: CfContext, project: string) {
  return {
    jwt: ctx.assets.sign({ sub: 'pages-upload', project, max_file_count_allowed: MAX_FILES }),
  };
}

function hashes(req: CfRequest): string[] {
  const list = jsonBody(req).hashes;
  if (!Array.isArray(list) || !list.every((h) => typeof h === 'string')) {
    throw new CfError(400, CF_CODES.invalidField, 'hashes: expected a list of file hashes');
  }
  return list;
}

/** `POST /pages/assets/check-missing` `{hashes}`: the ones not uploaded yet. */
function checkMissing(ctx: CfContext, req: CfRequest) {
  ctx.assets.verify(bearer(req), 'pages-upload');
  return hashes(req).filter((h) => !ctx.assets.has(h));
}

/** `POST /pages/assets/upload`: `[{key, value, metadata: {contentType}, base64}]`, stored by key (the hash). */
function upload(ctx: CfContext, req: CfRequest) {
  ctx.assets.verify(bearer(req), 'pages-upload');
  let files: unknown;
  try {
    files = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new CfError(400, CF_CODES.malformedJson, 'Malformed JSON in request body');
  }
  if (!Array.isArray(files)) throw new CfError(400, CF_CODES.invalidField, 'expected a list of files');
  for (const f of files as Array<{ key?: unknown; value?: unknown; base64?: unknown }>) {
    if (typeof f?.key !== 'string' || typeof f.value !== 'string') {
      throw new CfError(400, CF_CODES.invalidField, 'each file needs a string key and value');
    }
    ctx.assets.put(f.key, f.base64 === false ? Buffer.from(f.value) : Buffer.from(f.value, 'base64'));
  }
  return null;
}

/** `POST /pages/assets/upsert-hashes`: Cloudflare refreshes the hashes' cache lifetime; every upload is kept here. */
function upsertHashes(ctx: CfContext, req: CfRequest) {
  ctx.assets.verify(bearer(req), 'pages-upload');
  hashes(req);
  return null;
}

export const pagesAssetRoutes: CfRoute[] = [
  { method: 'POST', path: '/pages/assets/check-missing', handle: checkMissing, auth: 'upload-jwt' },
  { method: 'POST', path: '/pages/assets/upload', handle: upload, auth: 'upload-jwt' },
  { method: 'POST', path: '/pages/assets/upsert-hashes', handle: upsertHashes, auth: 'upload-jwt' },
];
