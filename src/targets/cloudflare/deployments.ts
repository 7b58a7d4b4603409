import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { Deployment, Split, Version } from '../target.ts';
import type { CloudflareApi } from './api-client.ts';

/** Cloudflare keeps at most 100 characters of an annotation's message. */
export const MESSAGE_LIMIT = 100;

/** The bundle hash shipshape writes at the end of a version's message: ` [bundle <16 hex>]`. */
const BUNDLE_MARK = /\[bundle ([0-9a-f]{16})\]\s*$/;

interface CfVersion {
  id: string;
  number?: number;
  metadata?: { created_on?: string };
  annotations?: Record<string, string>;
}

interface CfDeployment {
  id: string;
  created_on: string;
  versions: Array<{ version_id: string; percentage: number }>;
  annotations?: Record<string, string>;
}

/** A version's message with the bundle hash after it, both within Cloudflare's 100 characters. */
export function messageWithBundle(message: string | undefined, hash: string): string {
  const mark = `[bundle ${hash}]`;
  const text = (message ?? '').slice(0, MESSAGE_LIMIT - mark.length - 1).trim();
  return text ? `${text} ${mark}` : mark;
}

/** The REST versions and deployments of one Worker (never wrangler: see PLATFORM-NOTES on rollback). */
export class ScriptDeployments {
  constructor(
    private readonly api: CloudflareApi,
    readonly script: string,
  ) {}

  private path(tail = ''): string {
    return this.api.account(`/workers/scripts/${encodeURIComponent(this.script)}${tail}`);
  }

  /** False for a Worker the account does not have yet (10007): its first version must come from `wrangler deploy`. */
  async exists(): Promise<boolean> {
    return (await this.orMissing(() => this.api.call('GET', this.path('/deployments')))) !== null;
  }

  /** Every deployable version (the newest 100), newest first. */
  async versions(): Promise<Version[]> {
    const result = await this.orMissing(() =>
      this.api.call<{ items: CfVersion[] }>('GET', this.path('/versions'), { query: { deployable: true } }),
    );
    return (result?.items ?? []).map((v) => this.toVersion(v));
  }

  async version(id: string): Promise<Version> {
    return this.toVersion(await this.api.call<CfVersion>('GET', this.path(`/versions/${id}`)));
  }

  /** The deployment serving now (Cloudflare lists the newest first); no split for a Worker that does not exist. */
  async current(): Promise<Deployment> {
    const result = await this.orMissing(() =>
      this.api.call<{ deployments: CfDeployment[] }>('GET', this.path('/deployments')),
    );
    const serving = result?.deployments[0];
    if (!serving) return { split: [], since: null };
    return {
      split: serving.versions.map((v) => ({ version: v.version_id, percent: v.percentage })),
      since: serving.created_on,
    };
  }

  /**
   * `POST …/deployments` with strategy percentage; the message (with the release id) as `workers/message`. Never
   * `?force=true`: a deployment across a secret change is refused (10220) and said so.
   */
  async deploy(split: Split[], message: string | undefined): Promise<void> {
    await this.api.call('POST', this.path('/deployments'), {
      body: {
        strategy: 'percentage',
        versions: split.map((s) => ({ version_id: s.version, percentage: s.percent })),
        ...(message ? { annotations: { 'workers/message': message.slice(0, MESSAGE_LIMIT) } } : {}),
      },
      // The same split sent twice is the same deployment: safe to send again after a 5xx.
      idempotent: true,
    });
  }

  /** The names (never values) of the serving version's secrets. */
  async secretNames(): Promise<string[]> {
    const list = await this.orMissing(() =>
      this.api.call<Array<{ name: string }>>('GET', this.path('/secrets')),
    );
    return (list ?? []).map((s) => s.name).sort();
  }

  private toVersion(v: CfVersion): Version {
    const message = v.annotations?.['workers/message'] ?? null;
    return {
      id: v.id,
      worker: this.script,
      hash: (message && BUNDLE_MARK.exec(message)?.[1]) ?? '',
      gitSha: null,
      message: message?.replace(BUNDLE_MARK, '').trim() || null,
      createdAt: v.metadata?.created_on ?? '',
    };
  }

  private async orMissing<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ShipshapeError && err.code === 'CLOUDFLARE_SCRIPT_NOT_FOUND') return null;
      throw err;
    }
  }
}

/**
 * What Cloudflare can serve of a split: one or two versions summing to 100. Staging a new Worker's first version
 * "at 0%" (pinned only) is the one exception: `wrangler deploy` already serves it at 100% (Cloudflare takes a new
 * Worker no other way), so that staging leaves the deployment as it is. Any later split summing to 0 (withdrawing
 * a first release to nothing) cannot be served and is refused, never reported as done.
 */
export function cloudflareSplit(
  split: Split[],
  serving: Split[],
  deployedAtOnce: string | null = null,
): Split[] | 'unchanged' {
  const sum = split.reduce((n, s) => n + s.percent, 0);
  if (sum === 100) return split;
  const only = split.length === 1 ? split[0] : null;
  const alone = serving.length === 1 && serving[0].version === only?.version;
  if (only && sum === 0 && only.version === deployedAtOnce && alone) return 'unchanged';
  throw new ShipshapeError('CLOUDFLARE_SPLIT_UNSUPPORTED', {
    split: split.map((s) => `${s.version}@${s.percent}%`).join(' '),
    reason:
      sum === 0
        ? 'it serves nothing, and a Worker on Cloudflare always serves a version'
        : `the percentages sum to ${sum}, not 100`,
  });
}
