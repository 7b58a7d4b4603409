/**
 * The detached daemon's own entry: `node --import tsx daemon-entry.ts --cwd DIR --port N --control-port N`.
 * It loads only the daemon's modules, not the whole CLI, so the long-lived process stays small. Behaves as
 * `shipshape local start --foreground`: a coded start failure is written to start-error.json for the parent.
 */
import { parseArgs } from 'node:util';
import { toShipshapeError } from '../../errors/shipshape-error.ts';
import { runDaemon } from './daemon.ts';
import { writeJsonFile } from './json-file.ts';
import { statePaths } from './paths.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cwd: { type: 'string' },
      port: { type: 'string', default: '8787' },
      'control-port': { type: 'string', default: '8788' },
    },
  });
  const projectDir = values.cwd ?? process.cwd();
  // Parsed source maps of the runtime's 4 MB bundle would stay resident for the daemon's whole life.
  process.setSourceMapsEnabled(false);
  let daemon: Awaited<ReturnType<typeof runDaemon>>;
  try {
    daemon = await runDaemon({
      projectDir,
      port: Number(values.port),
      controlPort: Number(values['control-port']),
    });
  } catch (err) {
    const e = toShipshapeError(err);
    writeJsonFile(statePaths(projectDir).startError, { code: e.code, details: e.details });
    process.stderr.write(`shipshape local: ${e.message}\n`);
    return e.exitCode;
  }
  const stop = () => void daemon.close();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(
    `shipshape local: data plane ${daemon.info.url}, control API ${daemon.info.controlUrl} (pid ${process.pid})\n`,
  );
  await daemon.stopped;
  process.stdout.write('shipshape local: stopped\n');
  // Lingering keep-alive sockets must not keep a stopped daemon alive.
  setTimeout(() => process.exit(0), 3000).unref();
  return 0;
}

process.exitCode = await main();
