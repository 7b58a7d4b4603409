import { existsSync, readFileSync } from 'node:fs';
import { ShipshapeError } from '../../errors/shipshape-error.ts';

/** A Pages project's `_routes.json`: which paths invoke Functions (`include`), and which never do (`exclude`). */
export interface PagesRoutes {
  include: string[];
  exclude: string[];
}

/** Every path reaches the worker: `_worker.js` without `_routes.json`, or Functions whose routes were not written. */
export const ALL_ROUTES: PagesRoutes = { include: ['/*'], exclude: [] };

/** Cloudflare's documented limits: at least one include, 100 rules in all, 100 characters each. */
const MAX_RULES = 100;
const MAX_RULE_LENGTH = 100;

/**
 * Reads and checks a `_routes.json` (the project's own, or the one `pages functions build` generated); null when
 * the file is absent. A file Cloudflare would refuse is PAGES_ROUTES_INVALID, naming the rule at fault.
 */
export function readPagesRoutes(file: string): PagesRoutes | null {
  if (!existsSync(file)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ShipshapeError('PAGES_ROUTES_INVALID', { file, reason: (err as Error).message });
  }
  const reason = routesProblem(value);
  if (reason) throw new ShipshapeError('PAGES_ROUTES_INVALID', { file, reason });
  const routes = value as { include: string[]; exclude?: string[] };
  return { include: routes.include, exclude: routes.exclude ?? [] };
}

function routesProblem(value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'the top level is not an object';
  const { version, include, exclude = [] } = value as Record<string, unknown>;
  if (version !== 1) return `"version" must be 1 (found ${JSON.stringify(version)})`;
  if (!Array.isArray(include) || include.length === 0) return '"include" must list at least one rule';
  if (!Array.isArray(exclude)) return '"exclude" must be a list of rules';
  const rules = [...include, ...exclude] as unknown[];
  if (rules.length > MAX_RULES)
    return `${rules.length} rules; at most ${MAX_RULES} include and exclude rules`;
  for (const rule of rules) {
    if (typeof rule !== 'string' || !rule.startsWith('/'))
      return `rule ${JSON.stringify(rule)} must be a path starting with "/"`;
    if (rule.length > MAX_RULE_LENGTH)
      return `rule "${rule.slice(0, 40)}…" is ${rule.length} characters; at most ${MAX_RULE_LENGTH}`;
  }
  return null;
}

/**
 * The regular expression of one rule, as Pages reads it: `*` matches anything (slashes too), `/api/*` also
 * matches `/api` itself, and a rule without a wildcard matches with or without a trailing slash.
 * @example routeRegExp('/api/*').test('/api') // true
 */
export function routeRegExp(rule: string): RegExp {
  const literal = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const wild = (s: string) => s.split('*').map(literal).join('.*');
  let source: string;
  if (rule === '/*') source = '/.*';
  else if (rule.endsWith('/*')) source = `${wild(rule.slice(0, -2))}(?:/.*)?`;
  else if (rule.endsWith('*')) source = wild(rule);
  else source = `${wild(rule.replace(/\/$/, ''))}/?`;
  return new RegExp(`^${source}$`);
}

/** Whether a request path goes to Functions: some include matches and no exclude does (exclude wins). */
export function invokesFunctions(routes: PagesRoutes, pathname: string): boolean {
  const matches = (rule: string) => routeRegExp(rule).test(pathname);
  return !routes.exclude.some(matches) && routes.include.some(matches);
}
