import { manualRollback } from '../../pipeline/manual-rollback.ts';
import { openSession } from '../../pipeline/session.ts';
import { defineCommand } from '../define-command.ts';

export const rollbackCommand = defineCommand({
  name: 'rollback',
  summary: 'put the last promoted version (or VERSION) back at 100%, run rollback hooks, re-check health',
  usage: 'rollback [VERSION] [--reason R] [--env NAME] [--json]',
  description: `Without VERSION, the target is the newest version whose release was promoted (not merely the
previous upload). VERSION may be a unique prefix (4+ characters). Exit 0 when the switch and the health re-check
succeed, 4 when a person must act.`,
  options: { reason: { type: 'string' } },
  positionals: { max: 1 },
  async handler({ args, positionals, global, io }) {
    const session = await openSession(global, io);
    try {
      const target = await session.target();
      await manualRollback(
        { config: session.config, target, bus: session.bus, env: io.env, now: io.now },
        { version: positionals[0] ?? null, reason: String(args.reason ?? 'rollback by hand') },
      );
      return 0;
    } finally {
      await session.close();
    }
  },
});
