import { projectSecrets } from '../config/dev-vars.ts';
import { EventBus } from '../events/bus.ts';
import type { CommandIO } from '../io/command-io.ts';
import { withGithubActions } from '../report/github-actions.ts';
import { createReporter } from '../report/reporter.ts';
import type { Reporter } from '../report/reporter-type.ts';
import type { GlobalArgs } from './define-command.ts';
import { openProject, type Project } from './project.ts';

/** A project opened with an event bus and the reporter that shows its events. */
export interface Session extends Project {
  bus: EventBus;
  reporter: Reporter;
}

/** Config, event bus, reporter and (lazily) the targets: what every release-driving command needs. */
export async function openSession(global: GlobalArgs, io: CommandIO): Promise<Session> {
  const bus = new EventBus({ now: io.now });
  const project = await openProject(global, io, { bus });
  const { config } = project;
  // .dev.vars values are the worker's local secrets: every sink hides them too.
  const secrets = projectSecrets(config);
  const view = createReporter({
    io,
    json: global.json,
    verbose: global.verbose,
    color: global.color,
    bands: config.score,
    secrets,
  });
  // In a GitHub Actions job: gate annotations and the job summary, beside the view.
  const reporter = withGithubActions(view, { io, json: global.json, bands: config.score, secrets });
  const unsubscribe = bus.subscribe((e) => reporter.handle(e));
  return {
    config,
    bus,
    reporter,
    target: project.target,
    targetFor: project.targetFor,
    async close() {
      // Reverse order of opening; the targets' errors surface after the reporter has flushed.
      unsubscribe();
      reporter.close();
      await project.close();
    },
  };
}
