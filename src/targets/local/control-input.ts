import { existsSync, realpathSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ApiError, badRequest } from './api-error.ts';

/**
 * Largest request body the control API reads. Uploads carry paths, not bundles, and a D1 statement is capped
 * at 100 KB on Cloudflare, so real calls stay far below this; a bigger body is refused before it is buffered.
 */
export const BODY_LIMIT = 4 * 1024 * 1024;

type Body = Record<string, unknown>;

/** Reads a JSON object body of at most `limit` bytes: 413 LOCAL_BODY_TOO_LARGE beyond, 400 when not JSON. */
export function readJsonBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<Body> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > limit) {
      // The rest of the body is read and dropped by the server once the answer is sent.
      return reject(new ApiError(413, 'LOCAL_BODY_TOO_LARGE', { size: declared, limit }));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(new ApiError(413, 'LOCAL_BODY_TOO_LARGE', { limit }));
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => reject(badRequest('the request', 'the body could not be read')));
    req.on('end', () => {
      if (refused) return;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        const value = text.trim() === '' ? {} : JSON.parse(text);
        if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
        resolve(value as Body);
      } catch {
        reject(badRequest('the request', 'the body is not a JSON object'));
      }
    });
  });
}

/**
 * Checks an upload's shape and paths before the platform reads any file: the bundle must be a folder of the
 * project or a `shipshape-build-*` folder of the temp directory (where builds go), assets must be in the
 * project, the main module a relative path inside the bundle, and the version built for the environment this
 * daemon serves. Anything else is a coded 4xx, never a read of `/etc`.
 */
export function checkUpload(body: Body, projectDir: string, env: string | null, roots: string[] = []): void {
  const artifact = body.artifact as Record<string, unknown> | undefined;
  const settings = body.settings as Record<string, unknown> | undefined;
  if (!artifact || typeof artifact !== 'object') throw badRequest('upload', 'artifact is required');
  for (const key of ['worker', 'dir', 'mainModule'] as const) {
    if (typeof artifact[key] !== 'string' || artifact[key] === '')
      throw badRequest('upload', `artifact.${key} must be a non-empty string`);
  }
  if (artifact.hash !== undefined && typeof artifact.hash !== 'string')
    throw badRequest('upload', 'artifact.hash must be a string');
  if (artifact.assetsDir != null && typeof artifact.assetsDir !== 'string')
    throw badRequest('upload', 'artifact.assetsDir must be a string or null');
  const main = artifact.mainModule as string;
  if (isAbsolute(main) || main.split(/[\\/]/).includes('..'))
    throw badRequest('upload', 'artifact.mainModule must be a path inside the bundle');
  if (
    body.meta !== undefined &&
    (typeof body.meta !== 'object' || body.meta === null || Array.isArray(body.meta))
  )
    throw badRequest('upload', 'meta must be an object');
  if (!settings || typeof settings !== 'object') throw badRequest('upload', 'settings is required');
  if (!Array.isArray(settings.d1) || !Array.isArray(settings.kv))
    throw badRequest('upload', 'settings.d1 and settings.kv must be arrays');
  if (settings.env != null && typeof settings.env !== 'string')
    throw badRequest('upload', 'settings.env must be a string or null');
  if (settings.componentServices !== undefined && !componentServicesValid(settings.componentServices))
    throw badRequest(
      'upload',
      'settings.componentServices must be a list of {binding, component} (component names)',
    );
  const given = (settings.env as string | null | undefined) ?? null;
  if (given !== env)
    throw new ApiError(409, 'LOCAL_WRONG_ENVIRONMENT', { serves: envLabel(env), given: envLabel(given) });
  const allowed = [projectDir, ...roots].map(real);
  const within = (path: string) => allowed.some((root) => inside(path, root));
  const dir = real(artifact.dir as string);
  if (!within(dir) && !isBuildFolder(dir))
    throw new ApiError(403, 'LOCAL_PATH_NOT_ALLOWED', {
      operation: 'upload',
      path: artifact.dir,
      projectDir,
    });
  if (typeof artifact.assetsDir === 'string' && !within(real(artifact.assetsDir)))
    throw new ApiError(403, 'LOCAL_PATH_NOT_ALLOWED', {
      operation: 'upload',
      path: artifact.assetsDir,
      projectDir,
    });
}

/** Component names become folder names: the same characters as environment names. */
function componentServicesValid(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (c) =>
        c !== null &&
        typeof c === 'object' &&
        typeof c.binding === 'string' &&
        typeof c.component === 'string' &&
        /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(c.component),
    )
  );
}

function envLabel(env: string | null): string {
  return env ? `environment "${env}"` : 'production (no --env)';
}

/** The real path (symlinks resolved) when the path exists, else its absolute form: a link cannot lead out. */
function real(path: string): string {
  const absolute = resolve(path);
  return existsSync(absolute) ? realpathSync(absolute) : absolute;
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** `<tmp>/shipshape-build-XXXX/bundle` or below: a build's own output folder. */
function isBuildFolder(path: string): boolean {
  const tmp = real(tmpdir());
  if (!inside(path, tmp) || path === tmp) return false;
  return relative(tmp, path).split(sep)[0].startsWith('shipshape-build-');
}
