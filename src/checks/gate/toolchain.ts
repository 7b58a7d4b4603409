import { reportWrangler } from '../../toolchain/wrangler.ts';
import type { GateCheck } from '../check.ts';
import { gateResult } from '../shared/result.ts';

/** The wrangler that will bundle the release: the project's own in the supported range, or why not. */
export const toolchainCheck: GateCheck = {
  name: 'wrangler',
  async run(ctx) {
    const report = reportWrangler(ctx.config.projectDir);
    return gateResult('wrangler', report.status, {
      message: report.message,
      hint: report.hint,
      evidence: report.evidence,
    });
  },
};
