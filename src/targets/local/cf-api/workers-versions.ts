import { CF_CODES } from './codes.ts';
import type { CfContext, CfRequest, CfRoute } from './context.ts';
import { recordDeployment } from './deployments.ts';
import { CfError, Paged, paginate } from './envelope.ts';
import {
  DEPLOYABLE_VERSIONS,
  requireScript,
  scriptExists,
  scriptMigrationTag,
  scriptVersions,
  versionJson,
} from './scripts.ts';
import { uploadVersion } from './upload.ts';

const SCRIPT = '/accounts/:account/workers/scripts/:script';

/** Unconfirmed (see codes.ts); wrangler only reads the message. */
export const VERSION_NOT_FOUND = CF_CODES.versionNotFound;

/** `POST …/versions`: a new version at 0%. The first version of a script comes only through `PUT scripts/{s}`. */
async function uploadNewVersion(ctx: CfContext, req: CfRequest) {
  requireScript(ctx, req.params.script);
  const { version } = await uploadVersion(ctx, req, req.params.script, 'versions');
  return versionJson(ctx, ctx.platform.store.get(version.id) ?? fail(version.id));
}

/**
 * `PUT scripts/{s}`: the non-versioned upload (`wrangler deploy` of a new Worker): upload and serve at 100%, on
 * the Worker's own platform when it is not the account's first (account-scripts.ts).
 */
async function uploadScript(ctx: CfContext, req: CfRequest) {
  const script = req.params.script;
  const { version, info } = await uploadVersion(ctx, req, script, 'script').catch(async (err) => {
    // A new Worker whose first upload is refused leaves nothing behind: no platform, no folder, no name listed.
    if (ctx.scripts.isApart(script) && !scriptExists(ctx, script)) await ctx.scripts.remove(script);
    throw err;
  });
  await ctx.platform.setTraffic(
    [{ version: version.id, percent: 100 }],
    info.annotations['workers/message'] ?? null,
  );
  recordDeployment(ctx, script, [{ version_id: version.id, percentage: 100 }], info.annotations, 'wrangler');
  const record = ctx.store.ensureScript(script);
  return {
    id: script,
    etag: info.etag,
    handlers: ['fetch'],
    created_on: record.createdOn,
    modified_on: record.modifiedOn,
    usage_model: 'standard',
    compatibility_date: info.compatibilityDate,
    compatibility_flags: info.compatibilityFlags,
    deployment_id: version.id,
    startup_time_ms: 0,
    has_assets: ctx.platform.store.get(version.id)?.settings.assets != null,
    has_modules: true,
    logpush: false,
    placement_mode: null,
    tail_consumers: null,
    migration_tag: scriptMigrationTag(ctx, script),
  };
}

function listVersions(ctx: CfContext, req: CfRequest) {
  requireScript(ctx, req.params.script);
  const versions = scriptVersions(ctx, req.params.script);
  // As the API documents it, `deployable=true` lists every deployable version and ignores per_page. A later page
  // is empty, so a client that pages until an empty page (the official SDK) stops after the first.
  if (req.query.get('deployable') === 'true') {
    const page = Number(req.query.get('page') ?? 1);
    const deployable = page > 1 ? [] : versions.slice(0, DEPLOYABLE_VERSIONS);
    return new Paged(
      { items: deployable.map((v) => versionJson(ctx, v)) },
      { count: deployable.length, total_count: deployable.length },
    );
  }
  const page = paginate(versions, req.query, 10, 100);
  return new Paged({ items: (page.items as typeof versions).map((v) => versionJson(ctx, v)) }, page.info);
}

function getVersion(ctx: CfContext, req: CfRequest) {
  requireScript(ctx, req.params.script);
  const v = ctx.platform.store.get(req.params.version);
  if (!v || v.worker !== req.params.script) throw fail(req.params.version);
  return versionJson(ctx, v);
}

function fail(id: string): never {
  throw new CfError(404, VERSION_NOT_FOUND, `Version ${id} not found`);
}

/** Every Worker of the account, each read from the platform that runs it. */
async function listScripts(ctx: CfContext) {
  const names = new Set([
    ...Object.keys(ctx.store.state.scripts),
    ...ctx.platform.store.list().map((v) => v.worker),
  ]);
  const scripts = [];
  for (const id of names) {
    const versions = scriptVersions(await ctx.scripts.context(ctx, id, false), id);
    scripts.push({
      id,
      etag: versions[0]?.hash ?? '',
      handlers: ['fetch'],
      created_on: ctx.store.script(id)?.createdOn ?? versions.at(-1)?.createdAt,
      modified_on: ctx.store.script(id)?.modifiedOn ?? versions[0]?.createdAt,
      usage_model: 'standard',
      has_assets: versions[0]?.settings.assets != null,
      has_modules: true,
    });
  }
  return scripts;
}

export const versionRoutes: CfRoute[] = [
  { method: 'GET', path: '/accounts/:account/workers/scripts', handle: listScripts },
  { method: 'PUT', path: SCRIPT, handle: uploadScript, createsScript: true },
  { method: 'POST', path: `${SCRIPT}/versions`, handle: uploadNewVersion },
  { method: 'GET', path: `${SCRIPT}/versions`, handle: listVersions },
  { method: 'GET', path: `${SCRIPT}/versions/:version`, handle: getVersion },
];
