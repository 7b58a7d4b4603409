import type { ResolvedConfig } from '../config/resolved.ts';
import type { Target } from './target.ts';

/**
 * The target when its platform already runs, never starting it: null for a stopped local platform. Read-only
 * commands and dry runs use it to leave the platform as they found it.
 * @example const target = await runningTarget(config, process.env); if (!target) console.log('stopped');
 */
export async function runningTarget(
  config: ResolvedConfig,
  env: Record<string, string | undefined>,
): Promise<Target | null> {
  if (config.target !== 'local') return null;
  const { createTarget } = await import('./create-target.ts');
  const target = await createTarget(config, { env, autoStart: false });
  try {
    await target.deployment();
    return target;
  } catch {
    await target.close();
    return null;
  }
}
