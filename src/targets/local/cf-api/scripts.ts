import { randomUUID } from 'node:crypto';
import type { StoredVersion } from '../version-store.ts';
import type { CfContext } from './context.ts';
import { CfError } from './envelope.ts';
import { AUTHOR, type CfDeployment, type CfVersionInfo, digest } from './state.ts';
import { migrationTag, snapshotBindings } from './upload-bindings.ts';

/** Cloudflare keeps every version, but only the newest 100 can be deployed or rolled back to. */
export const DEPLOYABLE_VERSIONS = 100;

export function scriptNotFound(): CfError {
  return new CfError(404, 10007, 'This Worker does not exist on your account.');
}

/** The script's versions, newest first. */
export function scriptVersions(ctx: CfContext, script: string): StoredVersion[] {
  return ctx.platform.store
    .list()
    .filter((v) => v.worker === script)
    .reverse();
}

export function scriptExists(ctx: CfContext, script: string): boolean {
  return ctx.store.script(script) !== undefined || scriptVersions(ctx, script).length > 0;
}

/** 404 10007 unless the script has been deployed (through this API or the control API). */
export function requireScript(ctx: CfContext, script: string): void {
  if (!scriptExists(ctx, script)) throw scriptNotFound();
}

/** What Cloudflare knows of a version; versions uploaded through the control API get a record made up from the store. */
export function versionInfo(ctx: CfContext, v: StoredVersion): CfVersionInfo {
  const known = ctx.store.state.versions[v.id];
  if (known) return known;
  const all = ctx.platform.store.list().filter((x) => x.worker === v.worker);
  const s = v.settings;
  return {
    script: v.worker,
    number: all.findIndex((x) => x.id === v.id) + 1,
    createdOn: v.createdAt,
    source: 'shipshape',
    authorEmail: AUTHOR,
    annotations: {
      ...(v.message ? { 'workers/message': v.message } : {}),
      ...(v.tag ? { 'workers/tag': v.tag } : {}),
    },
    bindings: snapshotBindings(s),
    compatibilityDate: s.compatibilityDate,
    compatibilityFlags: s.compatibilityFlags,
    mainModule: v.mainModule,
    etag: v.hash,
  };
}

/** The script's Durable Object migration tag (its newest version's), as `migration_tag` reports it. */
export function scriptMigrationTag(ctx: CfContext, script: string): string | null {
  return migrationTag(scriptVersions(ctx, script)[0]?.settings.bindings?.doMigrations ?? []);
}

/** Bindings as the API lists them: secrets by name and type only. */
export function publicBindings(info: CfVersionInfo) {
  return info.bindings.map((b) => (b.type === 'secret_text' ? { type: b.type, name: b.name } : b));
}

/** Names and values of a version's secrets, as a digest: the 10220 guard compares them. */
export function secretsDigest(info: CfVersionInfo): string {
  const secrets = info.bindings
    .filter((b) => b.type === 'secret_text')
    .map((b) => [b.name, b.text])
    .sort();
  return digest(secrets);
}

/** `GET …/versions/{id}`'s shape (the SDK's VersionGetResponse), every field wrangler reads present. */
export function versionJson(ctx: CfContext, v: StoredVersion) {
  const info = versionInfo(ctx, v);
  return {
    id: v.id,
    number: info.number,
    metadata: {
      author_id: 'local',
      author_email: info.authorEmail,
      created_on: info.createdOn,
      modified_on: info.createdOn,
      source: info.source,
      hasPreview: false,
      has_preview: false,
    },
    annotations: { 'workers/triggered_by': 'upload', ...info.annotations },
    resources: {
      bindings: publicBindings(info),
      script: {
        etag: info.etag,
        handlers: ['fetch'],
        last_deployed_from: info.source === 'wrangler' ? 'wrangler' : 'api',
      },
      script_runtime: {
        compatibility_date: info.compatibilityDate,
        compatibility_flags: info.compatibilityFlags,
        usage_model: 'standard',
        limits: { cpu_ms: 30000 },
      },
    },
    startup_time_ms: 0,
  };
}

/**
 * The script's deployments, newest (the one serving) first. A split made outside this API (shipshape's control
 * API, `shipshape rollback`) is recorded here the first time it is seen, so both views agree.
 */
export function deployments(ctx: CfContext, script: string): CfDeployment[] {
  const record = ctx.store.script(script);
  const list = record?.deployments ?? [];
  const live = ctx.platform.deployment();
  const serving = live.split.length > 0 && ctx.platform.store.get(live.split[0].version)?.worker === script;
  if (!serving) return list;
  const same = (d: CfDeployment | undefined) =>
    !!d &&
    d.versions.length === live.split.length &&
    live.split.every((s) => d.versions.some((v) => v.version_id === s.version && v.percentage === s.percent));
  if (same(list[0])) return list;
  const synthetic: CfDeployment = {
    id: randomUUID(),
    created_on: live.since ?? new Date().toISOString(),
    source: 'shipshape',
    strategy: 'percentage',
    author_email: AUTHOR,
    annotations: { 'workers/triggered_by': 'deployment' },
    versions: live.split.map((s) => ({ version_id: s.version, percentage: s.percent })),
  };
  const script_ = ctx.store.ensureScript(script);
  script_.deployments.unshift(synthetic);
  ctx.store.save();
  return script_.deployments;
}
