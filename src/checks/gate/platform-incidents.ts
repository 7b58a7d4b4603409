import type { ResolvedConfig } from '../../config/resolved.ts';
import type { GateCheck } from '../check.ts';
import { gateResult } from '../shared/result.ts';
import { affected, readUnresolvedIncidents } from './status-page.ts';

const NAME = 'platform incidents';
const CLOUDFLARE_API = 'api.cloudflare.com';

/**
 * Whether the config asks for the incidents gate: `gates.incidents.enabled` true or false as written; null (the
 * default) means a production release (no `--env`, or one listed in `gates.incidents.environments`) to target
 * `cloudflare`. A local release runs on this machine, where an incident on Cloudflare changes nothing, so it
 * never asks the status page unless told to (and tests never reach the internet).
 */
export function incidentsGateOn(config: ResolvedConfig): boolean {
  const { enabled, environments } = config.gates.incidents;
  if (enabled !== null) return enabled;
  const production = config.env === null || environments.includes(config.env);
  return production && config.target === 'cloudflare';
}

/**
 * Platform incidents: Cloudflare's status page (Statuspage API v2, `gates.incidents.url`) is asked for unresolved
 * incidents; one that names a component in `gates.incidents.components` (as a status page component or in its
 * title) blocks with its title and link. A page that cannot be read within `timeout` warns and never blocks.
 * On by default only where `incidentsGateOn` says; with the default (null) and CLOUDFLARE_API_BASE_URL pointing
 * somewhere other than Cloudflare's API (a stand-in), the release does not reach Cloudflare and nothing is asked.
 */
export const platformIncidentsCheck: GateCheck = {
  name: NAME,
  async run(ctx) {
    const { enabled, url, components, timeout } = ctx.config.gates.incidents;
    if (enabled === null && !reachesCloudflare(ctx.env.CLOUDFLARE_API_BASE_URL)) return [];
    const read = await readUnresolvedIncidents(url, timeout, ctx.signal);
    const watched = components.join(', ');
    if (!read.ok) {
      return gateResult(NAME, 'warn', {
        message: `Could not read the platform status page (${read.problem}); not blocking.`,
        hint: `Check ${url} yourself for incidents affecting ${watched} before going on.`,
        evidence: { url, components, problem: read.problem },
      });
    }
    const hits = read.incidents
      .map((incident) => ({ incident, affects: affected(incident, components) }))
      .filter((h) => h.affects.length > 0);
    const unrelated = read.incidents.filter((i) => !hits.some((h) => h.incident === i)).map((i) => i.name);
    if (hits.length === 0) {
      const others = unrelated.length > 0 ? ` (${unrelated.length} unresolved elsewhere)` : '';
      return gateResult(NAME, 'pass', {
        message: `No ongoing platform incident affects ${watched}${others}.`,
        evidence: { url, components, unrelated },
      });
    }
    const incidents = hits.map(({ incident, affects }) => ({ ...incident, affects }));
    const titles = incidents.map(
      (i) => `"${i.name}" (${i.status}, ${i.affects.join(', ')})${i.link ? ` ${i.link}` : ''}`,
    );
    return gateResult(NAME, 'fail', {
      message: `Ongoing platform incident${incidents.length > 1 ? 's' : ''}: ${titles.join('; ')}.`,
      hint: `Deploy once ${incidents.length > 1 ? 'they are' : 'it is'} resolved (${incidents[0].link ?? url}), or set gates.incidents.enabled: false to deploy anyway.`,
      evidence: { url, components, incidents, unrelated },
    });
  },
};

function reachesCloudflare(apiBase: string | undefined): boolean {
  if (!apiBase?.trim()) return true;
  try {
    return new URL(apiBase).hostname === CLOUDFLARE_API;
  } catch {
    return true;
  }
}
