import { forComponent } from '../config/resolved.ts';
import type { CommandIO } from '../io/command-io.ts';
import type { DeployOptions, ReleaseContext, ReleaseUnit, StagedUnit } from '../pipeline/context.ts';
import { sleep } from '../pipeline/sleep.ts';
import type { Target } from '../targets/target.ts';
import type { Session } from './session.ts';

/**
 * Every component with its target, for a run of phases outside a release (`check`, `verify`). `started: false`
 * gives targets that never start a stopped platform (the gate then reads no deployed state through them).
 */
export async function inspectionUnits(
  session: Session,
  io: CommandIO,
  started: boolean,
): Promise<ReleaseUnit[]> {
  const { createTarget } = await import('../targets/create-target.ts');
  const units: ReleaseUnit[] = [];
  for (const component of session.config.components) {
    const config = forComponent(session.config, component);
    const target: Target = started
      ? component.name === session.config.component.name
        ? await session.target()
        : await session.targetFor(config)
      : await createTarget(config, { env: io.env, autoStart: false });
    units.push({ name: component.name, config, target });
  }
  return units;
}

/** The context the runner needs for phases run outside a release: no release id, journal or lease. */
export function inspectionContext(
  session: Session,
  io: CommandIO,
  units: ReleaseUnit[],
  options: Partial<DeployOptions> & { staged?: StagedUnit[] },
): ReleaseContext {
  const { staged = [], ...rest } = options;
  return {
    releaseId: '',
    config: session.config,
    units,
    bus: session.bus,
    options: {
      dryRun: false,
      skipE2e: false,
      forceWindow: null,
      monitorMs: null,
      bakeMs: null,
      message: null,
      ...rest,
    },
    env: io.env,
    now: io.now,
    sleep,
    signal: new AbortController().signal,
    manual: { poll: async () => null },
    inspect: true,
    outputs: { plan: null, staged, backups: [], served: false, rollout: null, warnings: [] },
  };
}
