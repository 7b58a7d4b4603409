import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { isAlive, readDaemonInfo } from './daemon-info.ts';
import type { StatePaths } from './paths.ts';

/** A service binding run in Node: Miniflare calls it for every `env.BINDING.fetch()` of the worker. */
export type ServiceFunction = (request: Request) => Promise<Response>;

/** Statuses whose responses carry no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);
/** Per-hop headers: they describe this connection, not the answer relayed to the worker. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * The binding to another component of the project: each call goes over HTTP to that component's router, whose
 * address is read from its daemon.json at call time. Its current traffic split, version pins and metrics apply,
 * as on Cloudflare a service binding reaches the bound worker's deployment, and a restart on other ports is
 * followed. While its daemon is not running, the call answers 503 with a one-line reason naming the component.
 * @example componentBinding(statePaths('/app', null, 'api'), 'API') // bound as serviceBindings.API
 */
export function componentBinding(paths: StatePaths, binding: string): ServiceFunction {
  return async (request) => {
    const router = routerOf(paths);
    if (!router) return notRunning(paths, binding);
    const body =
      request.method === 'GET' || request.method === 'HEAD' ? null : Buffer.from(await request.arrayBuffer());
    try {
      return await forward(router, request, body);
    } catch {
      // Refused or reset before an answer: the daemon stopped between reading daemon.json and the call.
      return notRunning(paths, binding);
    }
  };
}

/** The bound component's data plane, or null when its daemon is not running (or its daemon.json is unreadable). */
function routerOf(paths: StatePaths): URL | null {
  try {
    const info = readDaemonInfo(paths);
    return info && isAlive(info.pid) ? new URL(info.url) : null;
  } catch {
    return null;
  }
}

function forward(router: URL, request: Request, body: Buffer | null): Promise<Response> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    // Miniflare's own mf-* headers stay inside this runtime.
    if (!name.startsWith('mf-') && !HOP_BY_HOP.has(name) && name !== 'content-length') headers[name] = value;
  });
  // The bound worker sees the URL the caller fetched (its host), not the router's address.
  headers.host = url.host;
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      {
        host: router.hostname,
        port: router.port,
        method: request.method,
        path: `${url.pathname}${url.search}`,
        headers,
        agent,
      },
      (res) => resolve(relayed(res, request.method === 'HEAD')),
    );
    upstream.on('error', reject);
    upstream.end(body ?? undefined);
  });
}

function relayed(res: IncomingMessage, head: boolean): Response {
  const status = res.statusCode ?? 502;
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(res.rawHeaders[i].toLowerCase()))
      headers.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
  }
  if (head || NULL_BODY.has(status)) {
    res.resume();
    return new Response(null, { status, statusText: res.statusMessage, headers });
  }
  const stream = Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>;
  return new Response(stream, { status, statusText: res.statusMessage, headers });
}

function notRunning(paths: StatePaths, binding: string): Response {
  const error = new ShipshapeError('LOCAL_COMPONENT_NOT_RUNNING', {
    component: paths.component,
    env: paths.env,
    binding,
  });
  return new Response(`${error.message} ${error.hint}\n`, {
    status: 503,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-shipshape-error': error.code },
  });
}
