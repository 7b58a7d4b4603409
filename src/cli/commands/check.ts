import { EXIT } from '../../errors/shipshape-error.ts';
import { phaseNumber } from '../../events/phases.ts';
import { runGate } from '../../pipeline/phases/gate.ts';
import { defineCommand } from '../define-command.ts';
import { openSession } from '../session.ts';

export const checkCommand = defineCommand({
  name: 'check',
  summary: 'run the gate (phase 1) alone: window, git, env and secrets, your checks, migrations',
  usage: 'check [--env NAME] [--force-window --reason R] [--json]',
  description:
    'Every check runs and every failure is listed with its hint. Exit 0 when all pass, 3 when any fails.',
  options: { 'force-window': { type: 'boolean' }, reason: { type: 'string' } },
  async handler({ args, global, io }) {
    const session = await openSession(global, io);
    try {
      session.bus.emit({ type: 'phase.started', phase: 'gate', index: phaseNumber('gate') });
      const started = Date.now();
      const outcome = await runGate({
        config: session.config,
        env: io.env,
        now: io.now(),
        target: null,
        bus: session.bus,
        forceWindow: args['force-window'] ? { reason: String(args.reason ?? 'forced') } : null,
      });
      session.bus.emit({
        type: 'phase.finished',
        phase: 'gate',
        score: outcome.score,
        status: outcome.status,
        durationMs: Date.now() - started,
      });
      return outcome.next === 'block' ? EXIT.blocked : EXIT.ok;
    } finally {
      await session.close();
    }
  },
});
