import { loadConfig } from '../../config/load.ts';
import type { ResolvedConfig } from '../../config/resolved.ts';

export interface LocalPorts {
  port: number;
  controlPort: number;
}

/**
 * The ports an environment's daemon asks for. Production (no `--env`) uses `local` from shipshape.config.ts
 * (default 8787/8788). A named environment runs its own daemon beside production's, so it uses the ports its
 * own layer sets (`environments.staging.local`); a port it merely inherited from production would collide, and
 * becomes 0 (a free port, written to its daemon.json and shown by `local status --env NAME`). A component of a
 * project with `components` does the same with its own ports.
 * @example await localPorts(await loadConfig({ cwd, env: 'staging' })) // { port: 0, controlPort: 0 }
 */
export async function localPorts(config: ResolvedConfig): Promise<LocalPorts> {
  if (!config.env) return { ...config.local };
  // A component compares with its own production ports (`local` per component), not the first component's.
  const base = await loadConfig({ cwd: config.projectDir, env: null });
  const own = config.component && !config.component.implicit ? config.component.name : null;
  const production = (own ? base.components.find((c) => c.name === own)?.local : null) ?? base.local;
  return {
    port: config.local.port === production.port ? 0 : config.local.port,
    controlPort: config.local.controlPort === production.controlPort ? 0 : config.local.controlPort,
  };
}
