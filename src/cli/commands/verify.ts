import { EXIT, ShipshapeError } from '../../errors/shipshape-error.ts';
import type { StagedUnit } from '../../pipeline/context.ts';
import { e2ePhase } from '../../pipeline/phases/e2e.ts';
import { verifyPhase } from '../../pipeline/phases/verify.ts';
import { runPipeline } from '../../pipeline/runner.ts';
import { defineCommand } from '../define-command.ts';
import { inspectionContext, inspectionUnits } from '../inspection.ts';
import { openSession } from '../session.ts';

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'run health checks and e2e (phases 3-4) against the version serving now',
  usage: 'verify [--env NAME] [--skip-e2e] [--json]',
  description:
    "Checks each component's version with the most traffic, pinned by header, then the e2e checks; a failed critical health check stops before e2e, as in a release. Exit 0 when every check passes, 3 when any fails.",
  options: { 'skip-e2e': { type: 'boolean' } },
  async handler({ args, global, io }) {
    const session = await openSession(global, io);
    try {
      const units = await inspectionUnits(session, io, true);
      const staged: StagedUnit[] = [];
      for (const unit of units) {
        const { split } = await unit.target.deployment();
        const version = [...split].sort((a, b) => b.percent - a.percent)[0]?.version;
        if (!version) throw new ShipshapeError('NOTHING_SERVING', {});
        staged.push({ ...unit, canary: version, baseline: null });
      }
      let failed = false;
      const unsubscribe = session.bus.subscribe((e) => {
        if (e.type === 'check.finished' && e.status === 'fail') failed = true;
      });
      try {
        const ctx = inspectionContext(session, io, units, { skipE2e: Boolean(args['skip-e2e']), staged });
        await runPipeline(ctx, { table: [verifyPhase, e2ePhase] });
      } finally {
        unsubscribe();
      }
      return failed ? EXIT.blocked : EXIT.ok;
    } finally {
      await session.close();
    }
  },
});
