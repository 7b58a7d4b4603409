import { spawn } from 'node:child_process';
import { projectSecrets } from '../../config/dev-vars.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { resolveActor } from '../../flags/actor.ts';
import { createRedactor } from '../../redact/redact.ts';
import { runAction } from '../dashboard/actions.ts';
import { startFeed } from '../dashboard/live-feed.ts';
import { dashboardPage } from '../dashboard/page.ts';
import { startServer } from '../dashboard/server.ts';
import { defineCommand } from '../define-command.ts';
import { withInterrupt } from '../interrupt.ts';
import { openProject } from '../project.ts';

export const dashboardCommand = defineCommand({
  name: 'dashboard',
  summary:
    'a live web page of the release in progress, the history, what serves and the flags; promote, abort, roll back',
  usage: 'dashboard [--port N] [--open] [--env NAME]',
  description: `Serves one page on 127.0.0.1 (never another interface) behind a random token: open the address it
prints (the token moves into an HttpOnly cookie at once). The page follows the release journals live: the phases
with their scores, error rate and p50/p95 per version over time with the traffic steps and verdicts marked, the
current split and the judge's sentence, per component; beside it the release history, what serves now, the flags
and the kill switch. Its buttons promote, abort and roll back as the commands do, each with a required reason,
journaled and announced with your git identity. Secrets are redacted from everything it serves.
  --port N   listen on port N (default 0: a free one)
  --open     open the page in the browser (xdg-open, open or start); the address is printed either way
Stops on Ctrl-C.`,
  options: { port: { type: 'string' }, open: { type: 'boolean' } },
  async handler({ args, global, io }) {
    const port = args.port === undefined ? 0 : Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new ShipshapeError('USAGE_BAD_ARGS', {
        command: 'dashboard',
        message: `--port must be a port number from 0 to 65535 (0 picks a free one), got "${args.port}".`,
        usage: dashboardCommand.usage,
      });
    const project = await openProject(global, io);
    const { config } = project;
    const redactor = createRedactor(io.env, projectSecrets(config));
    const actor = await resolveActor(null, config.projectDir, io.env);
    const cleanups: Array<() => void | Promise<void>> = [() => project.close()];
    try {
      const feed = await startFeed({
        project,
        redactor,
        now: io.now,
        header: {
          worker: config.worker.name,
          env: config.env,
          target: config.target,
          actor,
          components: config.components.length > 1 ? config.components.map((c) => c.name) : [],
        },
      });
      cleanups.push(() => feed.stop());
      const server = await startServer({
        port,
        page: redactor.text(dashboardPage()),
        redactor,
        feed,
        act: (action, body) => runAction(action, body, { global, io, actor }),
      });
      cleanups.push(() => server.close());
      io.stdout.write(`dashboard: ${server.url}\n(Ctrl-C stops it)\n`);
      if (args.open) openBrowser(server.url, io.stderr);
      await withInterrupt(
        io,
        (signal) => new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true })),
      );
    } catch (err) {
      await closeAll(cleanups).catch(() => {});
      throw err;
    }
    await closeAll(cleanups);
    io.stdout.write('dashboard stopped\n');
    return 0;
  },
});

/** Runs the cleanups in reverse order of opening, every one even when an earlier one fails. */
async function closeAll(cleanups: Array<() => void | Promise<void>>): Promise<void> {
  const errors: unknown[] = [];
  for (const cleanup of [...cleanups].reverse())
    await Promise.resolve()
      .then(cleanup)
      .catch((err) => errors.push(err));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'the dashboard did not stop cleanly');
}

/** The platform's opener, detached; a failure is a note, the printed address still works. */
function openBrowser(url: string, stderr: { write(text: string): unknown }): void {
  const [command, ...args] =
    process.platform === 'darwin'
      ? ['open']
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""']
        : ['xdg-open'];
  const child = spawn(command, [...args, url], { detached: true, stdio: 'ignore' });
  child.on('error', (err) =>
    stderr.write(`could not open a browser (${err.message}): open the address above\n`),
  );
  child.unref();
}
