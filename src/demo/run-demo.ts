import { formatDuration } from '../config/duration.ts';
import type { CommandIO } from '../io/command-io.ts';
import { copyExample } from './copy-example.ts';

type Run = (argv: string[], io: CommandIO) => Promise<number>;

const OUTCOME: Record<number, string> = {
  0: 'promoted',
  1: 'rolled back',
  3: 'blocked',
  4: 'rollback failed',
  5: 'locked',
};

/**
 * The product's main job, start to finish, in a temporary copy of examples/hello-d1 on the local platform:
 * a good v1 is promoted, then a faulty v2 (8% of requests fail) is caught by the canary judge and rolled back.
 */
export async function runDemo(
  run: Run,
  io: CommandIO,
  options: { keep: boolean; fault: string },
): Promise<number> {
  const started = Date.now();
  const app = copyExample({ name: 'hello-d1', git: true });
  const say = (text: string) => io.stdout.write(`\n=== ${text}\n`);
  const results: string[] = [];
  try {
    say(`demo app copied to ${app.dir}`);
    const common = ['--cwd', app.dir, '--force-window', '--reason', 'demo run'];
    say('v1: a good build');
    const v1 = await run(['deploy', ...common, '--message', 'v1: good build'], io);
    results.push(`${'v1 (good build):'.padEnd(28)}exit ${v1}, ${OUTCOME[v1] ?? 'failed'}`);
    say(`v2: a faulty build (FAULT=${options.fault})`);
    const v2 = await run(['deploy', ...common, '--message', `v2: FAULT=${options.fault}`], {
      ...io,
      env: { ...io.env, FAULT: options.fault },
    });
    results.push(`${`v2 (FAULT=${options.fault}):`.padEnd(28)}exit ${v2}, ${OUTCOME[v2] ?? 'failed'}`);
    say('what serves now');
    await run(['status', '--cwd', app.dir], io);
    await run(['history', '--cwd', app.dir], io);
    say(`demo finished in ${formatDuration(Date.now() - started)}`);
    io.stdout.write(`${results.join('\n')}\n`);
    return v1 === 0 && v2 === 1 ? 0 : 1;
  } finally {
    await run(['local', 'stop', '--cwd', app.dir], { ...io, stdout: { write: () => true } });
    if (options.keep) io.stdout.write(`kept ${app.dir}\n`);
    else app.cleanup();
  }
}
