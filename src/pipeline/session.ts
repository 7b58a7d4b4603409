import type { GlobalArgs } from '../cli/define-command.ts';
import type { CommandIO } from '../cli/io.ts';
import { projectSecrets } from '../config/dev-vars.ts';
import { loadConfig } from '../config/load.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import { EventBus } from '../events/bus.ts';
import { createReporter, type Reporter } from '../report/reporter.ts';
import type { Target } from '../targets/target.ts';

export interface Session {
  config: ResolvedConfig;
  bus: EventBus;
  reporter: Reporter;
  /** Created on first use: commands that only read the journal never start the local daemon. */
  target(): Promise<Target>;
  close(): Promise<void>;
}

/** Config, event bus, reporter and (lazily) the target: what every release-driving command needs. */
export async function openSession(global: GlobalArgs, io: CommandIO): Promise<Session> {
  const config = await loadConfig({ cwd: global.cwd, env: global.env });
  const bus = new EventBus({ now: io.now });
  // .dev.vars values are the worker's local secrets: every sink hides them too.
  const secrets = projectSecrets(config);
  const reporter = createReporter({
    io,
    json: global.json,
    verbose: global.verbose,
    color: global.color,
    bands: config.score,
    secrets,
  });
  const unsubscribe = bus.subscribe((e) => reporter.handle(e));
  let target: Promise<Target> | null = null;
  return {
    config,
    bus,
    reporter,
    target: () => {
      // Loaded on demand: the target pulls in the Workers runtime, which commands that read journals never need.
      target ??= import('../targets/create-target.ts').then(({ createTarget }) =>
        createTarget(config, { env: io.env, bus }),
      );
      return target;
    },
    async close() {
      // Reverse order of opening; the target's errors surface after the reporter has flushed.
      unsubscribe();
      reporter.close();
      if (target) await (await target).close();
    },
  };
}
