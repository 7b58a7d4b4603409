import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An incident as Statuspage's API v2 lists it (the fields the gate reads, plus a few it ignores). */
export function statusIncident(name: string, components: string[], status = 'investigating') {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 12);
  return {
    id,
    name,
    status,
    impact: 'major',
    shortlink: `https://stspg.io/${id}`,
    created_at: '2026-03-04T09:00:00Z',
    updated_at: '2026-03-04T09:30:00Z',
    page_id: 'yh6f0r4529hb',
    incident_updates: [{ body: 'We are investigating.', status, created_at: '2026-03-04T09:00:00Z' }],
    components: components.map((c, i) => ({ id: `c${i}`, name: c, status: 'partial_outage' })),
  };
}

export interface StatusPageStandIn {
  /** The stand-in's `incidents/unresolved.json` address. */
  url: string;
  /** What it answers next: incidents in the documented shape, an HTTP status, a raw body, or silence. */
  answer(next: { incidents: unknown[] } | { status: number } | { body: string } | 'hang'): void;
  close(): Promise<void>;
}

/** A Statuspage stand-in on 127.0.0.1 (port 0) serving `GET /api/v2/incidents/unresolved.json`. */
export async function startStatusPage(): Promise<StatusPageStandIn> {
  let next: Parameters<StatusPageStandIn['answer']>[0] = { incidents: [] };
  const server: Server = createServer((req, res) => {
    if (next === 'hang') return;
    if (req.url !== '/api/v2/incidents/unresolved.json') {
      res.writeHead(404).end();
    } else if ('status' in next) {
      res.writeHead(next.status).end('unavailable');
    } else if ('body' in next) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(next.body);
    } else {
      const page = { id: 'yh6f0r4529hb', name: 'Cloudflare', url: 'https://www.cloudflarestatus.com' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ page, ...next }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v2/incidents/unresolved.json`,
    answer: (value) => {
      next = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
