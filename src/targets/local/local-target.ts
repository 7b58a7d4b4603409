import { execFileSync } from 'node:child_process';
import { readDevVars } from '../../config/dev-vars.ts';
import type { ResolvedConfig } from '../../config/resolved.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { EventBus } from '../../events/bus.ts';
import { buildWorker, removeBuildFolder } from '../build/build.ts';
import { workerSnapshot } from '../build/worker-snapshot.ts';
import type {
  Artifact,
  DatabaseDriver,
  Deployment,
  KvStore,
  MetricsQuery,
  MetricWindow,
  QueryTimeWindow,
  RequestInit2,
  Split,
  Target,
  UploadMeta,
  Version,
} from '../target.ts';
import { componentServices, withoutComponentServices } from './component-services.ts';
import { localPorts } from './environment-ports.ts';
import { type Connection, connect, startDetached } from './launcher.ts';
import { LocalDatabase, LocalKv } from './local-database.ts';
import { LocalGuard } from './local-guard.ts';
import { statePaths } from './paths.ts';
import type { WorkerSnapshot } from './version-store.ts';

export interface LocalTargetOptions {
  env: Record<string, string | undefined>;
  bus?: EventBus;
  autoStart?: boolean;
}

/**
 * The local platform seen through the Target interface: every call goes to the daemon of the config's
 * environment (started detached on first use when it is not running) over its control API; requests go
 * through its router. Each environment (`--env`) has a daemon, ports, versions and data of its own, and so has
 * each component of a project with `components` (`forComponent(config, c)` chooses it): state under
 * `.shipshape/components/<name>/`, its wrangler config, `.dev.vars` and migrations read from its own folder.
 */
export class LocalTarget implements Target {
  readonly name = 'local' as const;
  private connection: Promise<Connection> | null = null;
  readonly guard: LocalGuard;
  /** The component whose world this is; null for a project without `components` (its historical folders). */
  private readonly component: string | null;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly options: LocalTargetOptions,
  ) {
    this.component = config.component && !config.component.implicit ? config.component.name : null;
    this.guard = new LocalGuard(this.call, statePaths(config.projectDir, config.env, this.component));
  }

  /** Connects (starting the daemon when allowed); reconnects after a failure or a daemon restart. */
  connect(): Promise<Connection> {
    this.connection ??= this.connectOrStart()
      .then((connection) => {
        if (connection.started) {
          this.options.bus?.emit({
            type: 'log',
            level: 'info',
            message: `started the local platform${worldLabel(this.component, this.config.env)}: ${connection.info.url} (control ${connection.info.controlUrl})`,
            data: { pid: connection.info.pid },
          });
        }
        return connection;
      })
      .catch((err) => {
        this.connection = null;
        throw err;
      });
    return this.connection;
  }

  private async connectOrStart(): Promise<Connection> {
    const { projectDir, env } = this.config;
    const component = this.component;
    const running = await connect(projectDir, env, component);
    if (running) return running;
    if (!(this.options.autoStart ?? true))
      throw new ShipshapeError('LOCAL_NOT_RUNNING', { dir: projectDir, env, component });
    const ports = await localPorts(this.config);
    const workerDir = this.config.component?.dir ?? projectDir;
    return startDetached({ projectDir, envName: env, component, workerDir, ...ports, env: this.options.env });
  }

  /** One control API call; a daemon that stopped answering is looked up (or started) again next time. */
  private readonly call = async <T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    timeoutMs?: number,
  ): Promise<T> => {
    const { client } = await this.connect();
    client.lease = this.guard.generation;
    try {
      return await client.call<T>(method, path, body, timeoutMs);
    } catch (err) {
      if (isUnreachable(err)) this.connection = null;
      throw err;
    }
  };

  async url(): Promise<string> {
    return (await this.connect()).info.url;
  }

  /** Bundles the worker; services bound to other components are reached live (see componentServices), not built in. */
  build(): Promise<Artifact> {
    const worker = withoutComponentServices(this.config.worker, this.boundComponents());
    return buildWorker(worker, this.options.env, { command: this.config.build.command });
  }

  async upload(artifact: Artifact, meta: UploadMeta): Promise<Version> {
    const w = this.config.worker;
    const bound = this.boundComponents();
    const settings: WorkerSnapshot = {
      ...workerSnapshot(w),
      ...(bound.length ? { componentServices: bound } : {}),
    };
    const withSha = {
      ...meta,
      gitSha: meta.gitSha === undefined ? headSha(this.config.projectDir) : meta.gitSha,
    };
    const version = await this.call<Version>(
      'POST',
      '/upload',
      { artifact, meta: withSha, settings },
      180_000,
    );
    // The version store now holds its own copy of the bundle.
    removeBuildFolder(artifact);
    return version;
  }

  async deployment(): Promise<Deployment> {
    return this.call<Deployment>('GET', '/deployment');
  }

  async setTraffic(split: Split[], message?: string): Promise<void> {
    await this.call('POST', '/traffic', { split, message: message ?? null }, 180_000);
  }

  async versions(): Promise<Version[]> {
    return this.call<Version[]>('GET', '/versions');
  }

  /** Through the router; `version` pins with Cloudflare-Workers-Version-Overrides. */
  async request(path: string, init: RequestInit2 = {}): Promise<Response> {
    const { version, pins, timeoutMs, ...rest } = init;
    const headers = new Headers(rest.headers);
    const pinned = { ...pins, ...(version ? { [this.config.worker.name]: version } : {}) };
    if (Object.keys(pinned).length > 0)
      headers.set('Cloudflare-Workers-Version-Overrides', overridesHeader(pinned));
    const base = await this.url();
    return fetch(new URL(path, base), {
      ...rest,
      headers,
      signal: rest.signal ?? AbortSignal.timeout(timeoutMs ?? 30_000),
    });
  }

  async metrics(query: MetricsQuery): Promise<MetricWindow> {
    const q = new URLSearchParams({
      version: query.version,
      since: query.since.toISOString(),
      until: query.until.toISOString(),
    });
    return this.call<MetricWindow>('GET', `/metrics?${q}`);
  }

  async queryTimes(span: { since: Date; until: Date }): Promise<QueryTimeWindow[]> {
    return Promise.all(
      this.config.worker.d1.map(async (d) => {
        const q = new URLSearchParams({
          databaseId: d.databaseId,
          since: span.since.toISOString(),
          until: span.until.toISOString(),
        });
        const w = await this.call<{ queries: number; p50: number; p95: number }>('GET', `/d1/times?${q}`);
        return { binding: d.binding, databaseName: d.databaseName, databaseId: d.databaseId, ...w };
      }),
    );
  }

  database(binding?: string): DatabaseDriver {
    const d1 = this.config.worker.d1;
    const found = binding ? d1.find((d) => d.binding === binding) : d1[0];
    if (!found) {
      throw new ShipshapeError('LOCAL_BAD_REQUEST', {
        operation: 'database()',
        reason: `no D1 binding ${binding ? `"${binding}"` : ''} in ${this.config.worker.configPath} (known: ${d1.map((d) => d.binding).join(', ') || 'none'})`,
      });
    }
    return new LocalDatabase(found, this.call);
  }

  kv(binding: string): KvStore {
    const found = this.config.worker.kv.find((k) => k.binding === binding);
    if (!found) {
      throw new ShipshapeError('LOCAL_BAD_REQUEST', {
        operation: 'kv()',
        reason: `no KV binding "${binding}" in ${this.config.worker.configPath} (known: ${this.config.worker.kv.map((k) => k.binding).join(', ') || 'none'})`,
      });
    }
    return new LocalKv(found, this.call);
  }

  /** Names only, as `wrangler dev` would load them; values never leave the file. */
  async secretNames(): Promise<string[]> {
    const dir = this.config.component?.dir ?? this.config.projectDir;
    return Object.keys(readDevVars(dir, this.config.worker.env).vars).sort();
  }

  private boundComponents() {
    return this.config.components ? componentServices(this.config) : [];
  }

  /** The daemon keeps running for the next command; closing only forgets the connection. */
  async close(): Promise<void> {
    this.connection = null;
  }
}

/** ` for api (staging)`: which world a message is about; nothing for an implicit component's production. */
function worldLabel(component: string | null, env: string | null): string {
  if (component) return ` for ${component}${env ? ` (${env})` : ''}`;
  return env ? ` for ${env}` : '';
}

/** The project's HEAD commit, or null outside a git repository. */
function headSha(dir: string): string | null {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

/** A network failure (no HTTP status): the daemon may have stopped or moved to other ports. */
function isUnreachable(err: unknown): boolean {
  return (
    err instanceof ShipshapeError && err.code === 'TARGET_UNAVAILABLE' && err.details.status === undefined
  );
}

/** A Structured Fields dictionary, as Cloudflare reads it: `api="v1", web="v2"`. */
function overridesHeader(pins: Record<string, string>): string {
  return Object.entries(pins)
    .map(([worker, version]) => `${worker}="${version}"`)
    .join(', ');
}
