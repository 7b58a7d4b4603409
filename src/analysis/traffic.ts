import http from 'node:http';
import https from 'node:https';
import type { ResolvedConfig } from '../config/resolved.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { SYNTHETIC_HEADER } from '../targets/target.ts';

export type TrafficConfig = ResolvedConfig['rollout']['traffic'];

export interface TrafficTotals {
  /** Requests sent and answered or failed (not those cut short by stop). */
  sent: number;
  /** Answered with a 5xx, or no answer at all. */
  failed: number;
}

export interface TrafficHandle {
  /** Stops sending, waits for requests in flight, closes the connections. */
  stop(): Promise<TrafficTotals>;
}

const TICK_MS = 10;
const POOL = 8;

/**
 * Generated traffic for rehearsals and staging: `rps` requests per second over weighted paths, spread
 * across many `Cloudflare-Workers-Version-Key` values (so sticky routing sees many clients), bounded by
 * `maxRequests` and `maxDuration`, sent through a small keep-alive pool. Loopback only unless
 * `allowRemote`; `traffic.url` overrides the target's URL.
 * @example const t = startTraffic(config.rollout.traffic, { url: await target.url(), signal }); … await t.stop()
 */
export function startTraffic(
  config: TrafficConfig,
  opts: { url: string; signal?: AbortSignal; random?: () => number },
): TrafficHandle {
  const base = new URL(config.url ?? opts.url);
  assertAllowed(base, config.allowRemote);
  const random = opts.random ?? Math.random;
  const isHttps = base.protocol === 'https:';
  const agent = isHttps
    ? new https.Agent({ keepAlive: true, maxSockets: POOL })
    : new http.Agent({ keepAlive: true, maxSockets: POOL });
  // Unresolved defaults (see resolveTraffic) still send something sensible: the site's root at 20 rps.
  const rps = config.rps ?? 20;
  const pickPath = weighted(config.paths.length ? config.paths : [{ path: '/', weight: 1 }], random);
  const totals: TrafficTotals = { sent: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  let scheduled = 0;
  let stopped = false;

  const send = () => {
    scheduled++;
    const target = new URL(pickPath(), base);
    const method = config.methods[Math.floor(random() * config.methods.length)] ?? 'GET';
    const headers = {
      ...config.headers,
      [SYNTHETIC_HEADER]: '1',
      'cloudflare-workers-version-key': `k${Math.floor(random() * config.keys)}`,
    };
    const done = new Promise<void>((resolve) => {
      const req = (isHttps ? https : http).request(
        target,
        { method, headers, agent, timeout: 30_000 },
        (res) => {
          res.resume();
          res.on('end', () => finish((res.statusCode ?? 500) >= 500));
          res.on('error', () => finish(true));
        },
      );
      const finish = (failed: boolean) => {
        totals.sent++;
        if (failed) totals.failed++;
        resolve();
      };
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => finish(true));
      req.end();
    });
    inFlight.add(done);
    done.then(() => inFlight.delete(done));
  };

  let slots = 0;
  const timer = setInterval(() => {
    const elapsed = Date.now() - started;
    if (elapsed >= config.maxDuration || scheduled >= config.maxRequests) return halt();
    const due = Math.floor((elapsed / 1000) * rps) + 1;
    // A slow target must not pile up unbounded work: beyond a few per socket, this tick's share is skipped.
    for (; slots < due && scheduled < config.maxRequests; slots++) if (inFlight.size < POOL * 4) send();
  }, TICK_MS);

  const halt = () => {
    stopped = true;
    clearInterval(timer);
  };
  opts.signal?.addEventListener('abort', halt, { once: true });

  return {
    async stop() {
      if (!stopped) halt();
      opts.signal?.removeEventListener('abort', halt);
      await Promise.all([...inFlight]);
      agent.destroy();
      return { ...totals };
    },
  };
}

function weighted(paths: TrafficConfig['paths'], random: () => number): () => string {
  const total = paths.reduce((sum, p) => sum + p.weight, 0);
  return () => {
    let r = random() * total;
    for (const p of paths) {
      r -= p.weight;
      if (r < 0) return p.path;
    }
    return paths[paths.length - 1].path;
  };
}

/** Loopback hosts only, unless the config says otherwise: generated load never leaves the machine by accident. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function assertAllowed(url: URL, allowRemote: boolean): void {
  if (allowRemote || isLoopback(url)) return;
  throw new ShipshapeError('CONFIG_INVALID', {
    file: 'the config',
    count: 1,
    list: `  rollout.traffic.url: ${url.origin} is not a loopback address; set rollout.traffic.allowRemote: true to send generated traffic there`,
  });
}
