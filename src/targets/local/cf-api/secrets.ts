import { CF_CODES } from './codes.ts';
import type { CfContext, CfRequest, CfRoute } from './context.ts';
import { jsonBody } from './context.ts';
import { recordDeployment } from './deployments.ts';
import { CfError, invalid } from './envelope.ts';
import { deployments, requireScript, scriptVersions, versionInfo } from './scripts.ts';
import type { CfBinding, CfVersionInfo } from './state.ts';

const SECRETS = '/accounts/:account/workers/scripts/:script/secrets';

/** The version serving 100% (or the larger share): secrets are read from and written onto it. */
function servingVersion(ctx: CfContext, script: string) {
  const d = deployments(ctx, script)[0];
  if (!d) return undefined;
  const top = [...d.versions].sort((a, b) => b.percentage - a.percentage)[0];
  return ctx.platform.store.get(top.version_id);
}

function listSecrets(ctx: CfContext, req: CfRequest) {
  requireScript(ctx, req.params.script);
  const v = servingVersion(ctx, req.params.script);
  if (!v) return [];
  return versionInfo(ctx, v)
    .bindings.filter((b) => b.type === 'secret_text')
    .map((b) => ({ name: b.name, type: 'secret_text' }));
}

/**
 * A secret change is a new version deployed at 100%, as on Cloudflare; it is refused (10215) while the newest
 * version is not the one fully deployed, since that would silently deploy or drop it.
 */
async function changeSecrets(ctx: CfContext, script: string, change: (bindings: CfBinding[]) => CfBinding[]) {
  requireScript(ctx, script);
  const newest = scriptVersions(ctx, script)[0];
  const d = deployments(ctx, script)[0];
  const full = d?.versions.length === 1 && d.versions[0].version_id === newest?.id;
  if (!newest || !full) {
    throw new CfError(
      400,
      10215,
      "Secret edit failed. You attempted to modify a secret, but the latest version of your Worker isn't currently deployed. Please ensure that the latest version of your Worker is fully deployed (wrangler versions deploy) before modifying secrets.",
    );
  }
  const base = versionInfo(ctx, newest);
  const bindings = change(base.bindings.map((b) => ({ ...b })));
  const vars: Record<string, string> = {};
  for (const b of bindings)
    if (b.type === 'plain_text' || b.type === 'secret_text') vars[b.name] = String(b.text ?? '');
  // JSON bindings stay values (settings.bindings.jsonVars); older versions kept them as text in vars.
  const jsonVars = newest.settings.bindings?.jsonVars ?? {};
  for (const b of bindings)
    if (b.type === 'json' && !(b.name in jsonVars)) vars[b.name] = JSON.stringify(b.json);
  const version = await ctx.platform.upload({
    artifact: {
      worker: script,
      dir: ctx.platform.store.dirs(newest.id).bundle,
      mainModule: newest.mainModule,
      hash: '',
      assetsDir: newest.settings.assets ? ctx.platform.store.dirs(newest.id).assets : null,
    },
    meta: { message: 'secret change' },
    settings: { ...newest.settings, vars },
  });
  const record = ctx.store.ensureScript(script);
  const info: CfVersionInfo = {
    ...base,
    number: record.nextNumber++,
    createdOn: version.createdAt,
    source: 'api',
    annotations: { 'workers/triggered_by': 'secret' },
    bindings,
    etag: version.hash,
  };
  ctx.store.state.versions[version.id] = info;
  await ctx.platform.setTraffic([{ version: version.id, percent: 100 }], 'secret change');
  recordDeployment(
    ctx,
    script,
    [{ version_id: version.id, percentage: 100 }],
    { 'workers/triggered_by': 'secret' },
    'api',
  );
}

async function putSecret(ctx: CfContext, req: CfRequest) {
  const body = jsonBody(req);
  if (typeof body.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(body.name)) {
    throw invalid('name must be a valid binding name');
  }
  if (typeof body.text !== 'string') throw invalid('text must be a string');
  const type = body.type ?? 'secret_text';
  if (type !== 'secret_text') throw invalid('only secret_text secrets are run here');
  const name = body.name;
  await changeSecrets(ctx, req.params.script, (bindings) => [
    ...bindings.filter((b) => b.name !== name),
    { type: 'secret_text', name, text: body.text },
  ]);
  return { name, type: 'secret_text' };
}

async function deleteSecret(ctx: CfContext, req: CfRequest) {
  const name = req.params.name;
  requireScript(ctx, req.params.script);
  const v = servingVersion(ctx, req.params.script);
  if (!v || !versionInfo(ctx, v).bindings.some((b) => b.type === 'secret_text' && b.name === name)) {
    throw new CfError(404, CF_CODES.bindingNotFound, `Binding '${name}' not found.`);
  }
  await changeSecrets(ctx, req.params.script, (bindings) => bindings.filter((b) => b.name !== name));
  return null;
}

export const secretRoutes: CfRoute[] = [
  { method: 'GET', path: SECRETS, handle: listSecrets },
  { method: 'PUT', path: SECRETS, handle: putSecret },
  {
    method: 'GET',
    path: `${SECRETS}/:name`,
    handle: (ctx, req) => {
      const found = listSecrets(ctx, req).find((s) => s.name === req.params.name);
      if (!found) throw new CfError(404, CF_CODES.bindingNotFound, `Binding '${req.params.name}' not found.`);
      return found;
    },
  },
  { method: 'DELETE', path: `${SECRETS}/:name`, handle: deleteSecret },
];
