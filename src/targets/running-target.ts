import type { ResolvedConfig } from '../config/resolved.ts';
import type { Target } from './target.ts';

/**
 * The target when its platform already runs, never starting it: null for a stopped local platform. Read-only
 * commands and dry runs use it to leave the platform as they found it. Cloudflare always runs: its target, or null
 * when the environment gives no credentials to reach it (the API's own refusals surface on first use).
 * @example const target = await runningTarget(config, process.env); if (!target) console.log('stopped');
 */
export async function runningTarget(
  config: ResolvedConfig,
  env: Record<string, string | undefined>,
): Promise<Target | null> {
  const { createTarget } = await import('./create-target.ts');
  if (config.target === 'cloudflare') {
    try {
      return await createTarget(config, { env, autoStart: false });
    } catch (err) {
      if (isMissingCredentials(err)) return null;
      throw err;
    }
  }
  const target = await createTarget(config, { env, autoStart: false });
  try {
    await target.deployment();
    return target;
  } catch {
    await target.close();
    return null;
  }
}

function isMissingCredentials(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === 'CLOUDFLARE_TOKEN_MISSING' || code === 'CLOUDFLARE_ACCOUNT_MISSING';
}
