import type { CfContext, CfRequest, CfRoute } from './context.ts';
import { jsonBody } from './context.ts';
import { CfError } from './envelope.ts';
import { publicBindings, scriptExists, scriptMigrationTag, scriptVersions, versionInfo } from './scripts.ts';

const SCRIPT = '/accounts/:account/workers/scripts/:script';

/** `GET services/{s}`: wrangler reads `default_environment.script` (tag, tags, last_deployed_from). */
function service(ctx: CfContext, req: CfRequest) {
  const name = req.params.script;
  // 10090 on this path (wrangler treats it, like 10007, as "no such Worker": deploy creates it).
  if (!scriptExists(ctx, name)) throw new CfError(404, 10090, 'workers.api.error.service_not_found');
  const newest = scriptVersions(ctx, name)[0];
  const record = ctx.store.script(name);
  const created =
    record?.createdOn ?? scriptVersions(ctx, name).at(-1)?.createdAt ?? new Date().toISOString();
  const modified = record?.modifiedOn ?? newest?.createdAt ?? created;
  return {
    id: name,
    default_environment: {
      environment: 'production',
      created_on: created,
      modified_on: modified,
      script: {
        id: name,
        tag: tagOf(name),
        tags: (record?.settings.tags as string[] | undefined) ?? [],
        etag: newest?.hash ?? '',
        handlers: ['fetch'],
        modified_on: modified,
        created_on: created,
        usage_model: 'standard',
        compatibility_date: newest?.settings.compatibilityDate ?? null,
        last_deployed_from: 'wrangler',
        migration_tag: scriptMigrationTag(ctx, name),
      },
    },
    created_on: created,
    modified_on: modified,
    usage_model: 'standard',
    environments: [{ environment: 'production', created_on: created, modified_on: modified }],
  };
}

function tagOf(name: string): string {
  return Buffer.from(name).toString('hex').padEnd(32, '0').slice(0, 32);
}

function requireScript(ctx: CfContext, name: string): void {
  if (!scriptExists(ctx, name)) throw new CfError(404, 10007, 'This Worker does not exist on your account.');
}

/** `GET scripts/{s}/settings`: the serving version's bindings and runtime settings, plus script-level ones. */
function settings(ctx: CfContext, req: CfRequest) {
  requireScript(ctx, req.params.script);
  const newest = scriptVersions(ctx, req.params.script)[0];
  const info = newest ? versionInfo(ctx, newest) : undefined;
  return {
    bindings: info ? publicBindings(info) : [],
    compatibility_date: info?.compatibilityDate ?? null,
    compatibility_flags: info?.compatibilityFlags ?? [],
    ...scriptSettings(ctx, req),
    usage_model: 'standard',
    placement: {},
    limits: { cpu_ms: 30000 },
  };
}

function scriptSettings(ctx: CfContext, req: CfRequest) {
  requireScript(ctx, req.params.script);
  const saved = ctx.store.script(req.params.script)?.settings ?? {};
  return {
    logpush: false,
    observability: { enabled: false },
    tags: [],
    tail_consumers: [],
    ...saved,
  };
}

/** PATCH of settings: script-level keys only (logpush, observability, tags, tail_consumers) are kept. */
function patchSettings(ctx: CfContext, req: CfRequest) {
  requireScript(ctx, req.params.script);
  const body = req.headers['content-type']?.startsWith('multipart/') ? {} : jsonBody(req);
  const record = ctx.store.ensureScript(req.params.script);
  for (const key of ['logpush', 'observability', 'tags', 'tail_consumers']) {
    if (body[key] !== undefined && body[key] !== null) record.settings[key] = body[key];
  }
  ctx.store.save();
  return scriptSettings(ctx, req);
}

/** `GET workers/workers/{s}`, the newer Workers API: wrangler reads `subdomain`. */
function worker(ctx: CfContext, req: CfRequest) {
  const name = req.params.script;
  requireScript(ctx, name);
  const s = scriptSettings(ctx, req);
  const record = ctx.store.script(name);
  return {
    id: tagOf(name),
    name,
    created_on: record?.createdOn ?? null,
    updated_on: record?.modifiedOn ?? null,
    subdomain: { enabled: false, previews_enabled: false },
    observability: s.observability,
    logpush: s.logpush,
    tags: s.tags,
    tail_consumers: s.tail_consumers,
    references: {
      dispatch_namespace_outbounds: [],
      domains: [],
      durable_objects: [],
      queues: [],
      workers: [],
    },
  };
}

export const serviceRoutes: CfRoute[] = [
  { method: 'GET', path: '/accounts/:account/workers/services/:script', handle: service },
  { method: 'GET', path: `${SCRIPT}/settings`, handle: settings },
  { method: 'PATCH', path: `${SCRIPT}/settings`, handle: patchSettings },
  { method: 'GET', path: `${SCRIPT}/script-settings`, handle: scriptSettings },
  { method: 'PATCH', path: `${SCRIPT}/script-settings`, handle: patchSettings },
  { method: 'GET', path: '/accounts/:account/workers/workers/:script', handle: worker },
  {
    method: 'GET',
    path: `${SCRIPT}/subdomain`,
    handle: (ctx, req) => {
      requireScript(ctx, req.params.script);
      return { enabled: false, previews_enabled: false };
    },
  },
  {
    // workers.dev is not served locally: the data plane is the only address, whatever is asked.
    method: 'POST',
    path: `${SCRIPT}/subdomain`,
    handle: (ctx, req) => {
      requireScript(ctx, req.params.script);
      return { enabled: false, previews_enabled: false };
    },
  },
  { method: 'GET', path: '/accounts/:account/workers/subdomain', handle: () => ({ subdomain: 'local' }) },
];
