import { findProjectWorker, SEARCH_DEPTH } from '../../config/project-workers.ts';
import { catalogue } from '../../errors/catalogue.ts';
import type { CheckResult, GateCheck } from '../check.ts';
import { gateResult } from '../shared/result.ts';

/**
 * Every wrangler binding the local target cannot run, one warning each with its stable code and what the local
 * target does with it; nothing is started to find out. On Cloudflare they run as usual, so they only warn there.
 */
export const bindingsCheck: GateCheck = {
  name: 'bindings',
  async run(ctx) {
    const w = ctx.config.worker;
    const local = ctx.config.target === 'local';
    const results: CheckResult[] = [];
    const finding = (code: keyof typeof catalogue, details: Record<string, unknown>, name: string) => {
      const entry = catalogue[code](details);
      results.push(
        gateResult(`bindings: ${name}`, local ? 'warn' : 'pass', {
          message: `${code}: ${entry.message}`,
          hint: entry.hint,
          evidence: { code, ...details },
        }),
      );
    };
    for (const u of w.unsupported) finding(u.code, { ...u }, `${u.kind} ${u.binding}`);
    // Another component of the project is bound to its own live deployment locally, wherever its folder is.
    const components = new Set(
      ctx.config.components.filter((c) => c.name !== ctx.config.component.name).map((c) => c.worker.name),
    );
    for (const s of w.bindings.services) {
      if (
        s.service === w.name ||
        components.has(s.service) ||
        findProjectWorker(w.projectDir, s.service, w.env)
      )
        continue;
      const searched = `${SEARCH_DEPTH} folder levels below ${w.projectDir}`;
      finding('LOCAL_SERVICE_NOT_IN_PROJECT', { ...s, searched }, `services ${s.binding}`);
    }
    if (results.length > 0) return results;
    return gateResult('bindings', 'pass', {
      message: local
        ? 'Every binding in the wrangler config runs on the local target.'
        : `Target ${ctx.config.target}: the bindings run on the platform itself.`,
    });
  },
};
