import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkerConfig } from '../../../config/wrangler.ts';
import { statePaths } from '../paths.ts';
import { LocalPlatform } from '../platform.ts';
import { CF_CODES } from './codes.ts';
import { CfError } from './envelope.ts';
import type { CfStore } from './state.ts';

/** Worker names as Cloudflare takes them (letters, digits, `-`, `_`; 63 at most): each becomes a folder name here. */
const SCRIPT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/;

/**
 * The Workers of the account, as Cloudflare runs every script of an account side by side. The account's platform
 * serves the first Worker deployed (the one it serves or has versions of), on the daemon's data plane as before;
 * every other Worker runs on a local platform of its own, opened on first use, state under
 * `<state root>/cf-scripts/<script>/` (Miniflare and workerd from the account's project, like Pages sites). Those
 * platforms have no public address: what reaches them is the API (deployments, secrets, cron triggers). Their D1
 * and KV bindings are copies of their own under that folder; the account's D1 databases stay reachable through
 * the REST API, which is how a Worker beside the app reads them. Which Workers run apart is kept in cf-api.json,
 * so a restarted daemon opens theirs again when they are next used, serving their last deployment.
 */
export class AccountScripts {
  private readonly platforms = new Map<string, Promise<LocalPlatform>>();

  constructor(
    private readonly account: LocalPlatform,
    private readonly store: CfStore,
  ) {}

  /** The Worker the account's platform serves: the one serving, else the newest it has versions of; null before any. */
  primary(): string | null {
    const live = this.account.deployment().split[0];
    const serving = live ? this.account.store.get(live.version)?.worker : undefined;
    return serving ?? this.account.store.list().at(-1)?.worker ?? null;
  }

  /** The Worker name the project's wrangler config gives (env-less); null when it names none or does not read. */
  private projectWorker(): string | null {
    try {
      return loadWorkerConfig(this.account.projectDir).name || null;
    } catch {
      return null;
    }
  }

  /** Whether `script` runs on a platform of its own. */
  isApart(script: string): boolean {
    return this.store.state.scriptsApart.includes(script);
  }

  /** The Workers running on platforms of their own. */
  apart(): string[] {
    return [...this.store.state.scriptsApart];
  }

  /**
   * The context a route on `script` runs with: the account's for the Worker its platform serves, and for a name the
   * account does not know (which the route answers as before, 404 mostly); a copy whose platform is the Worker's
   * own for a Worker running apart. `creates` (the upload that makes a Worker) gives a new Worker a platform of its
   * own, unless the account's serves none yet: then it takes that one.
   */
  async context<C extends { platform: LocalPlatform }>(ctx: C, script: string, creates: boolean): Promise<C> {
    if (!this.isApart(script)) {
      const primary = this.primary();
      if (!creates || primary === script) return ctx;
      // Before any deploy, the Worker of the project the platform runs for takes the data plane, whatever is
      // uploaded first (a helper Worker such as shipshape's guard installed before the app's first deploy).
      if (primary === null && [null, script].includes(this.projectWorker())) return ctx;
    }
    return { ...ctx, platform: await this.platform(script) };
  }

  /** Closes the Worker's platform and removes its state (versions, deployment, its own D1/KV copies). */
  async remove(script: string): Promise<void> {
    const opened = this.platforms.get(script);
    this.platforms.delete(script);
    const platform = await opened?.catch(() => null);
    await platform?.close();
    this.store.state.scriptsApart = this.store.state.scriptsApart.filter((s) => s !== script);
    this.store.save();
    if (SCRIPT_NAME.test(script)) rmSync(this.dir(script), { recursive: true, force: true });
  }

  /** Stops every Worker's runtime (with the account's platform); a failure to close one does not keep the others. */
  async close(): Promise<void> {
    const opened = await Promise.allSettled(this.platforms.values());
    this.platforms.clear();
    const closed = await Promise.allSettled(
      opened.flatMap((p) => (p.status === 'fulfilled' ? [p.value.close()] : [])),
    );
    const failed = closed.flatMap((c) => (c.status === 'rejected' ? [c.reason] : []));
    if (failed.length > 0) throw new AggregateError(failed, "closing the account's Workers failed");
  }

  private platform(script: string): Promise<LocalPlatform> {
    let opened = this.platforms.get(script);
    if (!opened) {
      const opening = this.open(script);
      opening.catch(() => {
        if (this.platforms.get(script) === opening) this.platforms.delete(script);
      });
      this.platforms.set(script, opening);
      opened = opening;
    }
    return opened;
  }

  private async open(script: string): Promise<LocalPlatform> {
    if (!SCRIPT_NAME.test(script)) {
      throw new CfError(
        400,
        CF_CODES.invalidScript,
        `Worker name "${script}": letters, digits, "-" and "_" only, 63 characters at most`,
      );
    }
    const { projectDir, workerDir, output } = this.account;
    const label = (text: string) => output(text.replace(/^(?=.)/gm, `[${script}] `));
    const platform = await LocalPlatform.open(projectDir, statePaths(this.dir(script)), label, workerDir);
    if (!this.isApart(script)) {
      this.store.state.scriptsApart.push(script);
      this.store.save();
    }
    return platform;
  }

  private dir(script: string): string {
    return join(this.account.paths.root, 'cf-scripts', script);
  }
}
