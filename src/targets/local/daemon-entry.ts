/**
 * The detached daemon's own entry: `node --import tsx daemon-entry.ts --cwd DIR [--env NAME] [--component NAME
 * --dir COMPONENT_DIR] --port N --control-port N`. `--cwd` is the project (state under its `.shipshape/`),
 * `--dir` the component's folder (its wrangler config, `.dev.vars`, migrations).
 * It loads only the daemon's modules, not the whole CLI, so the long-lived process stays small.
 */
import { parseArgs } from 'node:util';
import { toShipshapeError } from '../../errors/shipshape-error.ts';
import { serveForeground } from './foreground.ts';

const { values } = parseArgs({
  options: {
    cwd: { type: 'string' },
    env: { type: 'string' },
    component: { type: 'string' },
    dir: { type: 'string' },
    port: { type: 'string', default: '8787' },
    'control-port': { type: 'string', default: '8788' },
  },
});
try {
  process.exitCode = await serveForeground({
    projectDir: values.cwd ?? process.cwd(),
    env: values.env ?? null,
    component: values.component ?? null,
    workerDir: values.dir,
    port: Number(values.port),
    controlPort: Number(values['control-port']),
    stdout: process.stdout,
    stderr: process.stderr,
  });
} catch (err) {
  const e = toShipshapeError(err);
  process.stderr.write(`shipshape local: ${e.message}\n`);
  process.exitCode = e.exitCode;
}
