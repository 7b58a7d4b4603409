import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { SYNTHETIC_HEADER } from '../target.ts';
import type { Instance } from './instance.ts';
import type { MetricsStore } from './metrics-store.ts';
import { pickVersion, type RoutingTable } from './split.ts';

interface Live {
  instance: Instance;
  table: RoutingTable;
}

/** The only headers workerd sends with an uncaught exception ("Internal Server Error"). */
const EXCEPTION_HEADERS = new Set([
  'content-type',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);

/** Responses up to this size (with a content-length) are relayed in one write. */
const BUFFER_LIMIT = 256 * 1024;

/** Longest a switch waits for in-flight requests on the old instance before going ahead. */
const DRAIN_LIMIT_MS = 15_000;

/**
 * The data plane: picks a version per request (override, key, weight), forwards it to the version's worker
 * in the live instance, and measures it. A switch to a new instance holds arriving requests for the few
 * milliseconds it takes the old one to drain, so no request meets a stopping runtime and two runtimes never
 * touch the same SQLite files at once.
 */
export class Router {
  private live: Live | null = null;
  private hold: Promise<void> | null = null;
  private draining: { instance: Instance; done: () => void } | null = null;

  constructor(private readonly metrics: MetricsStore) {}

  current(): Live | null {
    return this.live;
  }

  /** Same instance, new weights: one assignment, so every later request sees the new split. */
  setTable(table: RoutingTable): void {
    if (!this.live) throw new Error('no live instance');
    this.live = { instance: this.live.instance, table };
  }

  /** Moves traffic to `next` (null: stop serving); returns the previous instance, drained, for the caller to dispose. */
  switchTo(next: Live | null): Promise<Instance | null> {
    return this.exclusive(async (current) => {
      this.live = next;
      return current?.instance ?? null;
    });
  }

  /**
   * Runs `work` while arriving requests wait and none is in flight: the live instance is drained first (up to
   * DRAIN_LIMIT_MS; `drained` says whether it emptied). `work` may `replace` the live instance. One at a time.
   */
  async exclusive<T>(work: (current: Live | null, drained: boolean) => Promise<T>): Promise<T> {
    while (this.hold) await this.hold;
    let release!: () => void;
    this.hold = new Promise((r) => {
      release = r;
    });
    try {
      const current = this.live;
      let drained = true;
      if (current && current.instance.inflight > 0) {
        drained = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), DRAIN_LIMIT_MS);
          this.draining = {
            instance: current.instance,
            done: () => {
              clearTimeout(timer);
              resolve(true);
            },
          };
        });
        this.draining = null;
      }
      return await work(current, drained);
    } finally {
      this.draining = null;
      this.hold = null;
      release();
    }
  }

  /** Installs a new live instance; only inside `exclusive`, where nothing is in flight. */
  replace(next: Live | null): void {
    this.live = next;
  }

  /** Takes a slot on the live instance (waiting out a switch); pair with `release`. */
  async acquire(): Promise<Live | null> {
    while (this.hold) await this.hold;
    return this.take();
  }

  private take(): Live | null {
    const live = this.live;
    if (live) live.instance.inflight++;
    return live;
  }

  release(instance: Instance): void {
    instance.inflight--;
    if (instance.inflight === 0 && instance === this.draining?.instance) this.draining.done();
  }

  /** Node http handler for the data-plane port. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const body = req.method === 'GET' || req.method === 'HEAD' ? null : await readBody(req);
    for (let attempt = 0; ; attempt++) {
      const live = this.hold ? await this.acquire() : this.take();
      const overrides = header(req, 'cloudflare-workers-version-overrides');
      const key = header(req, 'cloudflare-workers-version-key');
      const version = live ? pickVersion(live.table, { overrides, key }) : null;
      if (!live || !version) {
        if (live) this.release(live.instance);
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: live
              ? 'no version serving yet: the deployed version answers pinned requests only'
              : 'no version is deployed yet; upload one and set traffic',
          }),
        );
        return;
      }
      const outcome = await forward(live.instance, version, req, body, res).finally(() =>
        this.release(live.instance),
      );
      if (outcome.kind === 'retry' && attempt < 2) continue;
      const status = outcome.kind === 'done' ? outcome.status : 502;
      if (outcome.kind !== 'done' && !res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `the runtime did not answer: ${outcome.reason}` }));
      }
      const threw = outcome.kind === 'done' && outcome.threw;
      const latencyMs = performance.now() - started;
      // A pinned request does not follow the split: like shipshape's own, it is no user's share of traffic.
      const synthetic = overrides !== null || header(req, SYNTHETIC_HEADER) !== null;
      this.metrics.record({
        version,
        path: req.url,
        status,
        threw,
        latencyMs,
        at: Date.now(),
        synthetic,
        key,
      });
      return;
    }
  }
}

type Outcome =
  | { kind: 'done'; status: number; threw: boolean }
  | { kind: 'retry' | 'failed'; reason: string };

/** Sends one request to a version's worker; `retry` when the runtime refused it before answering. */
function forward(
  instance: Instance,
  version: string,
  req: IncomingMessage,
  body: Buffer | null,
  res: ServerResponse,
): Promise<Outcome> {
  // Raw header pairs pass through as sent (names, casing, repeats); Miniflare's own mf-* headers never do.
  const headers =
    body || hasMiniflareHeader(req.rawHeaders) ? copyHeaders(req.rawHeaders, body) : req.rawHeaders;
  const socket = instance.socket(version);
  return new Promise((resolve) => {
    let answered = false;
    const upstream = httpRequest(
      {
        host: socket.hostname,
        port: socket.port,
        method: req.method,
        path: req.url,
        headers: headers as unknown as Record<string, string>,
        agent: instance.agent,
      },
      (up) => {
        answered = true;
        const status = up.statusCode ?? 502;
        const threw = status === 500 && Object.keys(up.headers).every((h) => EXCEPTION_HEADERS.has(h));
        const length = Number(up.headers['content-length'] ?? Number.NaN);
        if (length <= BUFFER_LIMIT) {
          // Small answers go out in one write: on loopback the syscalls, not the bytes, are the cost.
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () => {
            res.writeHead(status, up.rawHeaders);
            res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
            resolve({ kind: 'done', status, threw });
          });
        } else {
          res.writeHead(status, up.rawHeaders);
          up.pipe(res);
          up.on('end', () => resolve({ kind: 'done', status, threw }));
        }
        up.on('error', (err) => {
          res.destroy(err);
          resolve({ kind: 'failed', reason: err.message });
        });
      },
    );
    upstream.on('error', (err) => {
      if (!answered) resolve({ kind: 'retry', reason: err.message });
    });
    req.on('aborted', () => upstream.destroy());
    upstream.end(body ?? undefined);
  });
}

/** Most requests carry no `mf-*` header: their raw headers are then passed on as they are, uncopied. */
function hasMiniflareHeader(raw: string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const c = raw[i].charCodeAt(0) | 0x20;
    if (c === 0x6d && raw[i].length > 3 && raw[i].slice(0, 3).toLowerCase() === 'mf-') return true;
  }
  return false;
}

function copyHeaders(raw: string[], body: Buffer | null): string[] {
  const headers: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name.startsWith('mf-') || (body && (name === 'content-length' || name === 'transfer-encoding')))
      continue;
    headers.push(raw[i], raw[i + 1]);
  }
  if (body) headers.push('content-length', String(body.length));
  return headers;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? null);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
