import { randomUUID } from 'node:crypto';
import { CF_CODES } from './codes.ts';
import type { CfContext, CfRequest, CfRoute } from './context.ts';
import { jsonBody } from './context.ts';
import { CfError, invalid } from './envelope.ts';
import {
  DEPLOYABLE_VERSIONS,
  deployments,
  requireScript,
  scriptVersions,
  secretsDigest,
  versionInfo,
} from './scripts.ts';
import { AUTHOR, type CfDeployment } from './state.ts';

const DEPLOYMENTS = '/accounts/:account/workers/scripts/:script/deployments';

type Entry = { version_id: string; percentage: number };

/** Appends a deployment record (newest first) after the router has moved. */
export function recordDeployment(
  ctx: CfContext,
  script: string,
  versions: Entry[],
  annotations: Record<string, string>,
  source: string,
): CfDeployment {
  const deployment: CfDeployment = {
    id: randomUUID(),
    created_on: new Date().toISOString(),
    source,
    strategy: 'percentage',
    author_email: AUTHOR,
    annotations: { 'workers/triggered_by': 'deployment', ...annotations },
    versions,
  };
  const record = ctx.store.ensureScript(script);
  record.deployments.unshift(deployment);
  record.deployments.length = Math.min(record.deployments.length, 100);
  record.modifiedOn = deployment.created_on;
  ctx.store.save();
  return deployment;
}

/**
 * `POST …/deployments`: one or two of the newest 100 versions, percentages summing to 100. A version whose
 * secrets differ from the serving version's is refused (10220) unless `?force=true`, as Cloudflare guards a
 * rollback across a secret change. The router moves before the answer.
 */
async function createDeployment(ctx: CfContext, req: CfRequest) {
  const script = req.params.script;
  requireScript(ctx, script);
  const body = jsonBody(req);
  if (body.strategy !== 'percentage') throw invalid('strategy must be "percentage"');
  const entries = body.versions as Entry[];
  if (!Array.isArray(entries) || entries.length === 0)
    throw invalid('versions must list one or two versions');
  if (entries.length > 2) throw invalid('A deployment can have at most 2 versions', 10021);
  const deployable = new Set(
    scriptVersions(ctx, script)
      .slice(0, DEPLOYABLE_VERSIONS)
      .map((v) => v.id),
  );
  let sum = 0;
  for (const e of entries) {
    if (!e || typeof e.version_id !== 'string' || typeof e.percentage !== 'number') {
      throw invalid('each version needs version_id and percentage');
    }
    if (e.percentage < 0 || e.percentage > 100)
      throw invalid(`percentage of ${e.version_id} must be from 0 to 100`);
    const stored = ctx.platform.store.get(e.version_id);
    if (!stored || stored.worker !== script)
      throw new CfError(404, CF_CODES.versionNotFound, `Version ${e.version_id} not found`);
    if (!deployable.has(e.version_id)) {
      throw invalid(
        `Version ${e.version_id} is older than the newest ${DEPLOYABLE_VERSIONS} and cannot be deployed`,
      );
    }
    sum += e.percentage;
  }
  if (new Set(entries.map((e) => e.version_id)).size !== entries.length)
    throw invalid('a version appears twice');
  if (Math.abs(sum - 100) > 1e-9) throw invalid(`percentages must sum to 100, got ${sum}`);
  if (req.query.get('force') !== 'true') secretGuard(ctx, script, entries);
  const annotations: Record<string, string> = {};
  const given = body.annotations as Record<string, unknown> | undefined;
  if (typeof given?.['workers/message'] === 'string')
    annotations['workers/message'] = given['workers/message'];
  await ctx.platform.setTraffic(
    entries.map((e) => ({ version: e.version_id, percent: e.percentage })),
    annotations['workers/message'] ?? null,
  );
  return recordDeployment(ctx, script, entries, annotations, sourceOf(req));
}

function secretGuard(ctx: CfContext, script: string, entries: Entry[]): void {
  const serving = deployments(ctx, script)[0];
  if (!serving) return;
  const top = [...serving.versions].sort((a, b) => b.percentage - a.percentage)[0];
  const current = ctx.platform.store.get(top.version_id);
  if (!current) return;
  const now = secretsDigest(versionInfo(ctx, current));
  for (const e of entries) {
    if (serving.versions.some((v) => v.version_id === e.version_id)) continue;
    const v = ctx.platform.store.get(e.version_id);
    if (v && secretsDigest(versionInfo(ctx, v)) !== now) {
      throw new CfError(
        400,
        10220,
        `A secret has changed since version ${e.version_id} was active. If you are sure this is ok, add ?force=true to the URL.`,
      );
    }
  }
}

function sourceOf(req: CfRequest): string {
  return String(req.headers['user-agent'] ?? '').includes('wrangler') ? 'wrangler' : 'api';
}

export const deploymentRoutes: CfRoute[] = [
  {
    method: 'GET',
    path: DEPLOYMENTS,
    handle: (ctx, req) => {
      requireScript(ctx, req.params.script);
      return { deployments: deployments(ctx, req.params.script) };
    },
  },
  { method: 'POST', path: DEPLOYMENTS, handle: createDeployment },
  {
    method: 'GET',
    path: `${DEPLOYMENTS}/:deployment`,
    handle: (ctx, req) => {
      requireScript(ctx, req.params.script);
      const found = deployments(ctx, req.params.script).find((d) => d.id === req.params.deployment);
      if (!found)
        throw new CfError(404, CF_CODES.versionNotFound, `Deployment ${req.params.deployment} not found`);
      return found;
    },
  },
];
