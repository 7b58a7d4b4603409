import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestInit2 } from '../../targets/target.ts';
import type { PinnedTarget } from './probe.ts';

export const OVERRIDES_HEADER = 'cloudflare-workers-version-overrides';

/** A request as the test server saw it, with the version it was pinned to (parsed from the override header). */
export interface SeenRequest {
  method: string;
  path: string;
  pinned: string | null;
  headers: IncomingMessage['headers'];
}

export interface TestServer {
  /** Wraps the server as the two members of a Target the HTTP checks use. */
  target: PinnedTarget;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (port 0) for the HTTP checks' unit tests. `request()` pins like the
 * targets do, with `Cloudflare-Workers-Version-Overrides: <worker>="<id>"`.
 */
export async function startTestServer(
  handler: (req: SeenRequest, res: ServerResponse) => void | Promise<void>,
  worker = 'hello',
): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const pinned = /="([^"]+)"/.exec(String(req.headers[OVERRIDES_HEADER] ?? ''))?.[1] ?? null;
    const entry = { method: req.method ?? 'GET', path: req.url ?? '/', pinned, headers: req.headers };
    seen.push(entry);
    Promise.resolve(handler(entry, res)).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const target: PinnedTarget = {
    url: async () => base,
    request: (path: string, init: RequestInit2 = {}) => {
      const { version, timeoutMs, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (version) headers.set(OVERRIDES_HEADER, `${worker}="${version}"`);
      const signals = [rest.signal, timeoutMs ? AbortSignal.timeout(timeoutMs) : null].filter(
        Boolean,
      ) as AbortSignal[];
      return fetch(`${base}${path}`, {
        ...rest,
        headers,
        signal: signals.length ? AbortSignal.any(signals) : undefined,
      });
    },
  };
  return {
    target,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON response with headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
