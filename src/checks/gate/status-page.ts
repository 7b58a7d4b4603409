/**
 * Reading a Statuspage page's unresolved incidents (Statuspage API v2, `GET /api/v2/incidents/unresolved.json`:
 * `{page: {id, name, url}, incidents: [{id, name, status, impact, shortlink, components: [{id, name}]}]}`, only
 * incidents still investigating, identified or monitoring). Cloudflare's status page is one such page.
 */

export interface StatusIncident {
  id: string;
  /** The incident's title. */
  name: string;
  /** investigating, identified or monitoring. */
  status: string;
  impact: string;
  /** Its public page (the shortlink, else the page's own incident address). */
  link: string | null;
  components: string[];
}

export type StatusRead = { ok: true; incidents: StatusIncident[] } | { ok: false; problem: string };

/**
 * Fetches and parses the page within `timeoutMs`. Never throws: an unreachable page, an HTTP error or a body
 * that is not the documented shape comes back as `{ok: false, problem}`.
 * @example await readUnresolvedIncidents('https://www.cloudflarestatus.com/api/v2/incidents/unresolved.json', 5000)
 */
export async function readUnresolvedIncidents(
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<StatusRead> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let body: unknown;
  try {
    const res = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
    if (!res.ok) return { ok: false, problem: `it answered HTTP ${res.status}` };
    body = await res.json();
  } catch (err) {
    if (timeout.aborted) return { ok: false, problem: `no answer within ${timeoutMs} ms` };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
    return {
      ok: false,
      problem: err instanceof SyntaxError ? 'its body is not JSON' : `unreachable: ${detail}`,
    };
  }
  return parseIncidents(body);
}

/** The documented shape, read leniently: only `incidents[].name` is required of each incident. */
export function parseIncidents(body: unknown): StatusRead {
  const incidents = (body as { incidents?: unknown } | null)?.incidents;
  if (!Array.isArray(incidents)) return { ok: false, problem: 'its body has no "incidents" list' };
  const pageUrl = text((body as { page?: { url?: unknown } }).page?.url);
  const read: StatusIncident[] = [];
  for (const raw of incidents) {
    const i = (raw ?? {}) as Record<string, unknown>;
    const name = text(i.name);
    if (!name) return { ok: false, problem: 'an incident has no "name"' };
    const id = text(i.id) ?? '';
    const components = Array.isArray(i.components)
      ? i.components.map((c) => text((c as { name?: unknown } | null)?.name)).filter((c) => c !== null)
      : [];
    const link =
      text(i.shortlink) ?? (pageUrl && id ? `${pageUrl.replace(/\/+$/, '')}/incidents/${id}` : null);
    read.push({
      id,
      name,
      status: text(i.status) ?? 'unknown',
      impact: text(i.impact) ?? 'unknown',
      link,
      components,
    });
  }
  return { ok: true, incidents: read };
}

/**
 * What of `wanted` an incident affects: its components, or its title, naming one as a whole word
 * (case-insensitive), so "KV" matches "Workers KV" but not "KVM".
 * @example affected({ name: 'Elevated D1 errors', components: [] } as StatusIncident, ['D1']) // ['D1']
 */
export function affected(incident: StatusIncident, wanted: string[]): string[] {
  const hits = new Set<string>();
  for (const word of wanted) {
    const pattern = new RegExp(
      `(^|[^a-z0-9])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`,
      'i',
    );
    const components = incident.components.filter((c) => pattern.test(c));
    for (const component of components) hits.add(component);
    if (components.length === 0 && pattern.test(incident.name)) hits.add(word);
  }
  return [...hits];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
