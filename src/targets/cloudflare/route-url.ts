import { readWranglerFile } from '../../config/wrangler.ts';

type RouteEntry = string | { pattern?: unknown; custom_domain?: unknown };

/**
 * The Worker's address from the routes in its wrangler config (its environment's own, else the top level): the
 * first route or custom domain whose host is a name, not a wildcard (`api.example.com/*` → `https://api.example.com`).
 * The path part is left to the checks, whose paths are the app's own. Null when no route names a host.
 */
export function routeUrl(configPath: string, env: string | null): string | null {
  let raw: Record<string, unknown>;
  try {
    raw = readWranglerFile(configPath);
  } catch {
    return null;
  }
  const block = env ? ((raw.env as Record<string, Record<string, unknown>> | undefined)?.[env] ?? {}) : raw;
  const listed = block.routes ?? (block.route === undefined ? undefined : [block.route]);
  if (!Array.isArray(listed)) return null;
  for (const entry of listed as RouteEntry[]) {
    const pattern =
      typeof entry === 'string' ? entry : typeof entry?.pattern === 'string' ? entry.pattern : null;
    if (!pattern) continue;
    const host = pattern.replace(/^https?:\/\//, '').split('/')[0];
    if (host && !host.includes('*')) return `https://${host}`;
  }
  return null;
}
