import { findComponent } from '../config/components.ts';
import { projectSecrets } from '../config/dev-vars.ts';
import { forComponent, type ResolvedConfig } from '../config/resolved.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { EventBus } from '../events/bus.ts';
import { guardFlags } from '../flags/guard-flags.ts';
import { attachNotifier } from '../notify/notifier.ts';
import { attachJournal, newReleaseId } from '../state/journal.ts';
import { acquireLock, type HeldLock } from '../state/lock.ts';
import type { Target } from '../targets/target.ts';
import type { DeployOptions, ReleaseContext, ReleaseUnit } from './context.ts';
import { type DeployResult, finish } from './finish.ts';
import { type HeldGuard, holdGuard } from './guard.ts';
import { announceTakeover } from './lock-takeover.ts';
import { manualPoll } from './manual-poll.ts';
import { recoverOrphans } from './orphans.ts';
import { runPipeline } from './runner.ts';
import { servingVersion } from './serving.ts';
import { sleep } from './sleep.ts';

export interface DeployDeps {
  config: ResolvedConfig;
  /** The target of `config.component` (the first component, or the project's one worker). */
  target: Target;
  /** Opens the target of another component (a project with `components`). */
  targetFor?: (config: ResolvedConfig) => Promise<Target>;
  bus: EventBus;
  env: Record<string, string | undefined>;
  now: () => Date;
  signal?: AbortSignal;
}

/**
 * One release: lock, orphan recovery, the five phases, the verdict, and the rollback it asks for. Every step is
 * an event on `bus` and a line in `.shipshape/releases/<id>.ndjson`.
 */
export async function deploy(deps: DeployDeps, options: DeployOptions): Promise<DeployResult> {
  const { config, bus, target } = deps;
  const releaseId = newReleaseId(deps.now());
  let lock: HeldLock | null = null;
  if (!options.dryRun) {
    lock = acquireLock({
      projectDir: config.projectDir,
      worker: config.worker.name,
      env: config.env,
      release: releaseId,
      now: deps.now(),
    });
  }
  const controller = new AbortController();
  let notifier: ReturnType<typeof attachNotifier> | null = null;
  let guard: HeldGuard | null = null;
  try {
    // The platform's lease: if this process stops renewing it, the platform recovers the release by itself.
    guard = lock
      ? await holdGuard(deps, releaseId, (error) => {
          // Fenced: the platform took the release over. Stop at once; nothing more is sent or written.
          notifier?.detach();
          controller.abort(error);
        })
      : null;
    if (lock)
      await recoverOrphans({
        config,
        target,
        bus,
        env: deps.env,
        now: deps.now,
        currentRelease: releaseId,
        accepts: guard?.accepts,
        targetFor: deps.targetFor,
      });
  } catch (err) {
    await guard?.stop();
    lock?.release();
    throw err;
  }
  bus.release = releaseId;
  const detachJournal = options.dryRun
    ? () => {}
    : attachJournal(bus, config.projectDir, releaseId, deps.env, projectSecrets(config), {
        accepts: guard?.accepts,
      });
  notifier = options.dryRun ? null : attachNotifier(bus, config, deps.env);
  const renew = lock ? setInterval(() => lock?.renew(), 30_000) : null;
  renew?.unref();
  const started = Date.now();
  const onAbort = () => controller.abort(deps.signal?.reason);
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const deployment = await target.deployment();
    const baseline = servingVersion(deployment.split);
    bus.emit({
      type: 'release.started',
      worker: config.worker.name,
      env: config.env,
      target: target.name,
      dryRun: options.dryRun,
      baseline,
    });
    // The takeover is this release's act: announced once its journal and notifiers listen.
    if (lock?.tookOverFrom) await announceTakeover(bus, config, deps.env, lock.tookOverFrom);
    if (options.forceWindow)
      bus.emit({
        type: 'log',
        level: 'warn',
        message: `deploy window overridden: ${options.forceWindow.reason}`,
      });
    const ctx: ReleaseContext = {
      releaseId,
      config,
      units: await releaseUnits(deps, options.only ?? null),
      bus,
      options,
      env: deps.env,
      now: deps.now,
      startedAt: deps.now(),
      sleep,
      signal: controller.signal,
      outputs: { plan: null, staged: [], backups: [], served: false, rollout: null, warnings: [] },
      manual: { poll: manualPoll(config.projectDir, releaseId, bus, target.releaseStore) },
      restoreOnLapse: restorePlanner(target, guard, config),
    };
    const result = await finish(ctx, await runPipeline(ctx), started);
    if (guard?.fenced) throw guard.fenced;
    return result;
  } catch (err) {
    // A fenced process reports why it stopped, whatever error the refusal surfaced as.
    throw guard?.fenced ?? err;
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
    if (!guard?.fenced) await notifier?.flush();
    notifier?.detach();
    if (renew) clearInterval(renew);
    detachJournal();
    await guard?.stop();
    // The recovery that fenced this process holds the lock now (it took it over): leave it.
    if (!guard?.fenced) lock?.release();
  }
}

/**
 * The components this release acts on, in release order, each with its own target: all of them, or the one
 * `--only` names.
 */
async function releaseUnits(deps: DeployDeps, only: string | null): Promise<ReleaseUnit[]> {
  const { config } = deps;
  const chosen = only ? [findComponent(config.components, only)] : config.components;
  const units: ReleaseUnit[] = [];
  for (const component of chosen) {
    const view = forComponent(config, component);
    if (component.name === config.component.name)
      units.push({ name: component.name, config: view, target: deps.target });
    else if (deps.targetFor)
      units.push({ name: component.name, config: view, target: await deps.targetFor(view) });
    else
      throw new ShipshapeError('COMPONENT_UNKNOWN', { name: component.name, known: [config.component.name] });
  }
  return units;
}

/**
 * The guard outside this process (the account's guard Worker) restores a lapsed release from its lease: tell it
 * what to restore. Not when the release resumes after a crash (`rollback.onOrphan: resume`): a command does that.
 */
function restorePlanner(
  target: Target,
  guard: HeldGuard | null,
  config: ResolvedConfig,
): ReleaseContext['restoreOnLapse'] {
  const lease = target.guard;
  if (!guard || !lease?.restoreOnLapse || config.rollback.onOrphan !== 'rollback') return undefined;
  // Read at the step, so a flag the definitions refuse fails that step (a failed release), not the release's start.
  return async (worker, version) => lease.restoreOnLapse?.(worker, version, guardFlags(config));
}

export type { DeployResult };
