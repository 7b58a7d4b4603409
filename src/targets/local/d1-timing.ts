import { join } from 'node:path';
import type { ServiceFunction } from './component-binding.ts';
import type { MetricsStore } from './metrics-store.ts';

/**
 * How the local platform times every D1 query a version makes. D1 runs inside workerd (Miniflare's D1 object),
 * out of the daemon's sight, so the version's entry is a small module that imports the bundle's own entry and
 * hands its handlers an env whose D1 bindings time each call (prepare().all/first/run/raw, batch, exec), from the
 * call to its answer, as the worker waits for it. A quarter second after a response, in that request's waitUntil,
 * the times go to a service binding run in the daemon (`D1_TIMES_BINDING`, removed from the env the worker
 * sees), which counts them per database per second. Durable Objects' own D1 calls are not timed (their env is
 * not the entry's).
 */
export const D1_TIMES_BINDING = '__SHIPSHAPE_D1_TIMES';

/** The entry module's file name, beside the bundle's modules (it imports the real entry relatively). */
export const D1_TIMING_MODULE = '__shipshape-d1-timing.mjs';

/** The module run as the version's entry: `databases` maps each D1 binding to its database id. */
export function d1TimingModule(mainModule: string, databases: Record<string, string>): string {
  const main = JSON.stringify(`./${mainModule}`);
  return `import * as user from ${main};
export * from ${main};
const DATABASES = ${JSON.stringify(databases)};
const TIMES = ${JSON.stringify(D1_TIMES_BINDING)};
const INNER = Symbol('inner');
let pending = [];
let scheduled = false;
const timed = (id, run) => async (...args) => {
  const started = Date.now();
  try {
    return await run(...args);
  } finally {
    const at = Date.now();
    pending.push([id, at - started, at]);
  }
};
const pass = (target, key) => {
  const value = Reflect.get(target, key);
  return typeof value === 'function' ? value.bind(target) : value;
};
const statement = (id, s) => new Proxy(s, {
  get(t, k) {
    if (k === INNER) return t;
    if (k === 'bind') return (...a) => statement(id, t.bind(...a));
    if (k === 'first' || k === 'all' || k === 'run' || k === 'raw') return timed(id, t[k].bind(t));
    return pass(t, k);
  },
});
const database = (id, db) => new Proxy(db, {
  get(t, k) {
    if (k === 'prepare') return (sql) => statement(id, t.prepare(sql));
    if (k === 'batch') return timed(id, (list) => t.batch(list.map((s) => (s && s[INNER]) || s)));
    if (k === 'exec') return timed(id, t.exec.bind(t));
    if (k === 'withSession') return (...a) => database(id, t.withSession(...a));
    return pass(t, k);
  },
});
const wrapEnv = (env) => {
  if (!env || typeof env !== 'object') return env;
  const out = { ...env };
  delete out[TIMES];
  for (const [binding, id] of Object.entries(DATABASES)) if (out[binding]) out[binding] = database(id, out[binding]);
  return out;
};
// At most one send per quarter second, from the request that ends first in it: its waitUntil carries the send, so
// the last queries before a quiet spell go out too.
const flush = (env, ctx) => {
  if (scheduled || pending.length === 0 || !env || !env[TIMES] || !ctx || typeof ctx.waitUntil !== 'function') return;
  scheduled = true;
  ctx.waitUntil(
    new Promise((r) => setTimeout(r, 250)).then(() => {
      scheduled = false;
      const body = JSON.stringify(pending);
      pending = [];
      return env[TIMES].fetch('http://d1-times/', { method: 'POST', body }).then((r) => r.arrayBuffer());
    }).catch(() => {}),
  );
};
const HANDLERS = ['fetch', 'scheduled', 'queue', 'email', 'tail', 'trace'];
const base = user.default;
let entry = base;
if (typeof base === 'function') {
  entry = class extends base {
    constructor(ctx, env) {
      super(ctx, wrapEnv(env));
      this[INNER] = env;
    }
  };
  if (typeof base.prototype.fetch === 'function')
    entry.prototype.fetch = async function (request) {
      try {
        return await base.prototype.fetch.call(this, request);
      } finally {
        flush(this[INNER], this.ctx);
      }
    };
} else if (base && typeof base === 'object') {
  entry = { ...base };
  for (const name of HANDLERS) {
    if (typeof base[name] !== 'function') continue;
    entry[name] = async (event, env, ctx) => {
      try {
        return await base[name].call(base, event, wrapEnv(env), ctx);
      } finally {
        flush(env, ctx);
      }
    };
  }
}
export default entry;
`;
}

/** The runtime module list with the timing entry first (the runtime runs the first module). */
export function withD1Timing<M extends { type: string; path: string }>(
  bundle: string,
  mainModule: string,
  modules: M[],
  databases: Record<string, string>,
): Array<M | { type: 'ESModule'; path: string; contents: string }> {
  const entry = {
    type: 'ESModule' as const,
    path: join(bundle, D1_TIMING_MODULE),
    contents: d1TimingModule(mainModule, databases),
  };
  return [entry, ...modules];
}

/**
 * The daemon's end of `D1_TIMES_BINDING`: `[databaseId, ms, at]` rows, each counted in `store` under the
 * database id (its "version"), so a database's query times are read as a window like a version's latency.
 */
export function d1TimesReceiver(store: MetricsStore): ServiceFunction {
  return async (request) => {
    const rows: unknown = await request.json().catch(() => null);
    if (Array.isArray(rows)) {
      for (const row of rows) {
        if (!Array.isArray(row) || typeof row[0] !== 'string') continue;
        const [id, ms, at] = row as [string, unknown, unknown];
        if (typeof ms !== 'number' || typeof at !== 'number' || !(ms >= 0)) continue;
        store.record({ version: id, status: 200, threw: false, latencyMs: ms, at });
      }
    }
    return new Response(null, { status: 204 });
  };
}
