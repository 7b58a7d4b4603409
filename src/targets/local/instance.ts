import { Agent } from 'node:http';
import type { Readable } from 'node:stream';
import { createRuntime, miniflareFor, type RuntimeWorker } from '../../toolchain/miniflare.ts';
import type { ServiceFunction } from './component-binding.ts';
import { DATA_WORKER_NAME, DATA_WORKER_SCRIPT, dataBindingName, dataSecret } from './data-worker.ts';
import { objectOwners } from './object-owners.ts';
import { describeStartupError } from './startup-error.ts';
import type { StoredVersion } from './version-store.ts';
import { versionWorkers, workerName } from './version-worker.ts';

/** One workerd process (through Miniflare) running the live versions and the data worker. */
export interface Instance {
  readonly url: URL;
  readonly versions: ReadonlySet<string>;
  readonly agent: Agent;
  inflight: number;
  /** The version's own socket in workerd (assets first, then the worker; no Miniflare entry in between). */
  socket(versionId: string): URL;
  /**
   * Fires the version's `scheduled` handler as a cron trigger would (`controller.scheduledTime`: `at`, now by
   * default); resolves with its outcome.
   */
  scheduled(versionId: string, cron: string, at?: Date): Promise<{ outcome: string; noRetry: boolean }>;
  dispose(): Promise<void>;
}

export interface InstanceSpec {
  /** The project: its wrangler's Miniflare runs the versions. */
  projectDir: string;
  versions: StoredVersion[];
  /** Bundle directory and assets directory of each version. */
  dirs: (id: string) => { bundle: string; assets: string };
  /** Every D1 database id and KV namespace id the data worker must reach. */
  d1Ids: string[];
  kvIds: string[];
  /**
   * Persistence root (Miniflare keeps each binding kind under `<root>/<kind>/`, e.g. `d1/`, `kv/`, `r2/`, `do/`);
   * null = in-memory (the start-up check never touches real data).
   */
  persist: string | null;
  secrets: (env: string | null) => Record<string, string>;
  /** The binding to another component of the project (see component-binding.ts); absent: such bindings stay unbound. */
  component?: (name: string, binding: string) => ServiceFunction;
  /** Receives every version's D1 query times (d1-timing.ts). */
  d1Times?: ServiceFunction;
  /** Receives the runtime's output (worker logs, uncaught errors). */
  onOutput?: (text: string) => void;
  /** Each version's share of the deployment: Durable Objects run on the largest (see object-owners.ts). */
  percent?: (versionId: string) => number;
}

/** Starts workerd with the given versions; rejects with the runtime's own message when a worker fails to load. */
export async function startInstance(spec: InstanceSpec): Promise<Instance> {
  let output = '';
  const keep = (text: string) => {
    output = (output + text).slice(-20000);
    spec.onOutput?.(text);
  };
  const collect = (stream: Readable) => stream.on('data', (chunk: Buffer) => keep(chunk.toString()));
  const { Log, LogLevel } = miniflareFor(spec.projectDir);
  const mf = createRuntime(
    {
      host: '127.0.0.1',
      port: 0,
      cf: false,
      log: new Log(LogLevel.WARN),
      ...(spec.persist ? { resourcePersistencePath: spec.persist } : {}),
      handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
        collect(stdout);
        collect(stderr);
      },
      // The worker's own console and uncaught errors: to the daemon's log, never the terminal of the process that
      // runs the platform (init's probe runs one in-process, and an app's 404 stack traces are not init's output).
      handleStructuredLogs: ({ message }: { message: string }) => keep(`${message}\n`),
      workers: [...runtimeWorkers(spec), dataWorker(spec)],
    },
    spec.projectDir,
  );
  let url: URL;
  try {
    url = await mf.ready;
  } catch (err) {
    await mf.dispose().catch(() => {});
    const where = {
      projectDir: spec.projectDir,
      bundleDir: (id: string) => (spec.versions.some((v) => v.id === id) ? spec.dirs(id).bundle : null),
    };
    throw new StartupError(
      describeStartupError(`${output}\n${(err as Error).message}`, where) ?? (err as Error).message,
    );
  }
  const sockets = new Map<string, URL>();
  for (const v of spec.versions) sockets.set(v.id, await mf.unsafeGetDirectURL(workerName(v.id)));
  // lifo: the most recently used (warm) connection first, so idle extras time out instead of rotating.
  const agent = new Agent({ keepAlive: true, maxSockets: 512, scheduling: 'lifo' });
  return {
    url,
    versions: new Set(spec.versions.map((v) => v.id)),
    agent,
    inflight: 0,
    socket: (id) => sockets.get(id) as URL,
    async scheduled(id, cron, at = new Date()) {
      const worker = await mf.getWorker(workerName(id));
      const result = await worker.scheduled({ cron, scheduledTime: at });
      return { outcome: result.outcome, noRetry: result.noRetry };
    },
    async dispose() {
      agent.destroy();
      await mf.dispose();
    },
  };
}

/** Every version's workers; objects, workflows and queue consumers each run on one owning version. */
function runtimeWorkers(spec: InstanceSpec) {
  const owners = objectOwners(
    spec.versions,
    spec.percent ?? (() => 0),
    (id) => spec.dirs(id).bundle,
    workerName,
  );
  return spec.versions.flatMap((version) =>
    versionWorkers({
      version,
      dirs: spec.dirs(version.id),
      secrets: spec.secrets(version.settings.env),
      owners,
      component: spec.component,
      d1Times: spec.d1Times,
    }),
  );
}

/** A worker failed while loading; `message` is what the runtime said. */
export class StartupError extends Error {}

function dataWorker(spec: InstanceSpec): RuntimeWorker {
  return {
    name: DATA_WORKER_NAME,
    modules: true,
    script: DATA_WORKER_SCRIPT,
    compatibilityDate: '2025-09-01',
    // Checked on every request: the entry socket routes to this worker for anyone who names it.
    bindings: { SHIPSHAPE_DATA_SECRET: dataSecret() },
    d1Databases: Object.fromEntries(spec.d1Ids.map((id) => [dataBindingName('d1', id), id])),
    kvNamespaces: Object.fromEntries(spec.kvIds.map((id) => [dataBindingName('kv', id), id])),
  };
}
