import { findComponent } from '../../config/components.ts';
import { forComponent } from '../../config/resolved.ts';
import { resolveActor } from '../../flags/actor.ts';
import { manualRollback } from '../../pipeline/manual-rollback.ts';
import { confirm } from '../confirm.ts';
import { defineCommand } from '../define-command.ts';
import { keptReason } from '../kept-reason.ts';
import { openSession } from '../session.ts';

export const rollbackCommand = defineCommand({
  name: 'rollback',
  summary: 'put the last promoted version (or VERSION) back at 100%, run rollback hooks, re-check health',
  usage:
    'rollback [VERSION] [--component NAME] [--reason R] [--actor NAME] [--migrations [--yes]] [--env NAME] [--json]',
  description: `Without VERSION, the target is the newest version whose release was promoted (not merely the
previous upload). VERSION may be a unique prefix (4+ characters). Code only by default: --migrations also undoes the
migrations applied since that version was promoted (their down files, else the backup taken before them), after a
confirmation (--yes in CI). In a project with components, --component NAME picks the component (default: the
first in release order) and "last promoted" is that component's. The rollback is journaled as a release of its
own and announced to the configured notifiers with who (--actor, else git's user.name <user.email>, else the
login name) and why (--reason); a notifier that fails is a warning, never a failed rollback. Exit 0 when the
switch and the health re-check succeed, 4 when a person must act.`,
  options: {
    reason: { type: 'string' },
    actor: { type: 'string' },
    component: { type: 'string' },
    migrations: { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
  },
  positionals: { max: 1 },
  async handler({ args, positionals, global, io }) {
    const session = await openSession(global, io);
    try {
      const config = args.component
        ? forComponent(session.config, findComponent(session.config.components, String(args.component)))
        : session.config;
      const target = args.component ? await session.targetFor(config) : await session.target();
      await manualRollback(
        { config, target, bus: session.bus, env: io.env, now: io.now },
        {
          version: positionals[0] ?? null,
          reason: keptReason(args.reason, io.env, config) ?? 'rollback by hand',
          actor: await resolveActor(args.actor as string | undefined, config.projectDir, io.env),
          migrations: Boolean(args.migrations),
          confirm: async (lines) => {
            if (args.yes) return true;
            io.stderr.write(`The database rollback undoes:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
            return confirm({ io, global }, 'Roll back these migrations?');
          },
        },
      );
      return 0;
    } finally {
      await session.close();
    }
  },
});
