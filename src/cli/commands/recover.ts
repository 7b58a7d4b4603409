import { findComponent } from '../../config/components.ts';
import { forComponent } from '../../config/resolved.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { recoverRelease } from '../../pipeline/recover.ts';
import { defineCommand } from '../define-command.ts';
import { openSession } from '../session.ts';

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
    try {
      // The component's own target: its daemon holds the lapsed lease.
      const component = typeof args.component === 'string' ? args.component : null;
      const config = component
        ? forComponent(session.config, findComponent(session.config.components, component))
        : session.config;
      const target = component ? await session.targetFor(config) : await session.target();
      const recovered = await recoverRelease(
        { config, target, targetFor: session.targetFor, bus: session.bus, env: io.env, now: io.now },
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
    }
  },
});
