import { runE2e, runHealthChecks } from '../../checks/index.ts';
import { EXIT, ShipshapeError } from '../../errors/shipshape-error.ts';
import { phaseNumber } from '../../events/phases.ts';
import { emitCheck } from '../../pipeline/emit-check.ts';
import { sleep } from '../../pipeline/sleep.ts';
import { defineCommand } from '../define-command.ts';
import { openSession } from '../session.ts';

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'run health checks and e2e (phases 3-4) against the version serving now',
  usage: 'verify [--env NAME] [--skip-e2e] [--json]',
  description:
    'Checks the version with the most traffic, pinned by header. Exit 0 when every check passes, 3 when any fails.',
  options: { 'skip-e2e': { type: 'boolean' } },
  async handler({ args, global, io }) {
    const session = await openSession(global, io);
    try {
      const target = await session.target();
      const deployment = await target.deployment();
      const version = [...deployment.split].sort((a, b) => b.percent - a.percent)[0]?.version;
      if (!version) throw new ShipshapeError('NOTHING_SERVING', {});
      const base = {
        target,
        version,
        config: session.config,
        bus: session.bus,
        sleep: (ms: number) => sleep(ms),
      };
      let failed = false;
      for (const phase of ['verify', 'e2e'] as const) {
        session.bus.emit({ type: 'phase.started', phase, index: phaseNumber(phase) });
        const started = Date.now();
        const { results, score } =
          phase === 'verify'
            ? await runHealthChecks(base).then((r) => ({ results: r, score: null as number | null }))
            : await runE2e({ ...base, skip: Boolean(args['skip-e2e']) });
        for (const r of results) emitCheck(session.bus, phase, r);
        const bad = results.some((r) => r.status === 'fail');
        failed ||= bad;
        const phaseScore = score ?? (bad ? 0 : 5);
        session.bus.emit({
          type: 'phase.finished',
          phase,
          score: phaseScore,
          status: bad ? 'fail' : 'pass',
          durationMs: Date.now() - started,
        });
      }
      return failed ? EXIT.blocked : EXIT.ok;
    } finally {
      await session.close();
    }
  },
});
