import { loadConfig } from '../config/load.ts';
import { projectWorker, type ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import type { CommandIO } from '../io/command-io.ts';
import { type JournalMirror, mirrorJournals, pullJournals } from '../state/release-store.ts';
import type { Target } from '../targets/target.ts';
import type { GlobalArgs } from './define-command.ts';

/** The project a command acts on: its config and, opened on first use, its targets. */
export interface Project {
  config: ResolvedConfig;
  /** Created on first use: commands that only read the journal never start the local daemon. */
  target(): Promise<Target>;
  /** Another component's target (a project with `components`), opened once and closed with the project. */
  targetFor(config: ResolvedConfig): Promise<Target>;
  /** Closes every target opened, in the order they were opened; a later `target()` opens anew. */
  close(): Promise<void>;
}

/**
 * The config for `--cwd` and `--env`: the one way a command loads it.
 * @example const config = await loadProjectConfig(ctx.global)
 */
export async function loadProjectConfig(
  global: Pick<GlobalArgs, 'cwd' | 'env'> & Partial<Pick<GlobalArgs, 'target'>>,
): Promise<ResolvedConfig> {
  const config = await loadConfig({ cwd: global.cwd, env: global.env });
  return global.target ? { ...config, target: global.target } : config;
}

/**
 * The config plus its targets, opened lazily with the command's environment (and the bus, when the command
 * has one, so the target's own events reach its reporter): the one way a command opens a target.
 * @example
 * const project = await openProject(ctx.global, ctx.io);
 * try { await (await project.target()).versions() } finally { await project.close() }
 */
export async function openProject(
  global: Pick<GlobalArgs, 'cwd' | 'env'> & Partial<Pick<GlobalArgs, 'target'>>,
  io: Pick<CommandIO, 'env'>,
  opts: { bus?: EventBus } = {},
): Promise<Project> {
  const config = await loadProjectConfig(global);
  const project = openTargets(config, io, opts);
  if (!sharesState(config)) return project;
  // State kept with the account: this machine first learns what other runners did, then sends what it does.
  let mirror: JournalMirror | null = null;
  try {
    mirror = await startMirror(config, await project.target(), opts.bus);
  } catch (err) {
    await project.close();
    throw err;
  }
  return {
    ...project,
    async close() {
      try {
        await mirror?.stop();
      } finally {
        await project.close();
      }
    },
  };
}

/**
 * The config for a command that only reads history (history, report, promote, abort): with `cloudflare.state`,
 * the account's journals are brought in first, so a fresh clone sees every runner's releases.
 */
export async function loadProjectState(
  global: Pick<GlobalArgs, 'cwd' | 'env'> & Partial<Pick<GlobalArgs, 'target'>>,
  io: Pick<CommandIO, 'env'>,
): Promise<ResolvedConfig> {
  const config = await loadProjectConfig(global);
  if (!sharesState(config)) return config;
  const project = openTargets(config, io, {});
  try {
    const store = (await project.target()).releaseStore;
    if (store) await pullJournals(store, config.projectDir, projectWorker(config));
  } finally {
    await project.close();
  }
  return config;
}

function sharesState(config: ResolvedConfig): boolean {
  return config.target === 'cloudflare' && config.cloudflare.state !== null;
}

async function startMirror(
  config: ResolvedConfig,
  target: Target,
  bus?: EventBus,
): Promise<JournalMirror | null> {
  const store = target.releaseStore;
  if (!store) return null;
  const worker = projectWorker(config);
  const known = await pullJournals(store, config.projectDir, worker);
  const mirror = mirrorJournals(store, config.projectDir, { worker, env: config.env }, known, {
    onError: (err) =>
      bus?.emit({
        type: 'log',
        level: 'warn',
        message: `could not send the journal to ${store.where} (sent again at the next try): ${err instanceof Error ? err.message : String(err)}`,
      }),
  });
  // A change of what serves is sent at once, not at the next tick: a runner killed right after it leaves the
  // next runner the journal line that says what to restore. Deferred so the journal has appended the line first.
  const unsubscribe = bus?.subscribe((e) => {
    if (SENT_AT_ONCE.has(e.type)) setTimeout(() => void mirror.flush(), 0);
  });
  return {
    flush: mirror.flush,
    async stop() {
      unsubscribe?.();
      await mirror.stop();
    },
  };
}

const SENT_AT_ONCE = new Set(['release.started', 'traffic.changed', 'rollback.started', 'release.finished']);

function openTargets(config: ResolvedConfig, io: Pick<CommandIO, 'env'>, opts: { bus?: EventBus }): Project {
  let target: Promise<Target> | null = null;
  const others = new Map<string, Promise<Target>>();
  const open = (view: ResolvedConfig) =>
    // Loaded on demand: the target pulls in the Workers runtime, which commands that read journals never need.
    import('../targets/create-target.ts').then(({ createTarget }) =>
      createTarget(view, opts.bus ? { env: io.env, bus: opts.bus } : { env: io.env }),
    );
  return {
    config,
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
      const opened = [target, ...others.values()];
      target = null;
      others.clear();
      // A target that failed to open has nothing to close; its error went to whoever asked for it.
      for (const next of opened) await (await next?.catch(() => null))?.close();
    },
  };
}
