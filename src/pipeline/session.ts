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
  /** Another component's target (a project with `components`), opened once and closed with the session. */
  targetFor(config: ResolvedConfig): Promise<Target>;
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
  const others = new Map<string, Promise<Target>>();
  const open = (view: ResolvedConfig) =>
    // Loaded on demand: the target pulls in the Workers runtime, which commands that read journals never need.
    import('../targets/create-target.ts').then(({ createTarget }) =>
      createTarget(view, { env: io.env, bus }),
    );
  return {
    config,
    bus,
    reporter,
    target: () => {
      target ??= open(config);
      return target;
    },
    targetFor: (view) => {
      const name = view.component.name;
      if (!others.has(name)) others.set(name, open(view));
      return others.get(name) as Promise<Target>;
    },
    async close() {
      // Reverse order of opening; the target's errors surface after the reporter has flushed.
      unsubscribe();
      reporter.close();
      if (target) await (await target).close();
      for (const other of others.values()) await (await other).close();
    },
  };
}
