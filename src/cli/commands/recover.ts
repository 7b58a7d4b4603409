import { findComponent } from '../../config/components.ts';
import { forComponent, type ResolvedConfig } from '../../config/resolved.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { CommandIO } from '../../io/command-io.ts';
import { recoverRelease } from '../../pipeline/recover.ts';
import { openSession, type Session } from '../../pipeline/session.ts';
import type { Target } from '../../targets/target.ts';
import { defineCommand } from '../define-command.ts';

export const recoverCommand = defineCommand({
  name: 'recover',
  summary: "finish a release whose process stopped renewing its lease (the platform's own entry point)",
  usage: 'recover --release ID [--generation N] [--env NAME] [--component NAME] [--json]',
  description: `Started by the local platform when a release's lease lapses: the last promoted version goes back to
100%, the rollback flags and hooks run and the journal is closed (or the release resumes with
rollback.onOrphan: resume). Steps the release's own rollback already journaled are not done again.
--component names the component whose platform started it, in a project with components: the recovery acts
through that component's own platform (its lease, versions and deployment).`,
  options: { release: { type: 'string' }, generation: { type: 'string' }, component: { type: 'string' } },
  hidden: true,
  async handler({ args, global, io }) {
    const release = typeof args.release === 'string' ? args.release : '';
    if (!release)
      throw new ShipshapeError('USAGE_BAD_ARGS', {
        command: 'recover',
        message: '--release is required',
        usage: 'shipshape recover --release ID [--generation N]',
      });
    const generation = typeof args.generation === 'string' ? Number(args.generation) : undefined;
    if (generation !== undefined && !Number.isInteger(generation))
      throw new ShipshapeError('USAGE_BAD_ARGS', {
        command: 'recover',
        message: '--generation must be an integer',
        usage: 'shipshape recover --release ID [--generation N]',
      });
    const session = await openSession(global, io);
    let scoped: { config: ResolvedConfig; target: Target } | null = null;
    try {
      if (typeof args.component === 'string') scoped = await componentTarget(session, args.component, io);
      const config = scoped?.config ?? session.config;
      const target = scoped?.target ?? (await session.target());
      const recovered = await recoverRelease(
        { config, target, bus: session.bus, env: io.env, now: io.now },
        release,
        generation,
      );
      if (!recovered)
        session.bus.emit({
          type: 'log',
          level: 'info',
          message: `release ${release} had nothing left to recover`,
        });
      return 0;
    } finally {
      await session.close();
      await scoped?.target.close();
    }
  },
});

/** The config seen from component `name` and that component's own target (its daemon holds the lapsed lease). */
async function componentTarget(
  session: Session,
  name: string,
  io: CommandIO,
): Promise<{ config: ResolvedConfig; target: Target }> {
  const config = forComponent(session.config, findComponent(session.config.components, name));
  // Loaded on demand, as the session does: the target pulls in the Workers runtime.
  const { createTarget } = await import('../../targets/create-target.ts');
  return { config, target: await createTarget(config, { env: io.env, bus: session.bus }) };
}
