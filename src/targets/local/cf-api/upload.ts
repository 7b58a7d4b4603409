import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Version } from '../../target.ts';
import type { StoredVersion } from '../version-store.ts';
import { CF_CODES } from './codes.ts';
import type { CfContext, CfRequest } from './context.ts';
import { CfError } from './envelope.ts';
import { parseMultipart, type UploadPart } from './multipart.ts';
import { scriptVersions, versionInfo } from './scripts.ts';
import { AUTHOR, type CfBinding, type CfVersionInfo } from './state.ts';
import { bindingsSnapshot, checkRunnable, nextMigrations, type UploadAssets } from './upload-bindings.ts';

/** What Cloudflare's upload metadata carries that the local platform uses. */
interface UploadMetadata {
  main_module?: string;
  body_part?: string;
  bindings?: CfBinding[];
  compatibility_date?: string;
  compatibility_flags?: string[];
  annotations?: Record<string, string>;
  keep_bindings?: string[];
  migrations?: unknown;
  assets?: { jwt?: string; config?: Record<string, unknown> };
  keep_assets?: boolean;
}

/**
 * Turns a Worker upload (multipart: `metadata` plus module parts) into a version of the local platform: the
 * modules are written to a folder under the state root, `platform.upload()` checks the version starts and stores
 * it, and the folder goes. `inherit` bindings and `keep_bindings` types come from the script's newest version.
 */
export async function uploadVersion(
  ctx: CfContext,
  req: CfRequest,
  script: string,
  source: 'versions' | 'script',
): Promise<{ version: Version; info: CfVersionInfo; metadata: UploadMetadata }> {
  const parts = await parseMultipart(req.body, req.headers['content-type']);
  const metadata = readMetadata(parts);
  if (source === 'versions' && metadata.migrations) {
    throw new CfError(
      400,
      10211,
      'Version upload does not support Durable Object migrations; deploy the migration with a non-versioned upload (wrangler deploy).',
    );
  }
  const main = metadata.main_module ?? metadata.body_part;
  if (!main)
    throw new CfError(400, 10021, 'metadata.main_module is required (service-worker syntax is not run here)');
  if (typeof metadata.compatibility_date !== 'string') {
    throw new CfError(400, 10021, 'metadata.compatibility_date is required');
  }
  const modules = parts.filter((p) => p.name !== 'metadata' && !p.type.includes('source-map'));
  if (!modules.some((p) => (p.filename ?? p.name) === main)) {
    throw new CfError(
      400,
      10021,
      `No such module "${main}": the main module must be one of the uploaded parts`,
    );
  }
  const previous = scriptVersions(ctx, script)[0];
  const bindings = resolveBindings(
    metadata,
    previous ? versionInfo(ctx, previous).bindings : [],
    req.query.get('bindings_inherit') === 'strict',
  );
  for (const b of bindings) checkRunnable(b, script);
  const migrations = nextMigrations(previous?.settings.bindings?.doMigrations ?? [], metadata.migrations);
  const dir = mkdtempSync(join(ctx.platform.paths.root, 'cf-upload-'));
  const scratch = `${dir}-assets`;
  try {
    for (const part of modules) writeModule(dir, part);
    const assets = uploadAssets(ctx, metadata, bindings, previous, scratch);
    const settings = bindingsSnapshot(
      ctx.platform.paths.env,
      {
        compatibilityDate: metadata.compatibility_date,
        compatibilityFlags: metadata.compatibility_flags ?? [],
        migrations,
      },
      bindings,
      assets.options,
    );
    const version = await ctx.platform.upload({
      artifact: { worker: script, dir, mainModule: main, hash: '', assetsDir: assets.dir },
      meta: {
        message: metadata.annotations?.['workers/message'],
        tag: metadata.annotations?.['workers/tag'],
      },
      settings,
      // A non-versioned upload is deployed at once: as on Cloudflare, it may change Durable Object migrations.
      atOnce: source === 'script',
    });
    const record = ctx.store.ensureScript(script);
    const info: CfVersionInfo = {
      script,
      number: record.nextNumber++,
      createdOn: version.createdAt,
      source: String(req.headers['user-agent'] ?? '').includes('wrangler') ? 'wrangler' : 'api',
      authorEmail: AUTHOR,
      annotations: {
        'workers/triggered_by': source === 'versions' ? 'version_upload' : 'upload',
        ...(metadata.annotations ?? {}),
      },
      bindings,
      compatibilityDate: metadata.compatibility_date,
      compatibilityFlags: metadata.compatibility_flags ?? [],
      mainModule: main,
      etag: version.hash,
    };
    record.modifiedOn = version.createdAt;
    ctx.store.state.versions[version.id] = info;
    ctx.store.save();
    return { version, info, metadata };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

function readMetadata(parts: UploadPart[]): UploadMetadata {
  const part = parts.find((p) => p.name === 'metadata');
  if (!part) throw new CfError(400, 10021, 'The upload has no metadata part');
  try {
    const value = JSON.parse(part.content.toString('utf8'));
    if (value && typeof value === 'object') return value as UploadMetadata;
  } catch {
    // answered below
  }
  throw new CfError(400, 10021, 'The metadata part is not a JSON object');
}

/** Module names are paths inside the bundle: never absolute, never out of it. */
function writeModule(dir: string, part: UploadPart): void {
  const name = part.filename ?? part.name;
  if (isAbsolute(name) || name.split(/[\\/]/).includes('..')) {
    throw new CfError(400, 10021, `Module name "${name}" must be a relative path inside the bundle`);
  }
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, part.content);
}

/**
 * The version's bindings: the uploaded ones, `inherit` entries replaced by the previous version's binding of
 * that name (strict: a missing one is an error), and the previous version's bindings of each `keep_bindings`
 * type that the upload does not name.
 */
function resolveBindings(metadata: UploadMetadata, previous: CfBinding[], strict: boolean): CfBinding[] {
  const given = Array.isArray(metadata.bindings) ? metadata.bindings : [];
  const out: CfBinding[] = [];
  for (const b of given) {
    if (!b || typeof b.name !== 'string' || typeof b.type !== 'string') {
      throw new CfError(400, 10021, 'Every binding needs a type and a name');
    }
    if (b.type !== 'inherit') {
      out.push(b);
      continue;
    }
    const old = previous.find((p) => p.name === (b.old_name ?? b.name));
    if (!old) {
      if (strict)
        throw new CfError(
          400,
          10021,
          `Binding "${b.name}" cannot be inherited: the previous version has none`,
        );
      continue;
    }
    out.push({ ...old, name: b.name });
  }
  const named = new Set(out.map((b) => b.name));
  for (const type of metadata.keep_bindings ?? []) {
    for (const b of previous) if (b.type === type && !named.has(b.name)) out.push(b);
  }
  return out;
}

/**
 * The version's static assets: the files of a finished assets upload (`metadata.assets.jwt`), the previous
 * version's with `keep_assets`, or none. Options come from `metadata.assets.config`.
 */
function uploadAssets(
  ctx: CfContext,
  metadata: UploadMetadata,
  bindings: CfBinding[],
  previous: StoredVersion | undefined,
  scratch: string,
): { dir: string | null; options: UploadAssets | null } {
  const jwt = metadata.assets?.jwt;
  if (jwt) {
    mkdirSync(scratch, { recursive: true });
    ctx.assets.materialize(ctx.assets.completed(jwt), scratch);
    return { dir: scratch, options: { config: metadata.assets?.config } };
  }
  const a = metadata.keep_assets ? previous?.settings.assets : undefined;
  if (previous && a) {
    const config = {
      not_found_handling: a.notFoundHandling ?? undefined,
      html_handling: a.htmlHandling ?? undefined,
      run_worker_first: a.runWorkerFirst ?? undefined,
      ...(metadata.assets?.config ?? {}),
    };
    return { dir: ctx.platform.store.dirs(previous.id).assets, options: { config } };
  }
  if (bindings.some((b) => b.type === 'assets')) {
    throw new CfError(
      400,
      CF_CODES.invalidScript,
      'An assets binding needs assets: upload them first (assets-upload-session) and send metadata.assets.jwt',
    );
  }
  return { dir: null, options: null };
}
