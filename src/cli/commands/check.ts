import { EXIT } from '../../errors/shipshape-error.ts';
import { gatePhase } from '../../pipeline/phases/gate.ts';
import { runPipeline } from '../../pipeline/runner.ts';
import { defineCommand } from '../define-command.ts';
import { inspectionContext, inspectionUnits } from '../inspection.ts';
import { openSession } from '../session.ts';

export const checkCommand = defineCommand({
  name: 'check',
  summary: 'run the gate (phase 1) alone: window, git, env and secrets, your checks, migrations',
  usage: 'check [--env NAME] [--force-window --reason R] [--json]',
  description:
    "Every check runs and every failure is listed with its hint; a project with components runs each component's own checks (env, bindings, migrations) too. Never starts the local platform. Exit 0 when all pass, 3 when any fails.",
  options: { 'force-window': { type: 'boolean' }, reason: { type: 'string' } },
  async handler({ args, global, io }) {
    const session = await openSession(global, io);
    try {
      const units = await inspectionUnits(session, io, false);
      const forceWindow = args['force-window'] ? { reason: String(args.reason ?? 'forced') } : null;
      const result = await runPipeline(inspectionContext(session, io, units, { forceWindow }), {
        table: [gatePhase],
      });
      return result.stop?.kind === 'block' ? EXIT.blocked : EXIT.ok;
    } finally {
      await session.close();
    }
  },
});
