import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The dashboard's gate: a random token, given once in the printed URL, then kept in an HttpOnly, SameSite=Strict
 * cookie. Every request must carry one of them; a POST must also come from the dashboard's own page.
 */
export interface DashboardAuth {
  token: string;
  /** The cookie's name: per port, since browsers share cookies between ports of one host. */
  cookieName: string;
  /** True when the request carries the token (cookie, or `?token=` in the URL). */
  allows(req: IncomingMessage, url: URL): boolean;
  /** Null when the request may act; else why not (another site, another host name, not JSON). */
  refusesAction(req: IncomingMessage): string | null;
  /** The Set-Cookie header value that keeps the token for this dashboard. */
  cookie(): string;
}

export function createAuth(port: number, token = randomBytes(24).toString('base64url')): DashboardAuth {
  const cookieName = `shipshape_dashboard_${port}`;
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const matches = (given: string | null | undefined) => {
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  return {
    token,
    cookieName,
    allows(req, url) {
      return matches(cookieValue(req.headers.cookie, cookieName)) || matches(url.searchParams.get('token'));
    },
    refusesAction(req) {
      // A page elsewhere can make the browser send the cookie only on a simple cross-site POST; browsers name
      // the sender in Origin, and a form cannot send JSON.
      const origin = req.headers.origin;
      const site = req.headers['sec-fetch-site'];
      if (origin ? !origins.has(origin) : site !== 'same-origin')
        return `it came from ${origin ?? 'no page'}, not from the dashboard`;
      if (site && site !== 'same-origin') return 'it was not sent by the dashboard page itself';
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
        return 'its body is not JSON';
      return null;
    },
    cookie() {
      return `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    },
  };
}

/** True when the Host header names this dashboard (a DNS name rebound to 127.0.0.1 does not). */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  return req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}
