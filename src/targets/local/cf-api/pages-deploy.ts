import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { pagesEntrySource } from '../../build/pages-entry.ts';
import { PAGES_ENTRY, PAGES_FUNCTIONS_DIR, PAGES_OUTPUT_DIR } from '../../build/pages-layout.ts';
import { ALL_ROUTES, readPagesRoutes } from '../../build/pages-routes.ts';
import type { Version } from '../../target.ts';
import type { LocalPlatform } from '../platform.ts';
import type { AssetManifest } from './asset-uploads.ts';
import { CF_CODES } from './codes.ts';
import type { CfContext } from './context.ts';
import { CfError } from './envelope.ts';
import { parseMultipart, type UploadPart } from './multipart.ts';
import type { CfBinding } from './state.ts';
import { bindingsSnapshot, checkRunnable } from './upload-bindings.ts';

/** Used when neither the Functions bundle nor the project's deployment config names a compatibility date. */
export const PAGES_DEFAULT_COMPATIBILITY_DATE = '2025-09-01';

/** What `wrangler pages deploy` posts to `…/deployments` (multipart), read into parts. */
export interface PagesUpload {
  manifest: AssetManifest;
  workerBundle: Buffer | null;
  routes: Buffer | null;
  headers: Buffer | null;
  redirects: Buffer | null;
  fields: Record<string, string>;
}

export async function readPagesUpload(body: Buffer, contentType: string | undefined): Promise<PagesUpload> {
  const parts = await parseMultipart(body, contentType);
  const part = (name: string) => parts.find((p) => p.name === name)?.content ?? null;
  const manifestText = part('manifest')?.toString('utf8');
  if (!manifestText)
    throw new CfError(400, CF_CODES.invalidField, 'manifest: the deployment has no manifest');
  let manifest: AssetManifest;
  try {
    manifest = JSON.parse(manifestText) as AssetManifest;
  } catch {
    throw new CfError(400, CF_CODES.invalidField, 'manifest: not JSON');
  }
  const fields: Record<string, string> = {};
  for (const p of parts) if (p.filename === null) fields[p.name] = p.content.toString('utf8');
  return {
    manifest,
    workerBundle: part('_worker.bundle'),
    routes: part('_routes.json'),
    headers: part('_headers'),
    redirects: part('_redirects'),
    fields,
  };
}

/**
 * Lays the upload out as a local Pages version (see pages-layout.ts) and uploads it at 0% to the project's own
 * platform (pages-sites.ts): the static output from
 * the stored assets (plus `_headers` and `_redirects`), the Functions or `_worker.js` modules of `_worker.bundle`
 * (itself a Worker upload: metadata and modules), and the generated entry that routes by `_routes.json`.
 */
export async function uploadPagesVersion(
  ctx: CfContext,
  platform: LocalPlatform,
  project: string,
  upload: PagesUpload,
  config: Record<string, unknown>,
  message: string | null,
): Promise<{ version: Version; usesFunctions: boolean }> {
  const dir = mkdtempSync(join(platform.paths.root, 'cf-pages-'));
  try {
    const output = join(dir, PAGES_OUTPUT_DIR);
    mkdirSync(output, { recursive: true });
    ctx.assets.materialize(upload.manifest, output);
    if (upload.headers) writeFileSync(join(output, '_headers'), upload.headers);
    if (upload.redirects) writeFileSync(join(output, '_redirects'), upload.redirects);
    const code = upload.workerBundle
      ? await writeWorkerBundle(upload.workerBundle, join(dir, PAGES_FUNCTIONS_DIR))
      : null;
    const routes = code ? routesOf(upload.routes, dir) : null;
    writeFileSync(
      join(dir, PAGES_ENTRY),
      pagesEntrySource(code && routes ? { module: `./${PAGES_FUNCTIONS_DIR}/${code.main}`, routes } : null),
    );
    const envVars = Object.entries(
      (config.env_vars ?? {}) as Record<string, { type?: string; value?: unknown }>,
    )
      .filter(([, v]) => v && typeof v.value === 'string')
      .map(([name, v]) => ({
        type: v.type === 'secret_text' ? 'secret_text' : 'plain_text',
        name,
        text: v.value,
      }));
    const bindings = [...envVars, ...(code?.bindings ?? [])] as CfBinding[];
    for (const b of bindings) checkRunnable(b, project);
    const date = code?.compatibilityDate ?? (config.compatibility_date as string | undefined);
    const settings = bindingsSnapshot(
      ctx.platform.paths.env,
      {
        compatibilityDate: date ?? PAGES_DEFAULT_COMPATIBILITY_DATE,
        compatibilityFlags:
          code?.compatibilityFlags ?? (config.compatibility_flags as string[] | undefined) ?? [],
        migrations: [],
      },
      bindings,
      null,
    );
    const version = await platform.upload({
      artifact: { worker: project, dir, mainModule: PAGES_ENTRY, hash: '', assetsDir: null },
      meta: { message: message ?? undefined },
      settings,
    });
    return { version, usesFunctions: code !== null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface WorkerBundle {
  main: string;
  bindings: CfBinding[];
  compatibilityDate: string | null;
  compatibilityFlags: string[] | null;
}

/** `_worker.bundle` is a serialised multipart form (wrangler's Worker upload form): its boundary is its first line. */
async function writeWorkerBundle(bundle: Buffer, target: string): Promise<WorkerBundle> {
  const boundary = /^--([^\r\n]+)\r?\n/.exec(bundle.subarray(0, 200).toString('latin1'))?.[1];
  if (!boundary)
    throw new CfError(400, CF_CODES.invalidField, '_worker.bundle: not a multipart Worker bundle');
  const parts = await parseMultipart(bundle, `multipart/form-data; boundary=${boundary}`);
  const meta = parts.find((p) => p.name === 'metadata');
  let metadata: Record<string, unknown> = {};
  try {
    metadata = JSON.parse(meta?.content.toString('utf8') ?? '{}') as Record<string, unknown>;
  } catch {
    throw new CfError(400, CF_CODES.invalidField, '_worker.bundle: its metadata is not JSON');
  }
  const main = metadata.main_module ?? metadata.body_part;
  if (typeof main !== 'string')
    throw new CfError(400, CF_CODES.invalidScript, '_worker.bundle: no main_module');
  for (const part of parts) if (part !== meta && !part.type.includes('source-map')) writeModule(target, part);
  if (!existsSync(join(target, main))) {
    throw new CfError(400, CF_CODES.invalidScript, `_worker.bundle: no module named "${main}"`);
  }
  return {
    main,
    bindings: Array.isArray(metadata.bindings) ? (metadata.bindings as CfBinding[]) : [],
    compatibilityDate: typeof metadata.compatibility_date === 'string' ? metadata.compatibility_date : null,
    compatibilityFlags: Array.isArray(metadata.compatibility_flags)
      ? (metadata.compatibility_flags as string[])
      : null,
  };
}

function writeModule(dir: string, part: UploadPart): void {
  const name = part.filename ?? part.name;
  if (isAbsolute(name) || name.split(/[\\/]/).includes('..')) {
    throw new CfError(
      400,
      CF_CODES.invalidScript,
      `Module name "${name}" must be a relative path inside the bundle`,
    );
  }
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, part.content);
}

/** The uploaded `_routes.json` (checked as Pages checks it), or every path to the code. */
function routesOf(routes: Buffer | null, scratch: string) {
  if (!routes) return ALL_ROUTES;
  const file = join(scratch, '_routes.json');
  writeFileSync(file, routes);
  try {
    return readPagesRoutes(file) ?? ALL_ROUTES;
  } finally {
    rmSync(file, { force: true });
  }
}
