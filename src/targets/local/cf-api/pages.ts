import { randomUUID } from 'node:crypto';
import { CF_CODES } from './codes.ts';
import { type CfContext, type CfRequest, type CfRoute, jsonBody } from './context.ts';
import { CfError, paginate } from './envelope.ts';
import { uploadToken } from './pages-assets-api.ts';
import { PAGES_DEFAULT_COMPATIBILITY_DATE, readPagesUpload, uploadPagesVersion } from './pages-deploy.ts';
import { scriptExists } from './scripts.ts';
import type { CfPagesDeployment, CfPagesProject } from './state.ts';

const PROJECTS = '/accounts/:account/pages/projects';
const PROJECT = `${PROJECTS}/:project`;

/** Cloudflare's project names: lowercase letters, digits and dashes, at most 58 characters. */
const PROJECT_NAME = /^[a-z0-9][a-z0-9-]{0,57}$/;

function project(ctx: CfContext, name: string): CfPagesProject {
  const found = ctx.store.state.pages[name];
  if (!found) {
    throw new CfError(
      404,
      CF_CODES.pagesProjectNotFound,
      'Project not found. The specified project name does not match any of your existing projects.',
    );
  }
  return found;
}

async function deploymentJson(ctx: CfContext, p: CfPagesProject, d: CfPagesDeployment) {
  const stage = (name: string) => ({
    name,
    started_on: d.createdOn,
    ended_on: d.createdOn,
    status: 'success',
  });
  return {
    id: d.id,
    short_id: d.id.slice(0, 8),
    project_id: p.id,
    project_name: p.name,
    environment: d.environment,
    // Its own address, as `<short id>.<project>.pages.dev` on Cloudflare (pages-sites.ts).
    url: await ctx.pages.deploymentUrl(p.name, d.id, d.versionId),
    created_on: d.createdOn,
    modified_on: d.createdOn,
    aliases: null,
    latest_stage: stage('deploy'),
    stages: ['queued', 'initialize', 'clone_repo', 'build', 'deploy'].map(stage),
    deployment_trigger: {
      type: 'ad_hoc',
      metadata: {
        branch: d.branch ?? p.productionBranch,
        commit_hash: d.commitHash ?? '',
        commit_message: d.commitMessage ?? '',
        commit_dirty: d.commitDirty,
      },
    },
    build_config: {
      build_command: null,
      destination_dir: null,
      root_dir: null,
      web_analytics_tag: null,
      web_analytics_token: null,
    },
    env_vars: p.deploymentConfigs[d.environment].env_vars ?? null,
    is_skipped: false,
    source: null,
    uses_functions: d.usesFunctions,
    local_version_id: d.versionId,
  };
}

async function projectJson(ctx: CfContext, p: CfPagesProject) {
  const canonical = p.deployments.find((d) => d.id === p.canonical) ?? null;
  return {
    id: p.id,
    name: p.name,
    subdomain: `${p.name}.pages.dev`,
    // The production address on this machine, listed as a custom domain is: it serves the canonical deployment.
    domains: [new URL(await ctx.pages.productionUrl(p.name)).host],
    production_branch: p.productionBranch,
    created_on: p.createdOn,
    deployment_configs: p.deploymentConfigs,
    latest_deployment: p.deployments[0] ? await deploymentJson(ctx, p, p.deployments[0]) : null,
    canonical_deployment: canonical ? await deploymentJson(ctx, p, canonical) : null,
    build_config: {
      build_command: null,
      destination_dir: null,
      root_dir: null,
      web_analytics_tag: null,
      web_analytics_token: null,
    },
    framework: '',
    framework_version: '',
    production_script_name: `pages-worker--${p.id}-production`,
    preview_script_name: `pages-worker--${p.id}-preview`,
    uses_functions: p.deployments[0]?.usesFunctions ?? null,
  };
}

/** `POST …/pages/projects` `{name, production_branch, deployment_configs?}` (a direct-upload project). */
async function createProject(ctx: CfContext, req: CfRequest) {
  const body = jsonBody(req);
  const name = body.name;
  if (typeof name !== 'string' || !PROJECT_NAME.test(name)) {
    throw new CfError(
      400,
      CF_CODES.invalidField,
      'name: lowercase letters, digits and dashes, at most 58 characters',
    );
  }
  if (ctx.store.state.pages[name] || scriptExists(ctx, name)) {
    throw new CfError(
      409,
      CF_CODES.invalidField,
      `A project or Worker named "${name}" already exists on this account`,
    );
  }
  const configs = (body.deployment_configs ?? {}) as Record<string, Record<string, unknown>>;
  const config = (env: 'production' | 'preview') => ({
    compatibility_date: PAGES_DEFAULT_COMPATIBILITY_DATE,
    compatibility_flags: [],
    env_vars: {},
    ...(configs[env] ?? {}),
  });
  const p: CfPagesProject = {
    id: randomUUID(),
    name,
    productionBranch: typeof body.production_branch === 'string' ? body.production_branch : 'main',
    createdOn: new Date().toISOString(),
    deploymentConfigs: { production: config('production'), preview: config('preview') },
    deployments: [],
    canonical: null,
  };
  ctx.store.state.pages[name] = p;
  ctx.store.save();
  return projectJson(ctx, p);
}

/**
 * `POST …/projects/{p}/deployments` (multipart, as `wrangler pages deploy` sends it): the site becomes a version of
 * the project's own platform (pages-sites.ts); a production deployment serves it at 100% at once, as Pages does.
 * A preview deployment answers at its own address only, while production keeps serving the canonical one.
 */
async function createDeployment(ctx: CfContext, req: CfRequest) {
  const p = project(ctx, req.params.project);
  const upload = await readPagesUpload(req.body, req.headers['content-type']);
  const branch = upload.fields.branch || null;
  const environment = !branch || branch === p.productionBranch ? 'production' : 'preview';
  const message = upload.fields.commit_message || null;
  const { version, usesFunctions } = await uploadPagesVersion(
    ctx,
    await ctx.pages.platform(p.name),
    p.name,
    upload,
    p.deploymentConfigs[environment],
    message,
  );
  const d: CfPagesDeployment = {
    id: randomUUID(),
    versionId: version.id,
    createdOn: version.createdAt,
    environment,
    branch,
    commitHash: upload.fields.commit_hash || null,
    commitMessage: message,
    commitDirty: upload.fields.commit_dirty === 'true',
    usesFunctions,
  };
  const canonical = environment === 'production' ? d : p.deployments.find((x) => x.id === p.canonical);
  const preview = environment === 'preview' ? d : null;
  await ctx.pages.serve(p.name, canonical?.versionId ?? null, preview?.versionId ?? null, message);
  if (environment === 'production') p.canonical = d.id;
  p.deployments.unshift(d);
  ctx.store.save();
  return deploymentJson(ctx, p, d);
}

function deployment(p: CfPagesProject, id: string): CfPagesDeployment {
  const d = p.deployments.find((x) => x.id === id);
  // Pages' own code for an unknown deployment is unconfirmed (see codes.ts).
  if (!d) throw new CfError(404, CF_CODES.pagesUnknown, `Deployment ${id} not found in project ${p.name}`);
  return d;
}

/** `POST …/deployments/{id}/rollback`: a production deployment that succeeded serves again, at 100%. */
async function rollback(ctx: CfContext, req: CfRequest) {
  const p = project(ctx, req.params.project);
  const d = deployment(p, req.params.deployment);
  if (d.environment !== 'production') {
    throw new CfError(400, CF_CODES.invalidField, 'Only a production deployment can be rolled back to');
  }
  const platform = await ctx.pages.platform(p.name);
  if (!platform.store.get(d.versionId)) {
    throw new CfError(
      400,
      CF_CODES.pagesUnknown,
      `Deployment ${d.id} can no longer be served: the local platform keeps only its newest versions`,
    );
  }
  await platform.setTraffic([{ version: d.versionId, percent: 100 }], `rollback to ${d.id}`);
  p.canonical = d.id;
  ctx.store.save();
  return deploymentJson(ctx, p, d);
}

export const pagesRoutes: CfRoute[] = [
  {
    method: 'GET',
    path: PROJECTS,
    handle: (ctx, req) =>
      Promise.all(Object.values(ctx.store.state.pages).map((p) => projectJson(ctx, p))).then((list) =>
        paginate(list, req.query, 10, 100),
      ),
  },
  { method: 'POST', path: PROJECTS, handle: createProject },
  { method: 'GET', path: PROJECT, handle: (ctx, req) => projectJson(ctx, project(ctx, req.params.project)) },
  {
    method: 'GET',
    path: `${PROJECT}/upload-token`,
    handle: (ctx, req) => uploadToken(ctx, project(ctx, req.params.project).name),
  },
  {
    method: 'GET',
    path: `${PROJECT}/deployments`,
    handle: (ctx, req) => {
      const p = project(ctx, req.params.project);
      const env = req.query.get('env');
      const list = p.deployments.filter((d) => !env || d.environment === env);
      return Promise.all(list.map((d) => deploymentJson(ctx, p, d))).then((all) =>
        paginate(all, req.query, 25, 25),
      );
    },
  },
  { method: 'POST', path: `${PROJECT}/deployments`, handle: createDeployment },
  {
    method: 'GET',
    path: `${PROJECT}/deployments/:deployment`,
    handle: (ctx, req) => {
      const p = project(ctx, req.params.project);
      return deploymentJson(ctx, p, deployment(p, req.params.deployment));
    },
  },
  { method: 'POST', path: `${PROJECT}/deployments/:deployment/rollback`, handle: rollback },
];
