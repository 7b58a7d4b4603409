import { parseDuration } from '../../config/duration.ts';
import { forComponent, type ResolvedConfig } from '../../config/resolved.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { deploy } from '../../pipeline/deploy.ts';
import { runningTarget } from '../../targets/running-target.ts';
import { defineCommand } from '../define-command.ts';
import { withInterrupt } from '../interrupt.ts';
import { openSession } from '../session.ts';

export const deployCommand = defineCommand({
  name: 'deploy',
  summary: 'gate → release → verify → e2e → rollout → score: promote, or roll back by itself',
  usage:
    'deploy [--env NAME] [--only COMPONENT] [--dry-run] [--skip-e2e] [--bake DURATION] [--monitor DURATION] [--json] [--verbose]',
  description: `Runs the five phases against the configured target (local by default; the local platform starts
by itself). A gate failure stops before anything is touched (exit 3). The new version is uploaded at 0%, checked
pinned by header, then takes traffic step by step while a judge compares it with the serving version. After
each bake and the monitor window, the answers are compared again (analysis.compare), users' traffic is held
against the split and against before the release (analysis.volume), and each D1 database's query p95 against
its budget and its own before (analysis.queryTime). Score ≥ 80 passes, 60-79 promotes with a warning, < 60 or
any critical finding rolls back (exit 1).

A project with components releases them in dependency order: a component is at 100% before those that call it
take traffic, each is judged against its own previous version, and a rollback returns every component of the
release to its previous version (dependants first), naming the component whose signal decided it. A component
whose bundle and migrations match what serves is not redeployed.

  --dry-run                    gate and build only, then print the release plan (components, changes,
                               migrations, steps); uploads nothing (--json: the plan event)
  --only COMPONENT             release this component alone
  --skip-e2e                   skip phase 4 (scored 4/5)
  --bake DURATION              bake at every traffic step (default: config rollout.bake and per-step bakes)
  --monitor DURATION           monitor window after 100% (default: config monitor.duration)
  --force-window --reason R    deploy outside the window; the reason is journaled
  --skip-promotion-check --reason R
                               release a build gates.promotedIn never promoted; the reason is journaled
  --message M                  message recorded on the version`,
  options: {
    'dry-run': { type: 'boolean' },
    'skip-e2e': { type: 'boolean' },
    bake: { type: 'string' },
    monitor: { type: 'string' },
    'force-window': { type: 'boolean' },
    'skip-promotion-check': { type: 'boolean' },
    reason: { type: 'string' },
    message: { type: 'string' },
    only: { type: 'string' },
  },
  async handler({ args, global, io }) {
    const monitorMs = durationFlag('monitor', args.monitor);
    const bakeMs = durationFlag('bake', args.bake);
    for (const flag of ['force-window', 'skip-promotion-check'] as const) {
      if (args[flag] && !args.reason) {
        throw new ShipshapeError('USAGE_BAD_ARGS', {
          command: 'deploy',
          message: `--${flag} needs --reason "why".`,
          usage: deployCommand.usage,
        });
      }
    }
    const session = await openSession(global, io);
    const dryRun = Boolean(args['dry-run']);
    // A dry run leaves the platform as it found it: a component's platform it had to start is stopped again.
    const stopped = dryRun ? await notRunning(session.config, io.env) : [];
    try {
      const target = await session.target();
      const result = await withInterrupt(io, (signal) =>
        deploy(
          {
            config: session.config,
            target,
            targetFor: session.targetFor,
            bus: session.bus,
            env: io.env,
            now: io.now,
            signal,
          },
          {
            dryRun,
            skipE2e: Boolean(args['skip-e2e']),
            forceWindow: args['force-window'] ? { reason: String(args.reason) } : null,
            skipPromotion: args['skip-promotion-check'] ? { reason: String(args.reason) } : null,
            monitorMs,
            bakeMs,
            message: args.message === undefined ? null : String(args.message),
            only: args.only === undefined ? null : String(args.only),
          },
        ),
      );
      return result.exitCode;
    } finally {
      await session.close();
      if (stopped.length > 0) {
        const { stopLocalDaemon } = await import('../../targets/create-target.ts');
        for (const c of stopped)
          await stopLocalDaemon(session.config.projectDir, session.config.env, c.implicit ? null : c.name);
      }
    }
  },
});

/** The components whose local platform is not running now. */
async function notRunning(config: ResolvedConfig, env: Record<string, string | undefined>) {
  if (config.target !== 'local') return [];
  const stopped = [];
  for (const component of config.components) {
    const target = await runningTarget(forComponent(config, component), env);
    await target?.close();
    if (!target) stopped.push(component);
  }
  return stopped;
}

function durationFlag(name: string, raw: unknown): number | null {
  if (raw === undefined) return null;
  const ms = parseDuration(String(raw));
  if (ms === null) {
    throw new ShipshapeError('USAGE_BAD_ARGS', {
      command: 'deploy',
      message: `--${name} "${raw}" is not a duration such as "30s" or "15m".`,
      usage: deployCommand.usage,
    });
  }
  return ms;
}
