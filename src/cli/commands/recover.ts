import { findComponent } from '../../config/components.ts';
import { forComponent } from '../../config/resolved.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { recoverRelease } from '../../pipeline/recover.ts';
import { heldRelease, type Target } from '../../targets/target.ts';
import { defineCommand } from '../define-command.ts';
import { openSession } from '../session.ts';

export const recoverCommand = defineCommand({
  name: 'recover',
  summary: 'finish a release whose process died (its lease lapsed): restore the last promoted version',
  usage: 'recover --lapsed | --release ID [--generation N] [--env NAME] [--component NAME] [--json]',
  description: `--lapsed: if the release lease names a release whose runner stopped renewing it, take the lease
over and finish that release: the last promoted version goes back to 100%, the rollback flags and hooks run and
the journal is closed (or the release resumes with rollback.onOrphan: resume). Steps the release's own rollback
already journaled are not done again. Nothing lapsed: exit 0, nothing changed. On target cloudflare with
cloudflare.state, the account's guard ("shipshape guard install") puts a dead runner's traffic back within a
minute of the lease lapsing, and this completes the rest; without the guard, run "shipshape recover --lapsed" on
a schedule (examples/ci/github-actions.yml does, every 10 minutes) to bound how long a dead runner's canary serves.
--release ID [--generation N] is how the local platform starts the recovery of the release it watched lapse.
--component names the component whose platform started it, in a project with components: the recovery acts
through that component's own platform (its lease, versions and deployment).`,
  options: {
    release: { type: 'string' },
    generation: { type: 'string' },
    component: { type: 'string' },
    lapsed: { type: 'boolean' },
  },
  async handler({ args, global, io }) {
    const lapsed = args.lapsed === true;
    const named = typeof args.release === 'string' ? args.release : '';
    if (!named === !lapsed)
      throw new ShipshapeError('USAGE_BAD_ARGS', {
        command: 'recover',
        message: 'give either --lapsed or --release ID',
        usage: 'shipshape recover --lapsed | --release ID [--generation N]',
      });
    let generation = typeof args.generation === 'string' ? Number(args.generation) : undefined;
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
      let release = named;
      if (lapsed) {
        const found = await lapsedRelease(target, io.now());
        if (!found) {
          session.bus.emit({
            type: 'log',
            level: 'info',
            message: 'no release lease has lapsed: nothing to recover',
          });
          return 0;
        }
        ({ release, generation } = found);
      }
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

/** The release whose lease lapsed with nobody recovering it yet, and the generation to take over from. */
async function lapsedRelease(
  target: Target,
  now: Date,
): Promise<{ release: string; generation: number } | null> {
  if (!target.guard)
    throw new ShipshapeError('USAGE_BAD_ARGS', {
      command: 'recover',
      message: `target ${target.name} keeps no release lease here (set cloudflare.state for one in the account)`,
      usage: 'shipshape recover --release ID',
    });
  const lease = await target.guard.state();
  const lapsed = lease.release && !lease.recovering && !heldRelease(lease, now);
  return lapsed && lease.release ? { release: lease.release, generation: lease.generation } : null;
}
