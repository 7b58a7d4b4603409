import { randomBytes } from 'node:crypto';

/**
 * A tiny worker living beside the versions in the same workerd process: it owns a binding to every D1
 * database and KV namespace so the control API reaches the very same data the versions see (one process,
 * one SQLite file per database: no cross-process locking).
 *
 * workerd's entry socket routes any request naming this worker (`MF-Route-Override`) to it, and anyone on the
 * machine can reach that socket: the worker therefore answers only requests carrying the daemon's data secret,
 * a random value that lives in the daemon's memory and the runtime's config (never on disk, never in argv).
 */
export const DATA_WORKER_NAME = 'shipshape-data';

/** Header carrying the data secret from the daemon to the data worker. */
export const DATA_SECRET_HEADER = 'x-shipshape-data-secret';

let secret: string | null = null;

/** The data secret of this daemon process (created on first use). */
export function dataSecret(): string {
  secret ??= randomBytes(32).toString('hex');
  return secret;
}

/** Binding name inside the data worker for a D1 database id or KV namespace id. */
export function dataBindingName(kind: 'd1' | 'kv', id: string): string {
  return `${kind}_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

export const DATA_WORKER_SCRIPT = `
const encoder = new TextEncoder();
const allowed = (request, env) => {
  const given = encoder.encode(request.headers.get('${DATA_SECRET_HEADER}') ?? '');
  const expected = encoder.encode(env.SHIPSHAPE_DATA_SECRET ?? '');
  return expected.byteLength >= 32 && given.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(given, expected);
};
const json = (value, status = 200) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
const bind = (db, s) => db.prepare(s.sql).bind(...(s.params ?? []));
export default {
  async fetch(request, env) {
    // Same answer as an unknown path: a caller without the secret learns nothing about what is here.
    if (!allowed(request, env)) return json({ error: 'not found' }, 404);
    const [, kind, name, op] = new URL(request.url).pathname.split('/');
    const body = request.method === 'POST' ? await request.json() : {};
    const binding = env[name];
    if (!binding) return json({ error: 'unknown binding ' + name }, 404);
    try {
      if (kind === 'd1' && op === 'query') return json({ rows: (await bind(binding, body).all()).results });
      if (kind === 'd1' && op === 'batch') {
        const results = await binding.batch(body.statements.map((s) => bind(binding, s)));
        return json({ results: results.map((r) => r.results ?? []) });
      }
      if (kind === 'kv' && op === 'get') return json({ value: await binding.get(body.key) });
      if (kind === 'kv' && op === 'put') { await binding.put(body.key, body.value); return json({ ok: true }); }
      if (kind === 'kv' && op === 'delete') { await binding.delete(body.key); return json({ ok: true }); }
      if (kind === 'kv' && op === 'list') {
        const keys = [];
        let cursor;
        do {
          const page = await binding.list({ prefix: body.prefix ?? undefined, cursor });
          for (const k of page.keys) keys.push(k.name);
          cursor = page.list_complete ? undefined : page.cursor;
        } while (cursor);
        return json({ keys });
      }
      return json({ error: 'unknown operation ' + kind + '/' + op }, 404);
    } catch (err) {
      return json({ error: String(err && err.message ? err.message : err) }, 422);
    }
  },
};
`;
