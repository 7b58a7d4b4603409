import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Split } from '../../target.ts';
import { statePaths } from '../paths.ts';
import { LocalPlatform } from '../platform.ts';

/** The pin header the data plane reads: each deployment's own address sets it, production strips it. */
const OVERRIDES = 'cloudflare-workers-version-overrides';

interface Site {
  platform: LocalPlatform;
  /** The project's production address (as `<project>.pages.dev`): whatever deployment is canonical. */
  production: Server;
  /** Each deployment's own address (as `<short id>.<project>.pages.dev`), opened on first use. */
  deployments: Map<string, Server>;
}

/**
 * The Pages projects of the API stand-in, each served apart from the account's Worker, as Cloudflare serves
 * `<project>.pages.dev` apart from `workers.dev`: a local platform of its own (state under
 * `<state root>/cf-pages/<project>/`), its production address, and one address per deployment that serves that
 * deployment's version while production keeps serving the canonical one. A version is served while it is in the
 * project's split: the canonical deployment at 100% and the newest preview at 0%; an older preview's address
 * answers 410 (Cloudflare keeps them all; the local platform runs two versions at most).
 */
export class PagesSites {
  private readonly sites = new Map<string, Promise<Site>>();

  constructor(private readonly account: LocalPlatform) {}

  /** The project's platform, opened (and its production address listening) on first use. */
  async platform(project: string): Promise<LocalPlatform> {
    return (await this.site(project)).platform;
  }

  /** `http://127.0.0.1:<port>`: where the project's production deployment answers. */
  async productionUrl(project: string): Promise<string> {
    return urlOf((await this.site(project)).production);
  }

  /** `http://127.0.0.1:<port>`: the deployment's own address, serving `version` (opened on first use). */
  async deploymentUrl(project: string, deployment: string, version: string): Promise<string> {
    const site = await this.site(project);
    let server = site.deployments.get(deployment);
    if (!server) {
      server = await listen((req, res) => pinned(site.platform, project, version, req, res));
      site.deployments.set(deployment, server);
    }
    return urlOf(server);
  }

  /**
   * Serves `canonical` at 100% and keeps `preview` (when given) at 0% beside it, so both addresses answer.
   * A project with no production deployment yet serves its preview pinned only.
   */
  async serve(project: string, canonical: string | null, preview: string | null, message: string | null) {
    const split: Split[] = [];
    if (canonical) split.push({ version: canonical, percent: 100 });
    if (preview && preview !== canonical) split.push({ version: preview, percent: 0 });
    if (split.length > 0) await (await this.platform(project)).setTraffic(split, message);
  }

  async close(): Promise<void> {
    const sites = await Promise.allSettled(this.sites.values());
    this.sites.clear();
    for (const s of sites) {
      if (s.status !== 'fulfilled') continue;
      await Promise.all([s.value.production, ...s.value.deployments.values()].map(closeServer));
      await s.value.platform.close();
    }
  }

  private site(project: string): Promise<Site> {
    let site = this.sites.get(project);
    if (!site) {
      site = this.open(project);
      site.catch(() => this.sites.delete(project));
      this.sites.set(project, site);
    }
    return site;
  }

  private async open(project: string): Promise<Site> {
    const { paths, projectDir, workerDir } = this.account;
    const own = statePaths(join(paths.root, 'cf-pages', project));
    // Miniflare and workerd come from the account's project (its wrangler); the state is the site's own.
    const platform = await LocalPlatform.open(projectDir, own, () => {}, workerDir);
    const production = await listen((req, res) => {
      // Production follows the canonical deployment only: a pin (to the preview beside it) is not honoured.
      dropOverrides(req);
      serveWith(platform, req, res);
    });
    return { platform, production, deployments: new Map() };
  }
}

function pinned(
  platform: LocalPlatform,
  project: string,
  version: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const live = platform.router.current();
  if (!live?.table.entries.some((e) => e.version === version)) {
    res.writeHead(410, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: `this deployment of "${project}" is no longer served by the local platform (it serves the production deployment and the newest preview)`,
      }),
    );
    return;
  }
  dropOverrides(req);
  const value = `${project}="${version}"`;
  req.headers[OVERRIDES] = value;
  req.rawHeaders.push('Cloudflare-Workers-Version-Overrides', value);
  serveWith(platform, req, res);
}

function serveWith(platform: LocalPlatform, req: IncomingMessage, res: ServerResponse): void {
  platform.router.handle(req, res).catch((err: Error) => {
    if (!res.headersSent) res.writeHead(502);
    res.end(String(err.message));
  });
}

function dropOverrides(req: IncomingMessage): void {
  delete req.headers[OVERRIDES];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i].toLowerCase() === OVERRIDES) raw.splice(i, 2);
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  server.keepAliveTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
