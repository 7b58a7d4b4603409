import { runDemo } from '../../demo/run-demo.ts';
import { defineCommand } from '../define-command.ts';

export const demoCommand = defineCommand({
  name: 'demo',
  summary:
    'deploy the example app twice on the local platform: a good build (promoted), a faulty one (rolled back)',
  usage: 'demo [--fault SPEC] [--keep]',
  description: `Copies examples/hello-d1 to a temporary folder, deploys v1, then v2 built with FAULT=SPEC
(default errors:0.08: 8% of requests fail), and prints both outcomes. Exit 0 when v1 was promoted and v2 rolled back.
  --fault SPEC   errors:<rate> | latency:<N>ms | crash | health
  --keep         keep the temporary copy (and its .shipshape/ journals) for a look afterwards`,
  options: { fault: { type: 'string' }, keep: { type: 'boolean' } },
  async handler({ args, io, run }) {
    return runDemo(run, io, { keep: Boolean(args.keep), fault: String(args.fault ?? 'errors:0.08') });
  },
});
