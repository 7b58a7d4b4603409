import type { ResolvedConfig } from '../../config/resolved.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { removeBuildFolder } from '../build/build.ts';
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
import { type CloudflareAccount, resolveAccount } from './account.ts';
import type { AccountLease } from './account-lease.ts';
import type { AccountState } from './account-state.ts';
import type { CloudflareApi } from './api-client.ts';
import { readQueryTimes } from './d1-query-times.ts';
import { cloudflareSplit, messageWithBundle, ScriptDeployments } from './deployments.ts';
import { assertAnalyticsAvailable, type MetricsDeps, readMetrics } from './metrics.ts';
import { overridesHeader, PinCheck } from './pinning.ts';
import { routeUrl } from './route-url.ts';
import { sharedState } from './shared-state.ts';
import {
  boundDatabase,
  boundKv,
  type CloudflareTargetOptions,
  cloudflareBuild,
  targetApi,
} from './worker-bindings.ts';
import { wranglerUpload } from './wrangler-upload.ts';

/**
 * Cloudflare seen through the Target interface. Builds with the same bundler as the local target, uploads the
 * bundle with the project's wrangler (`versions upload`; `deploy` for a new Worker's first version), and does
 * everything else over the REST API directly: traffic and versions (deployments API, the release id in the
 * message), D1 (query, batch, Time Travel), KV, secrets' names and, through GraphQL, metrics. Requests go to the
 * Worker's public URL (`cloudflare.url`, else its workers.dev address), pinned with Version-Overrides.
 * With `cloudflare.state` the release lock is a lease in that D1 database (`guard`) and the journals live there too
 * (`releaseStore`); without it the lock and history stay in `.shipshape/` on the deploying machine.
 */
export class CloudflareTarget implements Target {
  readonly name = 'cloudflare' as const;
  /** The release lease in the account's state database; undefined without `cloudflare.state`. */
  readonly guard: AccountLease | undefined;
  readonly releaseStore: AccountState | undefined;
  readonly scriptName: string;
  /** Cloudflare's analytics settle late: the judge reads only windows this old. */
  readonly metricsLagMs: number;
  readonly api: CloudflareApi;
  private readonly account: CloudflareAccount;
  private readonly script: ScriptDeployments;
  private readonly pins: PinCheck;
  private readonly metricsDeps: MetricsDeps;
  private baseUrl: Promise<string> | null = null;
  /** A new Worker's first version, served at once by wrangler deploy: staging it "at 0%" leaves it as it is, once. */
  private deployedAtOnce: string | null = null;
  /** The release (upload tag) this target last uploaded for: every later deployment message names it. */
  private release: string | null = null;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly options: CloudflareTargetOptions,
  ) {
    this.account = resolveAccount(config, options.env);
    this.metricsLagMs = config.cloudflare.analyticsLag;
    this.api = targetApi(this.account, options.bus);
    const shared = sharedState(config, this.api, options.bus);
    this.releaseStore = shared?.releaseStore;
    this.guard = shared?.guard;
    this.scriptName = config.worker.name;
    this.script = new ScriptDeployments(this.api, config.worker.name);
    this.pins = new PinCheck(this.api);
    const api = this.api;
    this.metricsDeps = {
      graphql: (query, variables) => api.graphql(query, variables),
      accountId: this.account.accountId,
      script: config.worker.name,
      lagMs: config.cloudflare.analyticsLag,
      now: () => new Date(),
    };
  }

  /**
   * `cloudflare.url`, else the first route of the wrangler config that names a host, else
   * `https://<worker>.<account subdomain>.workers.dev` (asked once).
   */
  url(): Promise<string> {
    this.baseUrl ??= this.workersDevUrl().catch((err) => {
      this.baseUrl = null;
      throw err;
    });
    return this.baseUrl;
  }

  private async workersDevUrl(): Promise<string> {
    if (this.config.cloudflare.url) return this.config.cloudflare.url;
    const routed = routeUrl(this.config.worker.configPath, this.config.worker.env);
    if (routed) return routed;
    const { subdomain } = await this.api.call<{ subdomain: string }>(
      'GET',
      this.api.account('/workers/subdomain'),
    );
    return `https://${this.config.worker.name}.${subdomain}.workers.dev`;
  }

  /** The bundle the local target runs; its hash shortened to what a version's message carries. */
  build(): Promise<Artifact> {
    return cloudflareBuild(this.config, this.options.env);
  }

  /** `wrangler versions upload` (a version at 0%); a Worker the account does not have yet: `wrangler deploy`. */
  async upload(artifact: Artifact, meta: UploadMeta): Promise<Version> {
    const exists = await this.script.exists();
    const command = exists ? 'versions upload' : 'deploy';
    if (!exists) {
      this.options.bus?.emit({
        type: 'log',
        level: 'info',
        message: `"${this.config.worker.name}" is new on Cloudflare: its first version goes through wrangler deploy and serves at once`,
      });
    }
    const message = messageWithBundle(meta.message, artifact.hash);
    const id = await wranglerUpload(
      command,
      artifact,
      this.config.worker,
      { ...meta, message },
      this.account,
      this.options.env,
    );
    removeBuildFolder(artifact);
    this.pins.forget();
    this.release = meta.tag ?? this.release;
    this.deployedAtOnce = exists ? null : id;
    return this.script.version(id);
  }

  deployment(): Promise<Deployment> {
    return this.script.current();
  }

  /** One deployments API call: Cloudflare applies it atomically; its message names the release. */
  async setTraffic(split: Split[], message?: string): Promise<void> {
    // Fencing: a runner whose lease was taken over since its last renewal changes nothing.
    await this.guard?.assertCurrent();
    const current = await this.script.current();
    const staged = this.deployedAtOnce;
    this.deployedAtOnce = null;
    const wanted = cloudflareSplit(split, current.split, staged);
    if (wanted === 'unchanged') return;
    try {
      const named = this.release && !message?.includes(this.release);
      await this.script.deploy(wanted, named ? `${this.release}: ${message ?? 'traffic'}` : message);
    } finally {
      this.pins.forget();
    }
  }

  versions(): Promise<Version[]> {
    return this.script.versions();
  }

  /**
   * To the Worker's URL; `version` and `pins` go in one Cloudflare-Workers-Version-Overrides dictionary. Each
   * pinned version must be in its Worker's current deployment (else Cloudflare ignores the pin and routes by
   * percentage: CLOUDFLARE_PIN_NOT_DEPLOYED), and an answer whose `x-version-id` names another version fails
   * (CLOUDFLARE_PIN_IGNORED). The checks also read a JSON `version` field.
   */
  async request(path: string, init: RequestInit2 = {}): Promise<Response> {
    const { version, pins, timeoutMs, ...rest } = init;
    const headers = new Headers(rest.headers);
    const pinned = { ...pins, ...(version ? { [this.config.worker.name]: version } : {}) };
    if (Object.keys(pinned).length > 0) {
      await this.pins.assertDeployed(pinned);
      headers.set('Cloudflare-Workers-Version-Overrides', overridesHeader(pinned));
    }
    const res = await fetch(new URL(path, await this.url()), {
      ...rest,
      headers,
      signal: rest.signal ?? AbortSignal.timeout(timeoutMs ?? 30_000),
    });
    const answered = res.headers.get('x-version-id')?.trim();
    if (version && answered && answered !== version) {
      await res.body?.cancel();
      throw new ShipshapeError('CLOUDFLARE_PIN_IGNORED', {
        version,
        script: this.config.worker.name,
        answered,
      });
    }
    return res;
  }

  async metrics(query: MetricsQuery): Promise<MetricWindow> {
    // Once per target (remembered in metrics.ts): a missing dataset or permission is said before any window.
    await assertAnalyticsAvailable(this.metricsDeps);
    return readMetrics(this.metricsDeps, query);
  }

  async queryTimes(span: { since: Date; until: Date }): Promise<QueryTimeWindow[]> {
    return readQueryTimes(this.metricsDeps, this.config.worker.d1, span);
  }

  database(binding?: string): DatabaseDriver {
    return boundDatabase(this.config, this.api, binding);
  }

  kv(binding: string): KvStore {
    return boundKv(this.config, this.api, binding);
  }

  /** The deployed Worker's secrets, names only (the API never answers values). */
  secretNames(): Promise<string[]> {
    return this.script.secretNames();
  }

  /** Nothing runs on this machine: closing keeps nothing open. */
  async close(): Promise<void> {}
}
