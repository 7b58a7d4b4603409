import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { readDevVars } from '../../config/dev-vars.ts';
import { findWranglerConfig, loadWorkerConfig, readWranglerFile } from '../../config/wrangler.ts';
import { hashBundle } from '../build/build.ts';
import type { Deployment, Split, UploadMeta, Version } from '../target.ts';
import { ApiError, badRequest } from './api-error.ts';
import { componentBinding } from './component-binding.ts';
import { d1TimesReceiver } from './d1-timing.ts';
import { type DeploymentState, readDeployment, writeDeployment } from './deployment-state.ts';
import { type Instance, StartupError, startInstance } from './instance.ts';
import { MetricsStore } from './metrics-store.ts';
import { type StatePaths, statePaths } from './paths.ts';
import { Router } from './router.ts';
import { type RoutingTable, splitProblem } from './split.ts';
import { type StoredVersion, VersionStore, type WorkerSnapshot } from './version-store.ts';

/** What the client sends to upload: the built artifact (on this machine's disk) and the worker's settings. */
export interface UploadRequest {
  artifact: { worker: string; dir: string; mainModule: string; hash: string; assetsDir: string | null };
  meta: UploadMeta;
  settings: WorkerSnapshot;
  /** Served at 100% right after (Cloudflare's non-versioned upload): its Durable Object migrations may change. */
  atOnce?: boolean;
}

/**
 * The local platform inside the daemon: versions on disk, the deployment, one live workerd instance behind
 * the router. Changes are serialised; each change of the serving set starts a new instance before retiring
 * the old one.
 */
export class LocalPlatform {
  readonly metrics = new MetricsStore();
  readonly router = new Router(this.metrics);
  /** Every D1 query the versions make, timed in the runtime, per database id per second (d1-timing.ts). */
  readonly d1Times = new MetricsStore();
  readonly startedAt = new Date();
  /** Folders besides the project that uploads may name (only set in-process, see DaemonOptions.linkedFrom). */
  readonly uploadRoots: string[] = [];
  /** Run by `close()` before the runtime stops: what lives beside the platform (the API stand-in's Pages sites). */
  readonly closing: Array<() => Promise<void>> = [];
  private deploymentState: DeploymentState;
  private readonly d1Ids = new Set<string>();
  private readonly kvIds = new Set<string>();
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly projectDir: string,
    readonly paths: StatePaths,
    readonly store: VersionStore,
    /** Where the runtime's output goes (the daemon's log); what runs beside the platform may write there too. */
    readonly output: (text: string) => void,
    /** The served worker's folder: its wrangler config, `.dev.vars` and wrangler install (a component's own). */
    readonly workerDir: string,
  ) {
    this.deploymentState = readDeployment(paths.deployment);
    for (const v of store.list()) this.addBindings(v.settings);
    for (const settings of wranglerBindings(workerDir, paths.env)) this.addBindings(settings);
    if (!isInside(workerDir, projectDir)) this.uploadRoots.push(workerDir);
  }

  /**
   * Loads the state (refusing a corrupt file) and starts the runtime for the persisted deployment. `workerDir`
   * is the component's folder in a project with `components`; state stays under `projectDir`.
   */
  static async open(
    projectDir: string,
    paths: StatePaths,
    output: (text: string) => void,
    workerDir: string = projectDir,
  ): Promise<LocalPlatform> {
    for (const dir of [paths.root, paths.d1, paths.kv, paths.backups]) mkdirSync(dir, { recursive: true });
    const platform = new LocalPlatform(projectDir, paths, new VersionStore(paths), output, workerDir);
    const missing = platform.deploymentState.split.find((s) => !platform.store.get(s.version));
    if (missing) {
      throw new ApiError(500, 'LOCAL_STATE_CORRUPT', {
        path: paths.deployment,
        reason: `it names version ${missing.version}, which is not in ${paths.versions}`,
      });
    }
    await platform.switchTo(platform.deploymentState);
    return platform;
  }

  /** Runs `task` after every earlier change has settled. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.chain.then(task, task);
    this.chain = next.catch(() => {});
    return next;
  }

  /** Registers a version at 0% after checking it starts; the serving instance is never touched. */
  async upload(body: UploadRequest): Promise<Version> {
    const { artifact } = body;
    if (!artifact || typeof artifact.dir !== 'string') throw badRequest('upload', 'artifact.dir is required');
    // The client removes its build folder after an upload; the same build uploaded again comes from the store.
    const dir = existsSync(artifact.dir) ? artifact.dir : this.storedBundle(artifact.hash);
    if (!dir) throw badRequest('upload', 'artifact.dir must be an existing bundle directory');
    if (!body.settings || typeof body.settings.compatibilityDate !== 'string') {
      throw badRequest('upload', 'settings.compatibilityDate is required');
    }
    const hash = hashBundle(dir);
    if (artifact.hash && artifact.hash !== hash) {
      throw badRequest(
        'upload',
        `the bundle changed since it was built (hash ${hash.slice(0, 12)}, expected ${artifact.hash.slice(0, 12)})`,
      );
    }
    const version: StoredVersion = {
      id: randomUUID(),
      worker: artifact.worker,
      hash,
      gitSha: body.meta?.gitSha ?? null,
      message: body.meta?.message ?? null,
      tag: body.meta?.tag ?? null,
      createdAt: new Date().toISOString(),
      mainModule: artifact.mainModule,
      settings: body.settings,
    };
    return this.serial(async () => {
      const refused = body.atOnce ? null : migrationChange(version, this.leader(this.deploymentState));
      if (refused) throw refused;
      this.store.add(version, dir, artifact.assetsDir);
      try {
        const check = await startInstance({ ...this.spec([version]), persist: null });
        await check.dispose();
      } catch (err) {
        this.store.discard(version.id);
        if (err instanceof StartupError)
          throw new ApiError(422, 'LOCAL_WORKER_START_FAILED', { reason: err.message });
        throw err;
      }
      this.addBindings(version.settings);
      this.store.prune(new Set(this.deploymentState.split.map((s) => s.version)));
      return publicVersion(version);
    });
  }

  /** Validates and applies a split; a new serving set gets a new instance, started before the switch. */
  setTraffic(split: unknown, message: string | null): Promise<void> {
    const problem = splitProblem(split, (id) => this.store.get(id) !== undefined);
    if (problem) return Promise.reject(badRequest('set traffic', problem));
    const entries = (split as Split[]).map((s) => ({ version: s.version, percent: s.percent }));
    const worker = this.store.get(entries[0].version)?.worker ?? null;
    const next: DeploymentState = { worker, split: entries, since: new Date().toISOString(), message };
    return this.serial(async () => {
      const live = this.router.current();
      // Durable Objects move to the version with the larger share: a new leader needs a new instance.
      const same =
        live &&
        live.instance.versions.size === entries.length &&
        entries.every((e) => live.instance.versions.has(e.version)) &&
        (!ownsObjects(entries.map((e) => this.store.get(e.version))) ||
          this.leader(next)?.id === this.leader(this.deploymentState)?.id);
      if (same) {
        writeDeployment(this.paths.deployment, next);
        this.deploymentState = next;
        this.router.setTable(this.table(next));
        return;
      }
      await this.switchTo(next);
    });
  }

  /** Makes sure the data worker can reach these ids (a new binding means a new instance). */
  ensureBindings(kind: 'd1' | 'kv', id: string): Promise<void> {
    const set = kind === 'd1' ? this.d1Ids : this.kvIds;
    if (set.has(id)) return Promise.resolve();
    return this.serial(async () => {
      set.add(id);
      await this.switchTo(this.deploymentState);
    });
  }

  /**
   * Runs `work` while arriving requests are held and none is in flight (after every earlier change). With
   * `stopRuntime`, workerd is disposed before `work` and started again for the same deployment after it, so
   * `work` may replace SQLite files no process has open. Requests wait, none fails.
   */
  quiesced<T>(operation: string, stopRuntime: boolean, work: () => T | Promise<T>): Promise<T> {
    return this.serial(() =>
      this.router.exclusive(async (current, drained) => {
        if (!drained) {
          throw new ApiError(503, 'TARGET_UNAVAILABLE', {
            operation,
            reason: 'requests still in flight after 15 s; try again when traffic is lighter',
          });
        }
        if (!stopRuntime || !current) return work();
        this.router.replace(null);
        await current.instance.dispose();
        try {
          return await work();
        } finally {
          const versions = this.deploymentState.split.map((s) => this.store.get(s.version) as StoredVersion);
          const instance = await startInstance(this.spec(versions));
          this.router.replace({ instance, table: this.table(this.deploymentState) });
        }
      }),
    );
  }

  /** The bundle directory of a stored version built from the same bundle (same hash), if any. */
  private storedBundle(hash: unknown): string | null {
    const same = typeof hash === 'string' && this.store.list().find((v) => v.hash === hash);
    return same ? this.store.dirs(same.id).bundle : null;
  }

  deployment(): Deployment {
    return { split: this.deploymentState.split, since: this.deploymentState.since };
  }

  versions(): Version[] {
    return this.store.list().map(publicVersion);
  }

  async close(): Promise<void> {
    for (const close of this.closing.splice(0)) await close();
    await this.serial(async () => {
      const old = await this.router.switchTo(null);
      await old?.dispose();
    });
  }

  private async switchTo(next: DeploymentState): Promise<void> {
    const versions = next.split.map((s) => this.store.get(s.version) as StoredVersion);
    let instance: Instance;
    try {
      instance = await startInstance(this.spec(versions, next));
    } catch (err) {
      if (err instanceof StartupError)
        throw new ApiError(422, 'LOCAL_WORKER_START_FAILED', { reason: err.message });
      throw err;
    }
    writeDeployment(this.paths.deployment, next);
    this.deploymentState = next;
    const old = await this.router.switchTo({ instance, table: this.table(next) });
    await old
      ?.dispose()
      .catch((e: Error) => this.output(`disposing the previous runtime failed: ${e.message}\n`));
  }

  private table(state: DeploymentState): RoutingTable {
    const created = (id: string) => this.store.get(id)?.createdAt ?? '';
    const entries = [...state.split].sort((a, b) => created(b.version).localeCompare(created(a.version)));
    return { worker: state.worker ?? '', entries };
  }

  /**
   * Fires `scheduled` on one serving version (the one named, else one picked by the split's weights), as a cron
   * trigger would; `cron` defaults to the version's first `triggers.crons` entry. `at` is the time it was due
   * (`controller.scheduledTime`; a clock's minute), now by default.
   */
  scheduled(cron: string | null, versionId: string | null, at?: Date) {
    return this.serial(async () => {
      const live = this.router.current();
      const split = this.deploymentState.split;
      if (!live || split.length === 0) throw badRequest('scheduled', 'no version is serving');
      const id = versionId ?? pickByWeight(split);
      if (!live.instance.versions.has(id)) throw badRequest('scheduled', `version ${id} is not serving`);
      const crons = this.store.get(id)?.settings.bindings?.crons ?? [];
      const expression = cron ?? crons[0] ?? '* * * * *';
      const result = await live.instance.scheduled(id, expression, at);
      return { version: id, cron: expression, ...result };
    });
  }

  /** The version with the largest share (the newer on a tie): it runs the Durable Objects. */
  private leader(state: DeploymentState): StoredVersion | undefined {
    const created = (id: string) => this.store.get(id)?.createdAt ?? '';
    const top = [...state.split].sort(
      (a, b) => b.percent - a.percent || created(b.version).localeCompare(created(a.version)),
    )[0];
    return top ? this.store.get(top.version) : undefined;
  }

  private spec(versions: StoredVersion[], state: DeploymentState = this.deploymentState) {
    return {
      percent: (id: string) => state.split.find((s) => s.version === id)?.percent ?? 0,
      projectDir: this.workerDir,
      versions,
      dirs: (id: string) => this.store.dirs(id),
      d1Ids: [...this.d1Ids],
      kvIds: [...this.kvIds],
      // paths.d1 and paths.kv are the runtime's own `<root>/d1` and `<root>/kv` folders.
      persist: this.paths.root,
      secrets: (env: string | null) => readDevVars(this.workerDir, env).vars,
      // Another component of the project, reached through its own daemon's live deployment.
      component: (name: string, binding: string) =>
        componentBinding(statePaths(this.projectDir, this.paths.env, name), binding),
      d1Times: d1TimesReceiver(this.d1Times),
      onOutput: this.output,
    };
  }

  private addBindings(settings: Pick<WorkerSnapshot, 'd1' | 'kv'>): void {
    for (const d of settings.d1) this.d1Ids.add(d.databaseId);
    for (const k of settings.kv) this.kvIds.add(k.id);
  }
}

/** Cloudflare refuses (10211) a gradual upload whose Durable Object migrations differ from the serving version's. */
function migrationChange(version: StoredVersion, serving: StoredVersion | undefined): ApiError | null {
  if (!serving) return null;
  const tags = (v: StoredVersion) => JSON.stringify(v.settings.bindings?.doMigrations ?? []);
  if (tags(version) === tags(serving)) return null;
  const last = (v: StoredVersion) =>
    ((v.settings.bindings?.doMigrations ?? []).at(-1) as { tag?: string } | undefined)?.tag ?? 'none';
  return new ApiError(400, 'LOCAL_DO_MIGRATION_GRADUAL', {
    cloudflareCode: 10211,
    serving: serving.id,
    from: last(serving),
    to: last(version),
  });
}

function ownsObjects(versions: Array<StoredVersion | undefined>): boolean {
  return versions.some((v) => {
    const b = v?.settings.bindings;
    return !!b && (b.durableObjects.length > 0 || b.workflows.length > 0 || b.queueConsumers.length > 0);
  });
}

function pickByWeight(split: Split[]): string {
  let roll = Math.random() * 100;
  for (const s of split) {
    roll -= s.percent;
    if (roll < 0) return s.version;
  }
  return split[split.length - 1].version;
}

function publicVersion(v: StoredVersion): Version {
  return {
    id: v.id,
    worker: v.worker,
    hash: v.hash,
    gitSha: v.gitSha,
    message: v.message,
    createdAt: v.createdAt,
  };
}

/**
 * D1 and KV ids of the daemon's environment in the project's wrangler config, so data is reachable before any
 * upload. Only its own: another environment's data is another daemon's.
 */
function wranglerBindings(projectDir: string, env: string | null): Array<Pick<WorkerSnapshot, 'd1' | 'kv'>> {
  const path = findWranglerConfig(projectDir);
  if (!path) return [];
  try {
    const envs = Object.keys((readWranglerFile(path).env as Record<string, unknown> | undefined) ?? {});
    return [env]
      .filter((e) => e === null || envs.includes(e))
      .map((env) => {
        const w = loadWorkerConfig(projectDir, env);
        return { d1: w.d1.map((d) => ({ binding: d.binding, databaseId: d.databaseId })), kv: w.kv };
      });
  } catch {
    return []; // an invalid wrangler config is reported where it is used, not by the daemon
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}
