import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import { CloudflareTarget } from './cloudflare/cloudflare-target.ts';
import { PagesTarget } from './cloudflare/pages-target.ts';
import { LocalTarget } from './local/local-target.ts';
import type { Target } from './target.ts';

export interface CreateTargetOptions {
  /** Environment for builds (e.g. FAULT for the example's build step) and the daemon. */
  env: Record<string, string | undefined>;
  bus?: EventBus;
  /** Start the local daemon (detached) when it is not running. Default true. Cloudflare starts nothing. */
  autoStart?: boolean;
}

/**
 * The one place a concrete target is chosen; the pipeline only sees `Target`. On Cloudflare a Pages project (a
 * component of kind `pages`) has a target of its own: Pages has previews and rollback, not traffic splits.
 * @example const target = await createTarget(config, { env: process.env }); await target.versions();
 */
export async function createTarget(config: ResolvedConfig, opts: CreateTargetOptions): Promise<Target> {
  if (config.target === 'cloudflare')
    return config.component?.kind === 'pages'
      ? new PagesTarget(config, opts)
      : new CloudflareTarget(config, opts);
  const target = new LocalTarget(config, opts);
  if (opts.autoStart ?? true) await target.connect();
  return target;
}

/**
 * Stops a project's local daemon (state is kept); resolves with its pid, or null when none ran.
 * Tests that create a local target call this in afterAll.
 */
export { stopDaemon as stopLocalDaemon } from './local/launcher.ts';
