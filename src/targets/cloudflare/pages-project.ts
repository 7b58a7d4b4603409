import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { CloudflareApi } from './api-client.ts';

/** Pages' code for a project the account does not have. */
const PROJECT_NOT_FOUND = 8000007;

/** The branch a new project's production follows (Pages' default). */
const DEFAULT_PRODUCTION_BRANCH = 'main';

/** The mark a production deployment made from a preview carries in its commit message: ` [of <preview id>]`. */
const FROM_PREVIEW = /\[of ([0-9a-f-]{36})\]/;

/** The fields of a Pages deployment this target reads. */
export interface PagesDeployment {
  id: string;
  url: string;
  environment: 'production' | 'preview';
  created_on: string;
  deployment_trigger?: { metadata?: { branch?: string; commit_hash?: string; commit_message?: string } };
}

interface PagesProjectJson {
  name: string;
  subdomain?: string;
  domains?: string[];
  production_branch?: string;
  canonical_deployment: PagesDeployment | null;
  deployment_configs?: { production?: { env_vars?: Record<string, { type?: string } | null> | null } };
}

/**
 * The version a deployment serves: the preview it was made from (its ` [of <id>]` mark), else its own id. A
 * preview made production keeps one identity, so the release's canary and what production serves compare equal.
 */
export function versionOf(d: PagesDeployment): string {
  return FROM_PREVIEW.exec(d.deployment_trigger?.metadata?.commit_message ?? '')?.[1] ?? d.id;
}

/** The preview branch of a release: `shipshape-<release id>`, in the letters Pages keeps in a branch alias. */
export function previewBranch(tag: string | undefined): string {
  const name = (tag ?? 'release').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `shipshape-${name}`.slice(0, 60).replace(/-+$/, '');
}

/** One Pages project over the REST API: `/accounts/:a/pages/projects/:p` and its deployments. */
export class PagesProject {
  constructor(
    private readonly api: CloudflareApi,
    readonly name: string,
  ) {}

  private path(tail = ''): string {
    return this.api.account(`/pages/projects/${encodeURIComponent(this.name)}${tail}`);
  }

  /** The project, or null when the account does not have it. */
  async get(): Promise<PagesProjectJson | null> {
    try {
      return await this.api.call<PagesProjectJson>('GET', this.path());
    } catch (err) {
      if (err instanceof ShipshapeError && err.details.cfCode === PROJECT_NOT_FOUND) return null;
      throw err;
    }
  }

  /** Creates a direct-upload project when the account lacks it (wrangler would only ask, and not in CI); true if created. */
  async ensure(): Promise<boolean> {
    if (await this.get()) return false;
    await this.api.call('POST', this.api.account('/pages/projects'), {
      body: { name: this.name, production_branch: DEFAULT_PRODUCTION_BRANCH },
    });
    return true;
  }

  async productionBranch(): Promise<string> {
    return (await this.get())?.production_branch ?? DEFAULT_PRODUCTION_BRANCH;
  }

  /** The newest deployments first (Pages lists 25 a page; the newest page is what a release needs). */
  async deployments(): Promise<PagesDeployment[]> {
    if (!(await this.get())) return [];
    return this.api.call<PagesDeployment[]>('GET', this.path('/deployments'));
  }

  /** Pages' own rollback: an earlier production deployment serves production again. */
  async rollback(deployment: string): Promise<void> {
    await this.api.call('POST', this.path(`/deployments/${encodeURIComponent(deployment)}/rollback`));
  }
}
