import { rmSync } from 'node:fs';
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
import { messageWithBundle } from './deployments.ts';
import { type PagesDeployment, PagesProject, previewBranch, versionOf } from './pages-project.ts';
import { stagePagesOutput, wranglerPagesDeploy } from './pages-wrangler.ts';
import { sharedState } from './shared-state.ts';
import {
  boundDatabase,
  boundKv,
  type CloudflareTargetOptions,
  cloudflareBuild,
  targetApi,
} from './worker-bindings.ts';

/**
 * A Pages project on Cloudflare seen through the Target interface. Pages has no traffic split: a version is a
 * **preview** deployment (`wrangler pages deploy` to a branch named for the release), reached at its own address
 * by pinned checks while production keeps serving; `setTraffic` with that version at 100% makes it production by
 * deploying the same output to the production branch (Pages has no promote call), and a version that was
 * production before comes back through Pages' rollback. Any other split is refused (PAGES_SPLIT_UNSUPPORTED).
 * Cloudflare reports Pages Functions per project and environment, never per deployment: `metrics` refuses, and the
 * release watches the component through its pinned checks and the other components' judgement.
 */
export class PagesTarget implements Target {
  readonly name = 'cloudflare' as const;
  /** The release lease and journals in the account's state database; undefined without `cloudflare.state`. */
  readonly guard: AccountLease | undefined;
  readonly releaseStore: AccountState | undefined;
  readonly api: CloudflareApi;
  private readonly account: CloudflareAccount;
  private readonly project: PagesProject;
  /** Each preview this run uploaded → its staged output, deployed again when it becomes production. */
  private readonly outputs = new Map<string, string>();

  constructor(
    private readonly config: ResolvedConfig,
    private readonly options: CloudflareTargetOptions,
  ) {
    this.account = resolveAccount(config, options.env);
    this.api = targetApi(this.account, options.bus);
    const shared = sharedState(config, this.api, options.bus);
    this.releaseStore = shared?.releaseStore;
    this.guard = shared?.guard;
    this.project = new PagesProject(this.api, config.worker.name);
  }

  /** Where users reach production: the project's first custom domain, else `<project>.pages.dev`. */
  async url(): Promise<string> {
    const p = await this.project.get();
    const host = p?.domains?.[0] ?? p?.subdomain ?? `${this.config.worker.name}.pages.dev`;
    // A plain-HTTP API base is a local stand-in, whose sites answer plain HTTP too.
    const scheme = this.account.baseUrl.startsWith('http://') ? 'http' : 'https';
    return `${scheme}://${host}`;
  }

  /** The Pages build the local target runs (static output and compiled Functions), its hash shortened. */
  build(): Promise<Artifact> {
    return cloudflareBuild(this.config, this.options.env);
  }

  /** A preview deployment on a branch named for the release; the project is created first if the account lacks it. */
  async upload(artifact: Artifact, meta: UploadMeta): Promise<Version> {
    if (await this.project.ensure()) {
      this.options.bus?.emit({
        type: 'log',
        level: 'info',
        message: `Pages project "${this.config.worker.name}" created on Cloudflare (production branch ${await this.project.productionBranch()})`,
      });
    }
    const staged = stagePagesOutput(artifact, this.config.worker);
    removeBuildFolder(artifact);
    try {
      const id = await this.deploy(
        staged,
        previewBranch(meta.tag),
        messageWithBundle(meta.message, artifact.hash),
        meta,
      );
      this.outputs.set(id, staged);
      return this.version(id);
    } catch (err) {
      rmSync(staged, { recursive: true, force: true });
      throw err;
    }
  }

  private deploy(dir: string, branch: string, message: string, meta: Pick<UploadMeta, 'gitSha'>) {
    return wranglerPagesDeploy(
      dir,
      this.config.worker,
      { project: this.config.worker.name, branch, message, gitSha: meta.gitSha ?? null },
      this.account,
      this.options.env,
    );
  }

  private async version(id: string): Promise<Version> {
    const found = (await this.versions()).find((v) => v.id === id);
    if (!found) throw new ShipshapeError('PAGES_DEPLOYMENT_UNKNOWN', this.unknown(id, 'be read back'));
    return found;
  }

  /** The production deployment, as the version it was made from (a preview this target made production). */
  async deployment(): Promise<Deployment> {
    const canonical = (await this.project.get())?.canonical_deployment;
    if (!canonical) return { split: [], since: null };
    return { split: [{ version: versionOf(canonical), percent: 100 }], since: canonical.created_on };
  }

  /**
   * What Pages can do of a split: the version at 100% becomes (or stays) production; versions at 0% stay
   * previews at their own addresses. Anything between, or taking production back to nothing, is refused.
   */
  async setTraffic(split: Split[], message?: string): Promise<void> {
    // Fencing: a runner whose lease was taken over since its last renewal changes nothing.
    await this.guard?.assertCurrent();
    const refuse = (reason: string) =>
      new ShipshapeError('PAGES_SPLIT_UNSUPPORTED', {
        project: this.config.worker.name,
        split: split.map((s) => `${s.version}@${s.percent}%`).join(' '),
        reason,
      });
    if (split.some((s) => s.percent !== 0 && s.percent !== 100))
      throw refuse('a Pages project has no traffic split: one deployment serves production');
    const wanted = split.filter((s) => s.percent === 100);
    if (wanted.length > 1) throw refuse('only one deployment serves production');
    const serving = (await this.deployment()).split[0]?.version ?? null;
    if (wanted.length === 0) {
      if (split.some((s) => s.version === serving))
        throw refuse('production always serves a deployment, so it cannot be taken back to nothing');
      return; // previews only answer at their own addresses already
    }
    const version = wanted[0].version;
    if (version === serving) return;
    const deployments = await this.project.deployments();
    const before = deployments.find((d) => d.environment === 'production' && versionOf(d) === version);
    if (before) {
      await this.project.rollback(before.id);
      return;
    }
    const output = this.outputs.get(version);
    if (!output)
      throw new ShipshapeError('PAGES_DEPLOYMENT_UNKNOWN', this.unknown(version, 'serve production'));
    const preview = deployments.find((d) => d.id === version);
    // The preview's own message (with its bundle mark) after the mark naming it: one version, one hash.
    const text =
      `[of ${version}] ${preview?.deployment_trigger?.metadata?.commit_message || message || ''}`.trim();
    await this.deploy(output, await this.project.productionBranch(), text, {
      gitSha: preview?.deployment_trigger?.metadata?.commit_hash || null,
    });
    // Production now has it: from here on it comes back through Pages' rollback, never from this copy.
    rmSync(output, { recursive: true, force: true });
    this.outputs.delete(version);
  }

  /** Deployments as versions, newest first; a production deployment made from a preview is that preview's version. */
  async versions(): Promise<Version[]> {
    const seen = new Set<string>();
    const versions: Version[] = [];
    for (const d of await this.project.deployments()) {
      const id = versionOf(d);
      if (seen.has(id)) continue;
      seen.add(id);
      const text = d.deployment_trigger?.metadata?.commit_message ?? '';
      versions.push({
        id,
        worker: this.config.worker.name,
        hash: /\[bundle ([0-9a-f]{16})\]/.exec(text)?.[1] ?? '',
        gitSha: d.deployment_trigger?.metadata?.commit_hash || null,
        message: text || null,
        createdAt: d.created_on,
      });
    }
    return versions;
  }

  /**
   * `version` pinned: to the address of the deployment serving it (production's own when it is production, else
   * the preview's), as Cloudflare gives every deployment an address of its own. Unpinned: the production address.
   * Pages has no version header: `pins` to other components' versions cannot ride along and are left out.
   */
  async request(path: string, init: RequestInit2 = {}): Promise<Response> {
    const { version, pins: _pins, timeoutMs, ...rest } = init;
    const base = version ? await this.addressOf(version) : await this.url();
    return fetch(new URL(path, base), {
      ...rest,
      signal: rest.signal ?? AbortSignal.timeout(timeoutMs ?? 30_000),
    });
  }

  /** The deployment serving `version`: production's own address when it is production, else its preview's. */
  async addressOf(version: string): Promise<string> {
    const canonical = (await this.project.get())?.canonical_deployment;
    if (canonical && versionOf(canonical) === version) return canonical.url;
    const own = (await this.project.deployments()).find((d: PagesDeployment) => d.id === version);
    if (!own) throw new ShipshapeError('PAGES_DEPLOYMENT_UNKNOWN', this.unknown(version, 'answer requests'));
    return own.url;
  }

  metrics(query: MetricsQuery): Promise<MetricWindow> {
    return Promise.reject(
      new ShipshapeError('PAGES_NO_METRICS', { project: this.config.worker.name, version: query.version }),
    );
  }

  database(binding?: string): DatabaseDriver {
    return boundDatabase(this.config, this.api, binding);
  }

  kv(binding: string): KvStore {
    return boundKv(this.config, this.api, binding);
  }

  /** The production environment's secrets (names only), as the project's deployment config lists them. */
  async secretNames(): Promise<string[]> {
    const vars = (await this.project.get())?.deployment_configs?.production?.env_vars ?? {};
    return Object.entries(vars)
      .filter(([, v]) => v?.type === 'secret_text')
      .map(([name]) => name);
  }

  /** Removes the outputs staged for previews that never became production (nothing runs on this machine). */
  async close(): Promise<void> {
    for (const dir of this.outputs.values()) rmSync(dir, { recursive: true, force: true });
    this.outputs.clear();
  }

  private unknown(version: string, action: string) {
    return { project: this.config.worker.name, version, action };
  }
}
