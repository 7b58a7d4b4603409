import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ShipshapeError, toShipshapeError } from '../../errors/shipshape-error.ts';
import type { Redactor } from '../../redact/redact.ts';
import { type ActionBody, DASHBOARD_ACTIONS, type DashboardAction } from './actions.ts';
import { createAuth, type DashboardAuth, hostAllowed } from './auth.ts';
import type { LiveFeed } from './live-feed.ts';

export interface DashboardServer {
  port: number;
  /** The address to open: it carries the token once; the page then keeps it in a cookie. */
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  port: number;
  page: string;
  redactor: Redactor;
  /** The state every route serves, redacted. */
  feed: LiveFeed;
  act(action: DashboardAction, body: ActionBody): Promise<string>;
}

/** Largest action body read: a reason and a component name. */
const MAX_BODY = 16 * 1024;
/** A comment line on the event stream this often, so proxies and browsers keep it open. */
const KEEPALIVE_MS = 15_000;

/**
 * Listens on 127.0.0.1 only. Routes: `/` (the page; `?token=` sets the cookie and redirects to drop it from the
 * address), `/events` (server-sent events: `state` with the whole state on connect and on every change),
 * `/api/state` (the same JSON) and `POST /api/{promote,abort,rollback}`. Without the token or its cookie
 * every route answers 401; a POST from another origin 403.
 */
export async function startServer(options: ServerOptions): Promise<DashboardServer> {
  let auth: DashboardAuth | null = null;
  const streams = new Set<ServerResponse>();
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    if (!auth) return void res.writeHead(503).end();
    const done = handle(req, res, auth, options, streams)
      .catch((err) => fail(res, toShipshapeError(err), options))
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  });
  const port = await listen(server, options.port);
  auth = createAuth(port);
  const keepalive = setInterval(() => {
    for (const s of streams) s.write(': keepalive\n\n');
  }, KEEPALIVE_MS);
  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${auth.token}`,
    async close() {
      clearInterval(keepalive);
      for (const s of streams) s.end();
      // An action under way (a rollback) finishes and answers before the server goes: Ctrl-C never cuts one short.
      server.close();
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  auth: DashboardAuth,
  options: ServerOptions,
  streams: Set<ServerResponse>,
): Promise<void> {
  const port = (req.socket.localPort as number) ?? 0;
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  if (!hostAllowed(req, port))
    return text(res, 421, 'Misdirected request: use the address the dashboard printed.');
  if (!auth.allows(req, url))
    return text(res, 401, 'Unauthorized: open the address with ?token= that the dashboard printed.');
  if (req.method === 'GET' && url.pathname === '/') {
    if (url.searchParams.has('token')) {
      // The token leaves the address bar (and the history) at once; the cookie carries it from here.
      res.writeHead(303, { location: '/', 'set-cookie': auth.cookie(), 'cache-control': 'no-store' });
      return void res.end();
    }
    res.writeHead(200, headers('text/html; charset=utf-8'));
    return void res.end(options.page);
  }
  if (req.method === 'GET' && url.pathname === '/api/state') {
    res.writeHead(200, headers('application/json'));
    return void res.end(options.feed.current());
  }
  if (req.method === 'GET' && url.pathname === '/events') {
    res.writeHead(200, { ...headers('text/event-stream'), connection: 'keep-alive' });
    const send = (json: string) => res.write(`event: state\ndata: ${json}\n\n`);
    send(options.feed.current());
    const unsubscribe = options.feed.subscribe(send);
    streams.add(res);
    req.on('close', () => {
      unsubscribe();
      streams.delete(res);
    });
    return;
  }
  const action = /^\/api\/([a-z]+)$/.exec(url.pathname)?.[1] as DashboardAction | undefined;
  if (req.method === 'POST' && action && DASHBOARD_ACTIONS.includes(action)) {
    const refused = auth.refusesAction(req);
    if (refused) throw new ShipshapeError('DASHBOARD_BAD_REQUEST', { reason: refused, status: 403 });
    const message = await options.act(action, await readBody(req));
    await options.feed.refresh();
    res.writeHead(200, headers('application/json'));
    return void res.end(JSON.stringify(options.redactor.value({ ok: true, action, message })));
  }
  return text(res, 404, 'Not found.');
}

function headers(type: string): Record<string, string> {
  return {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, headers('text/plain; charset=utf-8'));
  res.end(`${body}\n`);
}

/** A coded error as JSON: 403 for a refused origin, 400 for bad input, 409 when the release cannot act. */
function fail(res: ServerResponse, err: ShipshapeError, options: ServerOptions): void {
  if (res.headersSent) return void res.end();
  const status =
    typeof err.details.status === 'number' ? err.details.status : err.kind === 'user' ? 409 : 500;
  res.writeHead(status, headers('application/json'));
  res.end(
    JSON.stringify(
      options.redactor.value({ ok: false, code: err.code, message: err.message, hint: err.hint }),
    ),
  );
}

async function readBody(req: IncomingMessage): Promise<ActionBody> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY)
      throw new ShipshapeError('DASHBOARD_BAD_REQUEST', { reason: 'its body is too large', status: 413 });
    chunks.push(chunk);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as ActionBody;
  } catch {
    // Answered below.
  }
  throw new ShipshapeError('DASHBOARD_BAD_REQUEST', { reason: 'its body is not a JSON object', status: 400 });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new ShipshapeError('DASHBOARD_PORT_IN_USE', { port }) : err),
    );
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
