import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findComponent } from '../../config/components.ts';
import { forComponent, type ResolvedConfig } from '../../config/resolved.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { cloudflareApiInfo } from '../../targets/local/cf-api/state.ts';
import { statePaths } from '../../targets/local/paths.ts';
import type { CommandContext } from '../define-command.ts';
import { loadProjectConfig } from '../project.ts';

/** One daemon the `local` commands act on: a component's world (or the project's one worker's) in one environment. */
export interface LocalWorld {
  /** The component's name; null for a project without `components` (and a folder without shipshape.config). */
  component: string | null;
  /** The folder of its wrangler config (the project folder for a project without `components`). */
  dir: string;
  /** The config seen from this component; null when the folder has no shipshape.config. */
  config: ResolvedConfig | null;
}

/** The `--component NAME` option every `local` command takes. */
export const COMPONENT_OPTION = { component: { type: 'string' } } as const;

/**
 * The worlds a `local` command covers, in release order: every component of the project, or the one named with
 * `--component`. A project without `components`, or a folder without shipshape.config, has one world. With
 * `readOnly`, a config that does not load still leaves the worlds found on disk (status must not need a valid
 * config to show what runs).
 * @example (await localWorlds(ctx)).map((w) => w.component) // ['api', 'web'], or [null]
 */
export async function localWorlds(ctx: CommandContext, readOnly = false): Promise<LocalWorld[]> {
  const named = typeof ctx.args.component === 'string' ? ctx.args.component : null;
  const { cwd, env } = ctx.global;
  let config: ResolvedConfig;
  try {
    config = await loadProjectConfig(ctx.global);
  } catch (err) {
    const missing = err instanceof ShipshapeError && err.code === 'CONFIG_NOT_FOUND';
    const onDisk = readOnly && !named ? worldsOnDisk(cwd, env) : [];
    if (onDisk.length > 0) return onDisk.map((component) => ({ component, dir: cwd, config: null }));
    if (named || !missing) throw err;
    return [{ component: null, dir: cwd, config: null }];
  }
  const chosen = named ? [findComponent(config.components, named)] : config.components;
  return chosen.map((c) => ({
    component: c.implicit ? null : c.name,
    dir: c.dir,
    config: forComponent(config, c),
  }));
}

/**
 * The components with local state for this environment, whatever the config says now (a component removed from
 * it, or a config that no longer loads): null stands for the project's own `.shipshape/local` world.
 */
export function worldsOnDisk(projectDir: string, env: string | null): Array<string | null> {
  const has = (component: string | null) => existsSync(statePaths(projectDir, env, component).root);
  const folder = join(projectDir, '.shipshape', 'components');
  const components = existsSync(folder)
    ? readdirSync(folder, { withFileTypes: true })
        .filter((e) => e.isDirectory() && /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(e.name))
        .map((e) => e.name)
    : [];
  return [null, ...components.sort()].filter(has);
}

/** Refuses an option that only makes sense for one daemon when several are covered. */
export function oneWorld(worlds: LocalWorld[], command: string, what: string): void {
  if (worlds.length <= 1) return;
  throw new ShipshapeError('USAGE_BAD_ARGS', {
    command,
    message: `${what} applies to one component; name it with --component (${worlds.map((w) => w.component).join(', ')}).`,
  });
}

/** ` for api (staging)`, ` for staging`, or nothing: how a message names a world. */
export function worldLabel(component: string | null, env: string | null): string {
  if (component) return ` for ${component}${env ? ` (${env})` : ''}`;
  return env ? ` for ${env}` : '';
}

/** The `local` flags that name a world again: ` --component api --env staging`. */
export function worldFlags(component: string | null, env: string | null): string {
  return `${component ? ` --component ${component}` : ''}${env ? ` --env ${env}` : ''}`;
}

/** The Cloudflare API stand-in's address and the wrangler variables that point at it. */
export function apiLines(
  projectDir: string,
  env: string | null,
  component: string | null,
  controlUrl: string,
): string {
  const paths = statePaths(projectDir, env, component);
  const api = cloudflareApiInfo(paths, controlUrl);
  return (
    `  Cloudflare API  ${api.baseUrl}${api.accountId ? ` (account ${api.accountId})` : ''}\n` +
    `                 wrangler: CLOUDFLARE_API_BASE_URL=${api.baseUrl} CLOUDFLARE_API_TOKEN=$(cat ${paths.token})${api.accountId ? ` CLOUDFLARE_ACCOUNT_ID=${api.accountId}` : ''}\n`
  );
}
